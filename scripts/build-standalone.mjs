/**
 * Completes `next build`'s standalone output (.next/standalone) into the folder the container image
 * runs: the static files and public/ next to server.js, the migrations, and the worker and the
 * migration runner compiled to plain JavaScript (dist/), so production needs no dev dependency.
 * `npm run build` runs it after `next build`; the Dockerfile copies the result.
 */
import { build } from "esbuild";
import { cpSync, existsSync, rmSync } from "node:fs";
import path from "node:path";

const out = ".next/standalone";
if (!existsSync(path.join(out, "server.js"))) {
  console.error(`${out}/server.js is missing: run \`next build\` first (next.config.ts sets output: "standalone").`);
  process.exit(1);
}

const copies = [
  [".next/static", path.join(out, ".next/static")],
  ["public", path.join(out, "public")],
  ["db/migrations", path.join(out, "db/migrations")],
];
for (const [from, to] of copies) {
  if (!existsSync(from)) continue;
  rmSync(to, { recursive: true, force: true });
  cpSync(from, to, { recursive: true });
}

// pg and PGlite are already in the standalone node_modules (next.config.ts keeps them external).
const result = await build({
  entryPoints: { worker: "scripts/worker.ts", migrate: "scripts/migrate.ts" },
  outdir: path.join(out, "dist"),
  outExtension: { ".js": ".mjs" },
  bundle: true,
  minify: true,
  platform: "node",
  target: "node20",
  format: "esm",
  external: ["pg", "pg-native", "@electric-sql/pglite"],
  // The worker runs domain verbs (the scheduled domain re-check), whose modules import the
  // "server-only" marker: outside React's server build it throws, so the worker gets its empty twin.
  plugins: [
    {
      name: "server-only",
      setup: (b) => b.onResolve({ filter: /^server-only$/ }, () => ({ path: path.resolve("node_modules/server-only/empty.js") })),
    },
  ],
  // Bundled CommonJS code calls require(); give the ES module one.
  banner: { js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);" },
  metafile: true,
  logLevel: "warning",
});
const sizes = Object.entries(result.metafile.outputs).map(([file, o]) => `${path.basename(file)} ${(o.bytes / 1024).toFixed(0)} KB`);
console.log(`[build] standalone server ready in ${out} (${sizes.join(", ")})`);
