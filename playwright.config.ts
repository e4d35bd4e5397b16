import { defineConfig, devices } from "@playwright/test";
import { findChromium } from "./e2e/browser";
import { E2E_DNS_PORT } from "./e2e/dns";

const port = Number(process.env.E2E_PORT ?? 3100);
const baseURL = `http://127.0.0.1:${port}`;

// `npm test` / `npm run test:e2e` name a fresh database on the test server (scripts/test.ts);
// run directly, Playwright needs a server named by DATABASE_URL.
if (!process.env.E2E_DATABASE_URL && process.env.DATABASE_URL) {
  const base = new URL(process.env.DATABASE_URL);
  base.pathname = `/mc_e2e_${Date.now().toString(36)}`;
  process.env.E2E_DATABASE_URL = base.toString();
}
if (!process.env.E2E_DATABASE_URL) {
  throw new Error(
    "No database for the end-to-end tests: run `npm run test:e2e`, which starts one, or set E2E_DATABASE_URL or DATABASE_URL.",
  );
}

const ISOLATED = [/doors\.spec\.ts/, /hardening\.spec\.ts/, /api-fuzz\.spec\.ts/, /deployment\.spec\.ts/];

export default defineConfig({
  testDir: "e2e",
  // Signs the demo people in once through the email link and keeps their sessions (signInAs).
  globalSetup: "./e2e/global-setup.ts",
  globalTeardown: "./e2e/global-teardown.ts",
  outputDir: "test-results/e2e",
  // Every test makes its own project and people, so tests run side by side.
  fullyParallel: true,
  workers: Number(process.env.E2E_WORKERS) || 2,
  forbidOnly: true,
  retries: 0,
  timeout: 120_000,
  expect: { timeout: 15_000 },
  reporter: [["list"], ["json", { outputFile: "test-results/playwright.json" }]],
  use: {
    baseURL,
    // A failed test keeps its trace (actions, DOM snapshots, network, console). Without the
    // screencast: its frames cost the browser about a third of its CPU in every passing test, and
    // the DOM snapshots already show each step; a failure still gets its screenshot.
    trace: { mode: "retain-on-failure", screenshots: false },
    screenshot: "only-on-failure",
    launchOptions: {
      executablePath: findChromium(),
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--disable-quic",
      ],
    },
  },
  // The door and hardening specs assert that a refused call changes nothing anywhere in the
  // database, so each runs alone, after the flows (which run side by side).
  projects: [
    { name: "chromium", testIgnore: ISOLATED, use: { ...devices["Desktop Chrome"] } },
    {
      name: "doors",
      testMatch: /doors\.spec\.ts/,
      dependencies: ["chromium"],
      fullyParallel: false,
      use: { ...devices["Desktop Chrome"] },
    },
    {
      name: "hardening",
      testMatch: /hardening\.spec\.ts/,
      dependencies: ["doors"],
      fullyParallel: false,
      use: { ...devices["Desktop Chrome"] },
    },
    // The API fuzz run queues many emails: it runs last, so the flows' mail is not stuck behind it.
    {
      name: "api-fuzz",
      testMatch: /api-fuzz\.spec\.ts/,
      dependencies: ["hardening"],
      fullyParallel: false,
      use: { ...devices["Desktop Chrome"] },
    },
    // Starts its own two instances and two workers on its own database, so it shares no rows with
    // the API fuzz run: the two run side by side, after the specs that must run alone.
    { name: "deployment", testMatch: /deployment\.spec\.ts/, dependencies: ["hardening"], use: { ...devices["Desktop Chrome"] } },
  ],
  webServer: {
    command: "npx tsx scripts/e2e-server.ts",
    url: `${baseURL}/sign-in`,
    timeout: 240_000,
    reuseExistingServer: false,
    gracefulShutdown: { signal: "SIGTERM", timeout: 5_000 },
    // The server's own log goes to test-results/e2e-server.log (expected errors, e.g. from the
    // forged-link test, stay out of the test output); scripts/test.ts prints it when a test fails.
    stdout: "ignore",
    stderr: "pipe",
    env: {
      E2E_PORT: String(port),
      E2E_DATABASE_URL: process.env.E2E_DATABASE_URL,
      APP_URL: baseURL,
      AUTH_SECRET: process.env.AUTH_SECRET || "e2e-secret-not-for-production-0123456789",
      AUTH_TRUST_HOST: "true",
      ALLOW_LOCAL_MAILBOX_IN_PRODUCTION: "true",
      RESEND_API_KEY: "",
      SIGN_IN_LIMIT_PER_ADDRESS: "1000",
      SIGN_IN_LIMIT_PER_CLIENT: "10000",
      SIGN_IN_LIMIT_GLOBAL_PER_MINUTE: "10000",
      // The demo users are added to a fresh project in many tests within one run.
      EMAIL_LIMIT_PER_RECIPIENT: "10000",
      OUTBOX_SWEEP_MS: "1000",
      // Webhooks reach loopback and nothing else: the API fuzz adds endpoints with whatever public
      // URL it makes up, and their deliveries are refused before any lookup or connection, so no
      // test sends traffic beyond loopback; e2e/webhooks.spec.ts delivers to its receiver on 127.0.0.1.
      WEBHOOK_ALLOW_LOOPBACK: "only",
      WEBHOOK_SWEEP_MS: "500",
      // The run's identity providers answer over plain http on loopback (e2e/identity-providers.ts).
      SSO_ALLOW_HTTP_ISSUER: "1",
      SSO_ALLOW_HTTP_METADATA: "1",
      // The run's DNS server (started by e2e/global-setup.ts): the TXT records tests publish.
      DNS_SERVERS: `127.0.0.1:${E2E_DNS_PORT}`,
    },
  },
});
