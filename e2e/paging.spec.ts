import { randomBytes, randomUUID } from "node:crypto";
import { expect, test, type Page } from "@playwright/test";
import { withClient } from "./db";
import { expectAccessible, signIn } from "./helpers";

/**
 * Keyset paging as a person uses it: Previous / Next over cursors, by mouse and by keyboard, with
 * true words ("51–100 of 120"), on the client-paged project lists and on the server-rendered
 * organization users page (cursor in the address); a damaged cursor in the address shows the
 * first page and says so. Its own organization, so the demo organization's lists stay as they are.
 */

const SIZE = 120;

async function seedOrganization(): Promise<{ email: string; orgId: string; projectId: string }> {
  return withClient(async (client) => {
    const tag = randomBytes(4).toString("hex");
    const [orgId, projectId] = [randomUUID(), randomUUID()];
    const email = `pager-owner-${tag}@example.test`;
    await client.query("insert into organizations (id, name) values ($1, $2)", [orgId, `Paging ${tag}`]);
    await client.query("insert into projects (id, org_id, name, is_default) values ($1, $2, 'Paged Project', true)", [projectId, orgId]);
    await client.query("insert into users (id, email, name) values ($1, $2, 'Pager Owner')", [`pager-owner-${tag}`, email]);
    await client.query(
      `insert into users (id, email, name) select $1 || '-' || g, 'pager-' || lpad(g::text, 3, '0') || '-' || $1 || '@example.test', 'Paged ' || g ` +
        `from generate_series(1, $2) g`,
      [tag, SIZE - 1],
    );
    await client.query("insert into organization_memberships (org_id, user_id, role) values ($1, $2, 'owner')", [
      orgId,
      `pager-owner-${tag}`,
    ]);
    await client.query(
      "insert into organization_memberships (org_id, user_id, role) select $1, $2 || '-' || g, 'member' from generate_series(1, $3) g",
      [orgId, tag, SIZE - 1],
    );
    await client.query("insert into project_memberships (org_id, project_id, user_id, role) values ($1, $2, $3, 'admin')", [
      orgId,
      projectId,
      `pager-owner-${tag}`,
    ]);
    await client.query(
      "insert into project_memberships (org_id, project_id, user_id, role) select $1, $2, $3 || '-' || g, 'read_only' from generate_series(1, $4) g",
      [orgId, projectId, tag, SIZE - 1],
    );
    return { email, orgId, projectId };
  });
}

/** The addresses in a table's rows, in order. */
async function emailsIn(page: Page, table: string): Promise<string[]> {
  const text = await page.getByRole("table", { name: table }).getByRole("row").allInnerTexts();
  return text.map((t) => /[\w.+-]+@[\w.-]+/.exec(t)?.[0]).filter((e): e is string => e !== undefined);
}

test("project collaborators page forward and back by mouse and keyboard, every row once, with true words", async ({ page }) => {
  const { email, orgId, projectId } = await seedOrganization();
  const path = `/orgs/${orgId}/projects/${projectId}/members`;
  await signIn(page, email, { from: path });
  await expect(page.getByRole("heading", { name: "Project users" })).toBeVisible();
  const pager = page.getByRole("navigation", { name: "Collaborators pages" });
  const next = pager.getByRole("button", { name: "Next page" });
  const previous = pager.getByRole("button", { name: "Previous page" });
  await expect(pager).toContainText("1–50 of 120");
  await expect(previous).toBeDisabled();
  const seen = [await emailsIn(page, "Collaborators")];

  await next.click();
  await expect(pager).toContainText("51–100 of 120");
  seen.push(await emailsIn(page, "Collaborators"));
  // The keyboard: focus on Next (50 rows of controls lie before it) and Enter.
  await next.focus();
  await page.keyboard.press("Enter");
  await expect(pager).toContainText("101–120 of 120");
  await expect(next).toBeDisabled();
  seen.push(await emailsIn(page, "Collaborators"));
  expect(seen.map((s) => s.length)).toEqual([50, 50, 20]);
  expect(new Set(seen.flat()).size).toBe(SIZE);

  await previous.focus();
  await page.keyboard.press("Enter");
  await expect(pager).toContainText("51–100 of 120");
  expect(await emailsIn(page, "Collaborators")).toEqual(seen[1]);
  await previous.click();
  await expect(pager).toContainText("1–50 of 120");
  expect(await emailsIn(page, "Collaborators")).toEqual(seen[0]);
  await expectAccessible(page);

  // The list route refuses a damaged cursor plainly.
  const refused = await page.request.get(`/api/orgs/${orgId}/projects/${projectId}/collaborators?cursor=not-a-cursor`);
  expect(refused.status()).toBe(400);
  expect((await refused.json()) as { ok: boolean }).toMatchObject({ ok: false });
});

test("organization members page through links with the cursor in the address; a damaged cursor shows the first page and says so", async ({
  page,
}) => {
  const { email, orgId } = await seedOrganization();
  const path = `/orgs/${orgId}/members`;
  await signIn(page, email, { from: path });
  const pager = page.getByRole("navigation", { name: "Member pages" });
  await expect(pager).toContainText("1–50 of 120");
  const first = await emailsIn(page, "Members");
  await pager.getByRole("link", { name: "Next page" }).click();
  await expect(page).toHaveURL(/[?&]cursor=/);
  await expect(pager).toContainText("51–100 of 120");
  const second = await emailsIn(page, "Members");
  expect(second.filter((e) => first.includes(e))).toEqual([]);
  await pager.getByRole("link", { name: "Next page" }).focus();
  await page.keyboard.press("Enter");
  await expect(pager).toContainText("101–120 of 120");
  await expect(pager.getByRole("link", { name: "Next page" })).toHaveCount(0);
  await pager.getByRole("link", { name: "Previous page" }).click();
  await expect(pager).toContainText("51–100 of 120");
  expect(await emailsIn(page, "Members")).toEqual(second);

  // At 360 px the pager wraps inside the page: no sideways scroll.
  await page.setViewportSize({ width: 360, height: 800 });
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);

  await page.goto(`${path}?cursor=eyJub3QiOiJhIGN1cnNvciJ9`);
  await expect(page.getByRole("status").filter({ hasText: "That link to a place in this list is not valid" })).toBeVisible();
  await expect(pager).toContainText("1–50 of 120");
  expect(await emailsIn(page, "Members")).toEqual(first);
});
