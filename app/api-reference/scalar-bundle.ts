import "server-only";
import { readFileSync } from "node:fs";
import path from "node:path";

/**
 * Scalar's prebuilt browser build (ES module entry plus its chunks), served from our own origin
 * so the reference page loads no script from a CDN. next.config.ts copies exactly these files
 * (the .js, not the source maps) into the standalone output; the ignore comments keep the build
 * from tracing the whole package for these run-time paths.
 */
const ROOT = path.join(/* turbopackIgnore: true */ process.cwd(), "node_modules/@scalar/api-reference");

/** The installed version: part of every file's URL, so a new version is a new URL and old ones may be cached for good. */
export const SCALAR_VERSION: string = (
  JSON.parse(readFileSync(path.join(/* turbopackIgnore: true */ ROOT, "package.json"), "utf8")) as { version: string }
).version;

/** Only the entry and the flat chunk folder: one plain file name each, so no path can leave them. */
const SERVED = /^(standalone\.esm\.js|chunks\/[A-Za-z0-9_.-]+\.js)$/;

const cache = new Map<string, Buffer>();

/** The bytes of one served file, or null for anything that is not one (including names with "..", which the pattern cannot reach past). */
export function readScalarFile(file: string): Buffer | null {
  if (!SERVED.test(file) || file.includes("..")) return null;
  let bytes = cache.get(file);
  if (!bytes) {
    try {
      bytes = readFileSync(path.join(/* turbopackIgnore: true */ ROOT, "dist/browser", file));
    } catch {
      return null;
    }
    cache.set(file, bytes);
  }
  return bytes;
}
