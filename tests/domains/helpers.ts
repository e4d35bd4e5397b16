import { eq } from "drizzle-orm";
import { afterAll, beforeAll } from "vitest";
import type { Db } from "@/db/client";
import { orgDomains } from "@/db/schema";
import { setDnsServersForTests } from "@/lib/dns/resolve-txt";
import { startTxtDnsServer, type TxtDnsServer } from "../dns/txt-dns-server";

/**
 * A real DNS server on loopback for the describe block, and the app's resolver pointed at it.
 * Read it inside hooks and tests only.
 */
export function useDnsServer(): { server: TxtDnsServer } {
  const holder = {} as { server: TxtDnsServer };
  beforeAll(async () => {
    holder.server = await startTxtDnsServer();
    setDnsServersForTests([holder.server.address]);
  });
  afterAll(async () => {
    setDnsServersForTests(undefined);
    await holder.server?.close();
  });
  return holder;
}

export async function domainRow(db: Db, id: string) {
  const [row] = await db.select().from(orgDomains).where(eq(orgDomains.id, id));
  return row ?? null;
}

let counter = 0;
/** A domain name no other test uses. */
export const freshDomain = (label = "acme") => `${label}-${Date.now().toString(36)}-${counter++}.example.com`;
