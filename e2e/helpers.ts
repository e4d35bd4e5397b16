import { createHash } from "node:crypto";
import { closeSync, mkdirSync, openSync, readFileSync, rmSync } from "node:fs";
import AxeBuilder from "@axe-core/playwright";
import { expect, type Browser, type Page } from "@playwright/test";
import { DEMO } from "@/db/seed";

// One folder per run (its database is new each run), so claims never outlive the links.
const RUN = new URL(process.env.E2E_DATABASE_URL ?? "postgres://x/run").pathname.slice(1);
const CLAIMS = `test-results/e2e-claimed-links/${RUN}`;
const SCANNED = `test-results/e2e-axe-scanned/${RUN}`;
const claimFile = (folder: string, key: string) => `${folder}/${createHash("sha256").update(key).digest("hex")}`;

/** The first worker to ask for `key` in this run gets it (an exclusive file create); everyone after is told no. */
function claimOnce(folder: string, key: string): boolean {
  mkdirSync(folder, { recursive: true });
  try {
    closeSync(openSync(claimFile(folder, key), "wx"));
    return true;
  } catch {
    return false;
  }
}

/**
 * Takes a single-use link for this worker alone. Tests run in parallel and the same demo person
 * may ask for a sign-in link in two workers at once: whoever claims a link first uses it, the
 * other takes the next one.
 */
const claim = (href: string) => claimOnce(CLAIMS, href);

/** The newest link in the local mailbox sent to `to` whose subject contains `subject`. */
export async function latestLink(
  page: Page,
  to: string,
  subject: string | RegExp,
  options: { notEqual?: string; href?: RegExp; claim?: boolean; accept?: (href: string) => boolean } = {},
): Promise<string> {
  let href = "";
  await expect(async () => {
    await page.goto(`/dev/mailbox?to=${encodeURIComponent(to)}`);
    const messages = page.getByRole("listitem").filter({ has: page.getByRole("heading", { name: subject }) });
    await expect(messages.first()).toBeVisible({ timeout: 1000 });
    const pattern = options.href ?? /\/(invite\/|sign-in\/confirm\?|orgs\/)/;
    href = "";
    search: for (const message of options.claim ? await messages.all() : [messages.first()]) {
      for (const candidate of await message.getByRole("link").all()) {
        const value = (await candidate.getAttribute("href")) ?? "";
        if (pattern.test(value) && (options.accept?.(value) ?? true) && (!options.claim || claim(value))) {
          href = value;
          break search;
        }
      }
    }
    expect(href).not.toBe("");
    if (options.notEqual) expect(href).not.toBe(options.notEqual);
  }).toPass({ timeout: 20_000 });
  return href;
}

const pathOf = (url: string) => {
  const parsed = new URL(url, "http://e2e");
  return parsed.pathname + parsed.search;
};

/** Signs in through the real flow: the form, then the link from the local mailbox. */
export async function signIn(page: Page, email: string, options: { from?: string } = {}): Promise<void> {
  // The page to come back to, as a path: the link in the email says where it returns.
  const target = pathOf(options.from ?? "/orgs");
  await page.goto(options.from ?? "/sign-in");
  if (!page.url().includes("/sign-in")) await page.goto(`/sign-in?callbackUrl=${encodeURIComponent(target)}`);
  await page.getByLabel("Email address").fill(email);
  await page.getByRole("button", { name: "Send sign-in link" }).click();
  // Global setup's first sign-in meets a cold server, and its expect has no config timeout: give it the flows' room.
  await expect(page.getByRole("heading", { name: "Check your email" })).toBeVisible({ timeout: 15_000 });
  await followSignInLink(page, await signInLinkFor(page, email, target));
}

/**
 * The sign-in link from the mailbox for `email` that returns to `target`, taken for this worker
 * alone: another worker's link for the same person may return to another page, or be used already.
 */
export async function signInLinkFor(page: Page, email: string, target: string): Promise<string> {
  return latestLink(page, email, "Sign in to", {
    href: SIGN_IN_LINK,
    claim: true,
    accept: (href) => pathOf(new URL(href, "http://e2e").searchParams.get("callbackUrl") ?? "/orgs") === pathOf(target),
  });
}

/** The demo people (db/seed.ts) whose sessions e2e/global-setup.ts keeps. */
export const DEMO_PEOPLE = ["owner@acme.test", "admin@acme.test", "writer@acme.test", "reader@acme.test", "member@acme.test"] as const;
export type DemoPerson = (typeof DEMO_PEOPLE)[number];

/** Where the saved session (a Playwright storage state) of a demo person is kept for this run. */
export const savedSessionPath = (email: string) => `${CLAIMS.replace("e2e-claimed-links", "e2e-sessions")}/${email}.json`;

/**
 * Starts signed in as a demo person with the session e2e/global-setup.ts made through the real
 * email link, and opens `from` (default /orgs). For flows that do not test signing in itself: they
 * never sign out (that would end the session for every test that shares it).
 */
export async function signInAs(page: Page, email: DemoPerson, options: { from?: string } = {}): Promise<void> {
  const state = JSON.parse(readFileSync(savedSessionPath(email), "utf8")) as {
    cookies: Parameters<ReturnType<Page["context"]>["addCookies"]>[0];
  };
  await page.context().addCookies(state.cookies);
  await page.goto(options.from ?? "/orgs");
  await expect(page).not.toHaveURL(/\/sign-in/);
}

/** Emailed sign-in links open a confirmation page (a GET changes nothing); its button signs in. */
export const SIGN_IN_LINK = /\/sign-in\/confirm\?/;

/** Opens a sign-in link from the mailbox and presses its "Sign in" button, as the person does. */
export async function followSignInLink(page: Page, link: string): Promise<void> {
  await page.goto(link);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await page.waitForURL((url) => !url.pathname.startsWith("/sign-in/confirm") && !url.pathname.startsWith("/api/auth/"));
}

/**
 * Fails on serious or critical accessibility violations of the current page, scanned once a run
 * per screen: a screen is the page's route (ids and link tokens left out), its width, whether a
 * dialog is open, and its h1/h2 headings (words with digits left out, so two tests' projects are
 * one screen). Another test's scan of the same screen stands for this one; a failed scan gives the
 * screen back, so a retry scans it again.
 */
export async function expectAccessible(page: Page): Promise<void> {
  // Next.js streams a dynamic page's <title> after its first content: wait for it (a page that
  // never gets one still fails, here), so axe never runs in between.
  await expect(page).toHaveTitle(/\S/);
  const screen = await page.evaluate(() =>
    JSON.stringify([
      location.pathname.replace(/[0-9a-f]{8}(?:-[0-9a-f]{4}){3}-[0-9a-f]{12}/g, ":id").replace(/\/[\w-]{24,}/g, "/:token"),
      window.innerWidth,
      document.querySelector("[role=dialog], [role=alertdialog]") !== null,
      [...document.querySelectorAll("h1, h2")].map((h) => (h.textContent ?? "").replace(/\S*\d\S*/g, "#")),
    ]),
  );
  if (!claimOnce(SCANNED, screen)) return;
  try {
    // A toast fading in is half transparent: axe would measure its colours mid-way. Wait for every
    // finite animation or transition to end (spinners and skeleton pulses run forever: not those).
    await page.waitForFunction(() =>
      document.getAnimations().every((a) => a.playState !== "running" || a.effect?.getTiming().iterations === Infinity),
    );
    const results = await new AxeBuilder({ page }).analyze();
    const bad = results.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
    expect(bad.map((v) => `${v.id}: ${v.help} at ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`)).toEqual([]);
  } catch (error) {
    rmSync(claimFile(SCANNED, screen), { force: true });
    throw error;
  }
}

export { DEMO };

export const membersPath = (projectId: string = DEMO.searchProdId) => `/orgs/${DEMO.orgId}/projects/${projectId}/members`;

/**
 * Presses Tab until the locator has focus: keyboard-only navigation, bounded by one trip round the
 * page (every element that can take focus, once), so a target Tab never reaches still fails.
 */
export async function tabTo(page: Page, target: ReturnType<Page["locator"]>): Promise<void> {
  // A control is disabled until the page's script runs it (components/ui/use-script-ready.ts), and
  // Tab passes over a disabled control: wait for it, as a person waits for the page.
  await expect(target).toBeEnabled();
  // Not a fixed count: other tests add rows to the shared demo organization (its projects list
  // grows by a link and two buttons per project), so how far down a row is depends on the run.
  const max =
    (await page.evaluate(
      () => document.querySelectorAll("a[href], button, input, select, textarea, summary, [tabindex]:not([tabindex='-1'])").length,
    )) + 2;
  for (let i = 0; i < max; i++) {
    if (await target.evaluate((el) => el === document.activeElement)) return;
    await page.keyboard.press("Tab");
  }
  throw new Error(`could not reach ${target} with Tab`);
}

/** Signs out by the header button. */
export async function signOut(page: Page): Promise<void> {
  await page.goto("/orgs");
  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/sign-in/);
}

/** Saves a screenshot of a main screen under test-results/screens (not committed). */
export async function screenshot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: `test-results/screens/${name}.png`, fullPage: true });
}

/** A page in a fresh browser context: a second person in the same test. */
export async function newUserPage(browser: Browser): Promise<Page> {
  const context = await browser.newContext();
  return context.newPage();
}
