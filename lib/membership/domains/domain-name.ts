import "server-only";
import { isIP } from "node:net";
import { domainToASCII } from "node:url";
import { DomainError } from "../errors";
import { isPublicMailDomain } from "./public-mail-domains";

const LABEL = /^(?!-)[a-z0-9-]{1,63}(?<!-)$/;
// Anything that makes the text more than a host name: a scheme, a path, an address, a port, a wildcard.
const NOT_A_HOST = /[\s/\\?#@:[\]%*,;"'<>]/;

const invalid = (message: string) => new DomainError("INVALID", message, { domain: [message] });

/**
 * The one form a domain is stored and compared in: trimmed, lower-case, without the trailing dot,
 * an international name in punycode (bücher.de → xn--bcher-kva.de). Refuses what cannot be a
 * registrable name of an organization: IP addresses, single labels, public mail services.
 */
export function normalizeDomain(input: string): string {
  const trimmed = input.trim().toLowerCase().replace(/\.$/, "");
  if (trimmed === "") throw invalid("Enter a domain, like acme.com.");
  if (trimmed.length > 253 || NOT_A_HOST.test(trimmed))
    throw invalid("Enter the domain name only, like acme.com (no https://, path or address).");
  if (isIP(trimmed) || isIP(trimmed.replace(/^\[|\]$/g, ""))) throw invalid("Enter a domain name, not an IP address.");
  const ascii = domainToASCII(trimmed);
  if (ascii === "" || ascii.length > 253) throw invalid("That is not a valid domain name.");
  const labels = ascii.split(".");
  if (labels.length < 2) throw invalid("Enter a full domain with a dot, like acme.com.");
  if (!labels.every((l) => LABEL.test(l))) throw invalid("That is not a valid domain name.");
  if (/^\d+$/.test(labels.at(-1)!)) throw invalid("Enter a domain name, not an IP address.");
  if (isPublicMailDomain(ascii)) throw invalid(`${ascii} is a public mail service; claim your organization's own domain.`);
  return ascii;
}
