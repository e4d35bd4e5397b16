import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";

/**
 * The end-to-end run's DNS server: the app under test (a separate production server) asks it for
 * TXT records (DNS_SERVERS, set in playwright.config.ts); tests publish records as files in the
 * run's folder, one per name, which the server reads on every question.
 */
export const E2E_DNS_PORT = Number(process.env.E2E_DNS_PORT ?? Number(process.env.E2E_PORT ?? 3100) + 153);
const DIR = `test-results/e2e-dns-${E2E_DNS_PORT}`;
const NAME = /^[a-z0-9.-]{1,253}$/;

const fileOf = (name: string) => {
  if (!NAME.test(name)) throw new Error(`not a plain domain name: ${name}`);
  return `${DIR}/${name}.json`;
};

/** Forgets every record of an earlier run. */
export function resetDnsRecords(): void {
  rmSync(DIR, { recursive: true, force: true });
  mkdirSync(DIR, { recursive: true });
}

/** Publishes the TXT records of a name (an empty list: the name exists without TXT records). */
export function publishTxt(name: string, values: string[]): void {
  mkdirSync(DIR, { recursive: true });
  writeFileSync(fileOf(name), JSON.stringify(values));
}

/** The records published for a name, or undefined (the server answers NXDOMAIN). */
export function publishedTxt(name: string): string[] | undefined {
  if (!NAME.test(name)) return undefined;
  try {
    return JSON.parse(readFileSync(fileOf(name), "utf8")) as string[];
  } catch {
    return undefined;
  }
}
