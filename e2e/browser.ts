import { existsSync } from "node:fs";
import { chromium } from "@playwright/test";

/**
 * Debian's Chromium builds, lightest first. The tests run headless: Debian's
 * `chromium-headless-shell` (the same Chromium, built without the windowing parts; what Playwright
 * itself launches for headless runs) spends far less CPU per page than the full browser in its
 * headless mode (on this 2-core machine the end-to-end half took 295 s instead of 418 s).
 */
const DEBIAN_CHROMIUMS = ["/usr/bin/chromium-headless-shell", "/usr/bin/chromium"];

/**
 * The Chromium the end-to-end tests launch: `CHROMIUM_PATH` if set, else Debian's headless shell
 * or Debian's Chromium, else Playwright's own download. Undefined when none of them exists.
 */
export function findChromium(env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (env.CHROMIUM_PATH) return existsSync(env.CHROMIUM_PATH) ? env.CHROMIUM_PATH : undefined;
  const debian = DEBIAN_CHROMIUMS.find((path) => existsSync(path));
  if (debian) return debian;
  const own = chromium.executablePath();
  return own && existsSync(own) ? own : undefined;
}

export const NO_CHROMIUM_MESSAGE =
  "The end-to-end tests need Chromium and none was found: install it (`apt-get install chromium-headless-shell` or " +
  "`apt-get install chromium` on Debian, or `npx playwright install chromium`), or set CHROMIUM_PATH to a Chromium or Chrome binary.";
