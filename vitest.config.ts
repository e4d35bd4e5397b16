import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { defineConfig, type TestProjectInlineConfiguration } from "vitest/config";

const root = fileURLToPath(new URL(".", import.meta.url));

const include = [
  "lib/**/*.test.ts",
  "db/**/*.test.ts",
  "tests/**/*.test.ts",
  "app/**/*.test.ts",
  "components/**/*.test.ts",
  // The exit-code fixture (tests/infra/exit-code.fixture.ts) is not a test of its own: it runs
  // only when tests/infra/embedded-postgres.test.ts asks it to fail on purpose.
  ...(process.env.MC_FAIL_ON_PURPOSE ? ["tests/infra/exit-code.fixture.ts"] : []),
];

/**
 * Test files that replace modules or globals (`vi.mock`, `vi.stubEnv`, fake timers…), themselves or
 * in a helper they import by a relative path: each runs in a fresh process, as every file did
 * before. Read from the files, so a new mocking file is isolated without a list to keep.
 */
const REPLACES = /\bvi\.(mock|doMock|stubEnv|stubGlobal|useFakeTimers)\(/;
const replaces = (file: string, seen = new Set<string>()): boolean => {
  if (seen.has(file) || !existsSync(file)) return false;
  seen.add(file);
  const text = readFileSync(file, "utf8");
  if (REPLACES.test(text)) return true;
  const helpers = [...text.matchAll(/from "(\.\.?\/[^"]+)"/g)].map((m) => path.join(path.dirname(file), `${m[1]}.ts`));
  return helpers.some((helper) => replaces(helper, seen));
};
const mocking = ["lib", "db", "tests", "app"]
  .flatMap((dir) => readdirSync(dir, { recursive: true, encoding: "utf8" }).map((file) => `${dir}/${file}`))
  .filter((file) => file.endsWith(".test.ts") && replaces(file));

const shared: TestProjectInlineConfiguration = {
  resolve: {
    alias: {
      "@": root,
      // Server modules import "server-only", which throws outside React's server build; the tests
      // run them in plain Node, as the server does.
      "server-only": fileURLToPath(new URL("node_modules/server-only/empty.js", import.meta.url)),
    },
  },
  test: {
    exclude: ["e2e/**", "node_modules/**"],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: "forks",
    env: { AUTH_SECRET: "vitest-only-secret-0123456789abcdef", WEBHOOK_ALLOW_LOOPBACK: "1" },
  },
};

export default defineConfig({
  ...shared,
  test: {
    ...shared.test,
    // Two files at a time: much of a file's time is spent waiting on the Postgres server, and
    // vitest's default on a 2-core machine is one.
    maxWorkers: Number(process.env.VITEST_MAX_WORKERS) || 2,
    globalSetup: ["tests/global-setup.ts"],
    reporters: ["default", ["json", { outputFile: "test-results/vitest.json" }]],
    projects: [
      // Most of a file's time in a fresh process is importing the app's modules (drizzle, zod
      // schemas, the domain): files that replace none share their process and its module cache.
      // Each file still evaluates itself anew, and none changes a module's state for the next.
      {
        ...shared,
        test: { ...shared.test, name: "shared", include, exclude: [...shared.test!.exclude!, ...mocking], isolate: false },
      },
      { ...shared, test: { ...shared.test, name: "mocking", include: mocking, isolate: true } },
    ],
  },
});
