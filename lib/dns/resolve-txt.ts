import "server-only";
import { Resolver } from "node:dns/promises";
import { dnsServerList, getEnv } from "@/lib/env";

/** What a TXT lookup found: the records (chunks of one record joined), a definite absence, or a DNS failure that says nothing. */
export type TxtLookup =
  { kind: "found"; records: string[] } | { kind: "absent"; reason: "nxdomain" | "nodata" } | { kind: "error"; code: string };

// Per try, and tries per server: a dead server costs a check a few seconds, not the default ~20 s.
const TIMEOUT_MS = 3_000;
const TRIES = 2;

let serversForTests: string[] | undefined;

/** Points the lookups at other servers (tests start one on loopback); undefined goes back to DNS_SERVERS. */
export function setDnsServersForTests(servers: string[] | undefined): void {
  serversForTests = servers;
}

function resolver(): Resolver {
  const r = new Resolver({ timeout: TIMEOUT_MS, tries: TRIES });
  const servers = serversForTests ?? dnsServerList(getEnv().DNS_SERVERS);
  if (servers.length > 0) r.setServers(servers);
  return r;
}

/**
 * The TXT records of a name, asked of DNS_SERVERS (or the system's resolvers) each time, never
 * cached here: a record that was removed must stop counting at the next check.
 */
export async function resolveTxt(name: string): Promise<TxtLookup> {
  try {
    const records = await resolver().resolveTxt(name);
    return { kind: "found", records: records.map((chunks) => chunks.join("")) };
  } catch (err) {
    const code = (err as { code?: unknown }).code;
    // NXDOMAIN and NODATA are answers: the name or its TXT records do not exist.
    if (code === "ENOTFOUND") return { kind: "absent", reason: "nxdomain" };
    if (code === "ENODATA") return { kind: "absent", reason: "nodata" };
    return { kind: "error", code: typeof code === "string" ? code : "EUNKNOWN" };
  }
}
