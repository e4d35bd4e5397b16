import { mkdirSync } from "node:fs";
import { chromium, type FullConfig } from "@playwright/test";
import { startTxtDnsServer } from "../tests/dns/txt-dns-server";
import { E2E_DNS_PORT, publishedTxt, resetDnsRecords } from "./dns";
import { DEMO_PEOPLE, savedSessionPath, signIn } from "./helpers";
import { startIdentityProviders } from "./identity-providers";

/**
 * Signs each demo person in once, through the real email link (the form, the local mailbox, the
 * confirmation page), and keeps their session as a storage state. Flows that do not test sign-in
 * start from it (`signInAs`); the sign-in tests themselves still go through the email every time.
 * Runs after the web server is up (Playwright starts it before the global setup). Also starts the
 * run's DNS server (e2e/dns.ts), which the app asks for the TXT records of verified domains; it
 * stays up for the whole run and is closed by the function returned here, and the run's OpenID
 * Connect and SAML identity providers (e2e/identity-providers.ts), likewise.
 */
export default async function globalSetup(config: FullConfig) {
  resetDnsRecords();
  const dns = await startTxtDnsServer({ port: E2E_DNS_PORT, lookup: publishedTxt });
  const stopIdentityProviders = await startIdentityProviders();
  const use = config.projects[0]!.use;
  const browser = await chromium.launch(use.launchOptions);
  try {
    mkdirSync(savedSessionPath("x").replace(/\/[^/]+$/, ""), { recursive: true });
    await Promise.all(
      DEMO_PEOPLE.map(async (email) => {
        const context = await browser.newContext({ baseURL: use.baseURL });
        const page = await context.newPage();
        await signIn(page, email);
        await context.storageState({ path: savedSessionPath(email) });
        await context.close();
      }),
    );
  } finally {
    await browser.close();
  }
  return async () => {
    await stopIdentityProviders();
    await dns.close();
  };
}
