import AxeBuilder from "@axe-core/playwright";
import { expect, type Page } from "@playwright/test";

/** The newest link in the local mailbox sent to `to` whose subject contains `subject`. */
export async function latestLink(page: Page, to: string, subject: string | RegExp, options: { notEqual?: string } = {}): Promise<string> {
  let href = "";
  await expect(async () => {
    await page.goto(`/dev/mailbox?to=${encodeURIComponent(to)}`);
    const message = page.getByRole("listitem").filter({ has: page.getByRole("heading", { name: subject }) }).first();
    await expect(message).toBeVisible({ timeout: 1000 });
    href = (await message.getByRole("link").first().getAttribute("href")) ?? "";
    expect(href).not.toBe("");
    if (options.notEqual) expect(href).not.toBe(options.notEqual);
  }).toPass({ timeout: 20_000 });
  return href;
}

/** Signs in through the real flow: the form, then the link from the local mailbox. */
export async function signIn(page: Page, email: string, options: { from?: string } = {}): Promise<void> {
  await page.goto(options.from ?? "/sign-in");
  if (!page.url().includes("/sign-in")) await page.goto(`/sign-in?callbackUrl=${encodeURIComponent(options.from ?? "/orgs")}`);
  await page.getByLabel("Email address").fill(email);
  await page.getByRole("button", { name: "Send sign-in link" }).click();
  await expect(page.getByRole("heading", { name: "Check your email" })).toBeVisible();
  const link = await latestLink(page, email, "Sign in to");
  await page.goto(link);
}

/** Fails on serious or critical accessibility violations of the current page. */
export async function expectAccessible(page: Page): Promise<void> {
  const results = await new AxeBuilder({ page }).analyze();
  const bad = results.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
  expect(bad.map((v) => `${v.id}: ${v.help} (${v.nodes.length})`)).toEqual([]);
}

export const DEMO = {
  orgId: "00000000-0000-4000-8000-00000000a001",
  defaultProjectId: "00000000-0000-4000-8000-00000000b001",
  searchProdId: "00000000-0000-4000-8000-00000000b002",
} as const;

export const membersPath = (projectId: string = DEMO.searchProdId) => `/orgs/${DEMO.orgId}/projects/${projectId}/members`;
