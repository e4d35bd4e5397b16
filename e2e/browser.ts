import { existsSync } from "node:fs";
import { chromium } from "@playwright/test";

/**
 * The Chromium the end-to-end tests launch: `CHROMIUM_PATH` if set, else Debian's
 * `/usr/bin/chromium`, else Playwright's own download. Undefined when none of them exists.
 */
export function findChromium(env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (env.CHROMIUM_PATH) return existsSync(env.CHROMIUM_PATH) ? env.CHROMIUM_PATH : undefined;
  if (existsSync("/usr/bin/chromium")) return "/usr/bin/chromium";
  const own = chromium.executablePath();
  return own && existsSync(own) ? own : undefined;
}

export const NO_CHROMIUM_MESSAGE =
  "The end-to-end tests need Chromium and none was found: install it (`apt-get install chromium` on Debian, " +
  "or `npx playwright install chromium`), or set CHROMIUM_PATH to a Chromium or Chrome binary.";
