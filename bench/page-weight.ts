/**
 * First-load JavaScript of each app page from the last `next build`: the root main files plus the
 * chunks of the page's layouts and page entry, raw and gzipped. Run `npm run build` first.
 * Usage: npx tsx bench/page-weight.ts
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { gzipSync } from "node:zlib";

const next = ".next";
if (!existsSync(path.join(next, "BUILD_ID"))) throw new Error("No build found: run `npm run build` first");
const build = JSON.parse(readFileSync(path.join(next, "build-manifest.json"), "utf8")) as { rootMainFiles: string[] };

function manifests(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) return manifests(full);
    return e.name === "page_client-reference-manifest.js" ? [full] : [];
  });
}

const sizeOf = (file: string) => {
  const bytes = readFileSync(path.join(next, file.replace(/^\/?_next\//, "")));
  return { raw: bytes.length, gzip: gzipSync(bytes).length };
};

const rows: { page: string; raw: number; gzip: number; files: number }[] = [];
for (const file of manifests(path.join(next, "server/app"))) {
  const store: Record<string, { entryJSFiles: Record<string, string[]> }> = {};
  new Function("globalThis", readFileSync(file, "utf8"))({ __RSC_MANIFEST: store });
  for (const [page, manifest] of Object.entries(store)) {
    const files = new Set(build.rootMainFiles);
    const segments = page.replace(/\/page$/, "").split("/");
    for (const [entry, chunks] of Object.entries(manifest.entryJSFiles)) {
      const route = entry.replace("[project]/app", "");
      const isLayout = route.endsWith("/layout") && page.startsWith(route.replace(/\/?layout$/, "") || "/");
      const isPage = route === `${segments.join("/")}/page` || route === page;
      if (isLayout || isPage) chunks.forEach((c) => files.add(c));
    }
    let raw = 0;
    let gzip = 0;
    for (const f of files) {
      const s = sizeOf(f);
      raw += s.raw;
      gzip += s.gzip;
    }
    rows.push({ page, raw, gzip, files: files.size });
  }
}
rows.sort((a, b) => a.page.localeCompare(b.page));
console.log("page".padEnd(52), "files", "raw KB".padStart(8), "gzip KB".padStart(8));
for (const r of rows)
  console.log(
    r.page.padEnd(52),
    String(r.files).padStart(5),
    (r.raw / 1024).toFixed(1).padStart(8),
    (r.gzip / 1024).toFixed(1).padStart(8),
  );
