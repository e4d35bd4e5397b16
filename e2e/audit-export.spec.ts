import { readFileSync } from "node:fs";
import { expect, test, type Page } from "@playwright/test";
import { randomUUID } from "node:crypto";
import { ORG_ID, sql } from "./db";
import { signInAs } from "./helpers";

const noSidewaysScroll = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth <= document.documentElement.clientWidth);
const today = () => new Date().toISOString().slice(0, 10);

test("an Owner picks a range on the activity page and downloads the activity as CSV", async ({ page }) => {
  // Two records of today, one with an address a spreadsheet would read as a formula.
  const ids: string[] = [randomUUID(), randomUUID()];
  await sql(
    `insert into activity (id, org_id, actor_email, action, target_email, new_role, created_at)
     values ($1, $3, 'owner@acme.test', 'invitation.created', 'plain@example.com', 'read_only', now() - interval '2 minutes'),
            ($2, $3, 'owner@acme.test', 'invitation.created', '=cmd@example.com', 'read_only', now() - interval '1 minute')`,
    [ids[0], ids[1], ORG_ID],
  );
  await signInAs(page, "owner@acme.test", { from: `/orgs/${ORG_ID}/activity` });
  const part = page.getByRole("region", { name: "Export activity" });
  await expect(part).toBeVisible();
  // A backwards range is refused on the page before anything is asked of the server.
  await part.getByLabel("From").fill(today());
  await part.getByLabel("To").fill("2020-01-01");
  await expect(part.getByText("The last day must not be before the first.")).toBeVisible();
  await expect(part.getByRole("button", { name: "Download" })).toBeDisabled();

  const from = new Date(Date.now() - 300 * 86_400_000).toISOString().slice(0, 10);
  await part.getByLabel("From").fill(from);
  await part.getByLabel("To").fill(today());
  await part.getByLabel("Format").selectOption("csv");
  const downloading = page.waitForEvent("download");
  await part.getByRole("link", { name: "Download" }).click();
  const download = await downloading;
  expect(download.suggestedFilename()).toBe(`acme-vector-activity-${from}-to-${today()}.csv`);
  const text = readFileSync((await download.path())!, "utf8");
  const [header, ...rows] = text.split("\r\n").filter(Boolean);
  expect(header).toBe(
    "id,createdAt,action,description,actorType,actorId,actorEmail,actorApiKeyId,actorApiKeyName,actorConnectionName," +
      "targetUserId,targetEmail,projectId,projectName,oldRole,newRole,detail",
  );
  // Both records are in the file, oldest first, the formula defused.
  const mine = rows.filter((r) => ids.includes(r.split(",")[0]!));
  expect(mine.map((r) => r.split(",")[0])).toEqual(ids);
  expect(mine[1]).toContain(",'=cmd@example.com,");
  const times = rows.map((r) => r.split(",")[1]!);
  expect([...times].sort()).toEqual(times);
});

test("the Export part fits a 360 px screen", async ({ page }) => {
  await page.setViewportSize({ width: 360, height: 800 });
  await signInAs(page, "owner@acme.test", { from: `/orgs/${ORG_ID}/activity` });
  const part = page.getByRole("region", { name: "Export activity" });
  await expect(part.getByRole("link", { name: "Download" })).toBeVisible();
  expect(await noSidewaysScroll(page)).toBe(true);
});
