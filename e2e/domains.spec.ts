import { randomBytes } from "node:crypto";
import { expect, test, type Page } from "@playwright/test";
import { sql } from "./db";
import { publishTxt } from "./dns";
import { DEMO, expectAccessible, signInAs } from "./helpers";

const noSidewaysScroll = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth <= document.documentElement.clientWidth);

test("an Organization Owner adds a domain, publishes its TXT record, checks it and sees it verified, then removes it", async ({ page }) => {
  const name = `e2e-${randomBytes(4).toString("hex")}.example.com`;
  await signInAs(page, "owner@acme.test", { from: `/orgs/${DEMO.orgId}/projects` });
  await page.getByRole("link", { name: "Domains" }).click();
  await expect(page.getByRole("heading", { name: "Verified domains", level: 1 })).toBeVisible();
  await expect(page.getByText("No domains yet.")).toBeVisible();

  // Typed as people paste it: upper case, a trailing dot.
  await page.getByRole("textbox", { name: "Domain" }).fill(`${name.toUpperCase()}.`);
  await page.getByRole("button", { name: "Add domain" }).click();
  const item = page.getByRole("listitem").filter({ has: page.getByRole("heading", { name }) });
  await expect(item.getByTestId("domain-status")).toHaveText("Waiting for DNS");
  const value = (await item.getByTestId("txt-value").textContent())!.trim();
  expect(value).toMatch(/^mc-domain-verification=[A-Za-z0-9_-]{32}$/);
  await expect(item.getByText(name, { exact: true }).first()).toBeVisible();

  for (const width of [360, 1280]) {
    await page.setViewportSize({ width, height: 900 });
    expect(await noSidewaysScroll(page), `sideways scroll at ${width} px`).toBe(true);
  }
  await expectAccessible(page);

  // Not in DNS yet: the check says what it looked for and where.
  await item.getByRole("button", { name: "Check now" }).click();
  await expect(item).toContainText(`Last check: No TXT record ${value} found on ${name}.`);
  await expect(item.getByTestId("domain-status")).toHaveText("Waiting for DNS");

  publishTxt(name, ["v=spf1 -all", value]);
  await item.getByRole("button", { name: "Check now" }).click();
  await expect(item.getByTestId("domain-status")).toHaveText("Verified");
  expect(await sql("select 1 from org_domains where org_id = $1 and domain = $2 and status = 'verified'", [DEMO.orgId, name])).toHaveLength(
    1,
  );

  await item.getByRole("button", { name: `Remove ${name}` }).click();
  await page.getByRole("alertdialog").getByRole("button", { name: "Remove" }).click();
  await expect(item).toHaveCount(0);
  await expect.poll(async () => (await sql("select 1 from org_domains where domain = $1", [name])).length).toBe(0);
});

test("someone who is not an Organization Owner gets “not found” on the domains page", async ({ page }) => {
  await signInAs(page, "admin@acme.test");
  const response = await page.goto(`/orgs/${DEMO.orgId}/settings/domains`);
  expect(response?.status()).toBe(404);
  await expect(page.getByRole("heading", { name: "Verified domains" })).toHaveCount(0);
});
