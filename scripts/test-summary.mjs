// Prints one closing line, "N passed, N failed", from the JSON reports of every pass of a CI run:
// test-results/vitest*.json (one per vitest pass) and test-results/playwright.json.
import { existsSync, readdirSync, readFileSync } from "node:fs";

let passed = 0;
let failed = 0;
let skipped = 0;
const dir = "test-results";
const vitestReports = existsSync(dir)
  ? readdirSync(dir)
      .filter((f) => /^vitest.*\.json$/.test(f))
      .sort()
  : [];
for (const file of vitestReports) {
  const v = JSON.parse(readFileSync(`${dir}/${file}`, "utf8"));
  passed += v.numPassedTests ?? 0;
  failed += v.numFailedTests ?? 0;
  skipped += (v.numPendingTests ?? 0) + (v.numTodoTests ?? 0);
  console.log(
    `${file}: ${v.numPassedTests} passed, ${v.numFailedTests} failed, ${(v.numPendingTests ?? 0) + (v.numTodoTests ?? 0)} skipped in ${v.numTotalTestSuites} suites`,
  );
}
if (existsSync(`${dir}/playwright.json`)) {
  const p = JSON.parse(readFileSync(`${dir}/playwright.json`, "utf8"));
  passed += p.stats?.expected ?? 0;
  failed += (p.stats?.unexpected ?? 0) + (p.stats?.flaky ?? 0);
  skipped += p.stats?.skipped ?? 0;
  console.log(
    `playwright.json: ${p.stats?.expected} passed, ${p.stats?.unexpected} failed, ${p.stats?.flaky} flaky, ${p.stats?.skipped} skipped`,
  );
}
if (passed + failed === 0) {
  console.error("No test results found");
  process.exit(1);
}
console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ""}`);
process.exit(failed > 0 || skipped > 0 ? 1 : 0);
