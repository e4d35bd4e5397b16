import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { getEnv } from "./env";

let cached: string | undefined;

/**
 * AUTH_SECRET from the environment; in development a generated one is kept under .data/ so
 * sessions and sealed outbox links survive restarts. Production without one is refused by env
 * validation.
 */
export function getAppSecret(): string {
  if (cached) return cached;
  const env = getEnv();
  if (env.AUTH_SECRET) return (cached = env.AUTH_SECRET);
  if (env.NODE_ENV === "production" && process.env.NEXT_PHASE !== "phase-production-build") {
    throw new Error("AUTH_SECRET is required in production");
  }
  const file = path.join(/* turbopackIgnore: true */ process.cwd(), ".data/auth-secret");
  if (existsSync(file)) return (cached = readFileSync(file, "utf8").trim());
  mkdirSync(path.dirname(file), { recursive: true });
  try {
    // "wx": if another process (the worker, a second dev server) wrote one first, use theirs.
    writeFileSync(file, randomBytes(32).toString("base64url"), { mode: 0o600, flag: "wx" });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
  }
  return (cached = readFileSync(file, "utf8").trim());
}
