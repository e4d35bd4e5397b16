import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

export default defineConfig({
  resolve: {
    alias: {
      "@": fileURLToPath(new URL(".", import.meta.url)),
      // Server modules import "server-only", which throws outside React's server build; the tests
      // run them in plain Node, as the server does.
      "server-only": fileURLToPath(new URL("node_modules/server-only/empty.js", import.meta.url)),
    },
  },
  test: {
    include: [
      "lib/**/*.test.ts",
      "db/**/*.test.ts",
      "tests/**/*.test.ts",
      "app/**/*.test.ts",
      // The exit-code fixture (tests/infra/exit-code.fixture.ts) is not a test of its own: it runs
      // only when tests/infra/embedded-postgres.test.ts asks it to fail on purpose.
      ...(process.env.MC_FAIL_ON_PURPOSE ? ["tests/infra/exit-code.fixture.ts"] : []),
    ],
    exclude: ["e2e/**", "node_modules/**"],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: "forks",
    // Two files at a time: much of a file's time is spent waiting on the Postgres server, and
    // vitest's default on a 2-core machine is one.
    maxWorkers: Number(process.env.VITEST_MAX_WORKERS) || 2,
    globalSetup: ["tests/global-setup.ts"],
    env: { AUTH_SECRET: "vitest-only-secret-0123456789abcdef", WEBHOOK_ALLOW_LOOPBACK: "1" },
    reporters: ["default", ["json", { outputFile: "test-results/vitest.json" }]],
  },
});
