import "server-only";
import { lookup } from "node:dns/promises";
import { isIP } from "node:net";
import ipaddr from "ipaddr.js";

/** Why a webhook URL may not be reached: said in the delivery log and to the Owner saving it. */
export class ForbiddenAddressError extends Error {
  constructor(
    readonly host: string,
    readonly address: string,
    readonly range: string,
  ) {
    super(address ? `${host} resolves to ${address} (${range}), which webhooks may not reach` : `${host} is not looked up: ${range}`);
    this.name = "ForbiddenAddressError";
  }
}

/** One resolved address, as node's dns.lookup gives it. */
export interface ResolvedAddress {
  address: string;
  family: 4 | 6;
}

/** Resolves a host name to every address it has (tests give one that asks a DNS server on loopback). */
export type HostResolver = (hostname: string) => Promise<ResolvedAddress[]>;

/** The system's resolver (getaddrinfo: /etc/hosts, then DNS), every address in its own order. */
export const systemResolver: HostResolver = async (hostname) =>
  (await lookup(hostname, { all: true, verbatim: true })).map((a) => ({ address: a.address, family: a.family === 6 ? 6 : 4 }));

/**
 * Whether an address is one webhooks may reach: only global unicast. Private (10/8, 172.16/12,
 * 192.168/16), loopback, link-local (169.254/16 with the cloud metadata address, fe80::/10),
 * unique-local (fc00::/7), CGNAT (100.64/10), multicast, unspecified, reserved and the IPv6 forms
 * that embed an IPv4 address (v4-mapped is unwrapped and judged as IPv4; NAT64, 6to4, Teredo are
 * refused) all are not. `allowLoopback` (tests only) lets 127/8 and ::1 through, nothing else.
 */
export function addressRange(address: string): string {
  // process() turns ::ffff:127.0.0.1 (and ::ffff:7f00:1) into 127.0.0.1 before the range is read.
  return ipaddr.process(address).range();
}

/**
 * Which addresses beyond global unicast may be reached. Production: none. `allowLoopback` (tests):
 * loopback too. `onlyLoopback` (the end-to-end app, whose tests make up public URLs): loopback and
 * nothing else, so no delivery can leave the machine; a host name other than localhost is not even
 * looked up (a DNS query could leave it too).
 */
export interface AddressOptions {
  allowLoopback: boolean;
  onlyLoopback?: boolean;
}

/** The address options WEBHOOK_ALLOW_LOOPBACK asks for ("0", "1" or "only"). */
export function addressOptionsOf(setting: "0" | "1" | "only"): AddressOptions {
  return { allowLoopback: setting !== "0", onlyLoopback: setting === "only" };
}

const ONLY_LOOPBACK = "only loopback may be reached: WEBHOOK_ALLOW_LOOPBACK=only";

/** Throws ForbiddenAddressError unless the address may be reached. */
export function assertAllowedAddress(host: string, address: string, options: AddressOptions): void {
  if (!ipaddr.isValid(address)) throw new ForbiddenAddressError(host, address, "not an address");
  const range = addressRange(address);
  if (range === "loopback" && (options.allowLoopback || options.onlyLoopback)) return;
  if (options.onlyLoopback) throw new ForbiddenAddressError(host, address, `${range}; ${ONLY_LOOPBACK}`);
  if (range === "unicast") return;
  throw new ForbiddenAddressError(host, address, range);
}

/**
 * The address to connect to for a host: resolved once, every address checked (one forbidden
 * address refuses the host, so a name cannot mix a public and a private answer), and the first
 * one returned for the connection itself, which never looks the name up again (DNS rebinding).
 */
export async function resolveAllowedAddress(
  hostname: string,
  options: AddressOptions & { resolve?: HostResolver },
): Promise<ResolvedAddress> {
  const host = hostname.startsWith("[") && hostname.endsWith("]") ? hostname.slice(1, -1) : hostname;
  const literal = isIP(host);
  if (options.onlyLoopback && literal === 0 && host.toLowerCase() !== "localhost") {
    throw new ForbiddenAddressError(host, "", ONLY_LOOPBACK);
  }
  const addresses: ResolvedAddress[] =
    literal !== 0 ? [{ address: host, family: literal === 6 ? 6 : 4 }] : await (options.resolve ?? systemResolver)(host);
  if (addresses.length === 0) throw new ForbiddenAddressError(host, "(none)", "no address");
  for (const a of addresses) assertAllowedAddress(host, a.address, options);
  return addresses[0]!;
}
