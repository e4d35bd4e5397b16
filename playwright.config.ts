import { existsSync } from "node:fs";
import { defineConfig, devices } from "@playwright/test";

const port = Number(process.env.E2E_PORT ?? 3100);
const baseURL = `http://127.0.0.1:${port}`;

// One fresh database per run, named here once; workers inherit the variable.
if (!process.env.E2E_DATABASE_URL) {
  const base = new URL(process.env.DATABASE_URL || "postgres://postgres@127.0.0.1:5432/postgres");
  base.pathname = `/mc_e2e_${Date.now().toString(36)}`;
  process.env.E2E_DATABASE_URL = base.toString();
}

// Debian's Chromium where present (no browser downloads here), else Playwright's own.
const executablePath = process.env.CHROMIUM_PATH || (existsSync("/usr/bin/chromium") ? "/usr/bin/chromium" : undefined);

export default defineConfig({
  testDir: "e2e",
  globalTeardown: "./e2e/global-teardown.ts",
  outputDir: "test-results/e2e",
  fullyParallel: false,
  workers: 1,
  forbidOnly: true,
  retries: 0,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  reporter: [["list"], ["json", { outputFile: "test-results/playwright.json" }]],
  use: {
    baseURL,
    trace: "retain-on-failure",
    screenshot: "only-on-failure",
    launchOptions: {
      executablePath,
      args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"],
    },
  },
  projects: [{ name: "chromium", use: { ...devices["Desktop Chrome"] } }],
  webServer: {
    command: "npx tsx scripts/e2e-server.ts",
    url: `${baseURL}/sign-in`,
    timeout: 240_000,
    reuseExistingServer: false,
    stdout: "pipe",
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
    },
  },
});
