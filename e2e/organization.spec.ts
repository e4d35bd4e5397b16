import { expect, test } from "@playwright/test";
import { createOrgMember, createProject, ORG_ID, uniqueEmail } from "./db";
import { expectAccessible, newUserPage, screenshot, signIn, signInAs } from "./helpers";

test("the Organization Owner removes someone from the organization, and every project access ends", async ({ page, browser }) => {
  const project = await createProject({ "admin@acme.test": "admin" });
  const leaver = uniqueEmail("leaver");
  await createOrgMember(leaver, project.id, "read_write");
  const them = await newUserPage(browser);
  await signIn(them, leaver, { from: project.path });
  await expect(them.getByText("your access: Project Read-Write")).toBeVisible();

  await signInAs(page, "owner@acme.test", { from: `/orgs/${ORG_ID}/projects` });
  await page.getByRole("link", { name: "Organization users" }).click();
  const row = page.getByRole("table", { name: "Members" }).getByRole("row").filter({ hasText: leaver });
  await expect(row.getByLabel(`Organization role for ${leaver}`)).toHaveValue("member");
  await expectAccessible(page);
  await screenshot(page, "organization-members");
  await row.getByRole("button", { name: `Remove ${leaver} from the organization` }).click();
  const confirm = page.getByRole("alertdialog");
  await expect(confirm).toContainText("the 1 project");
  await confirm.getByRole("button", { name: "Remove" }).click();
  // While the confirmation is open the table is hidden from role queries: wait for the answer first.
  await expect(page.getByText(`${leaver} was removed from the organization`)).toBeVisible();
  await expect(confirm).toBeHidden();
  await expect(row).toHaveCount(0);

  await them.reload();
  await expect(them.getByRole("heading", { name: "Page not found" })).toBeVisible();
  await them.goto("/orgs");
  await expect(them.getByRole("heading", { name: "Create your organization" })).toBeVisible();

  await page.goto(project.path);
  await expect(page.getByRole("table", { name: "Collaborators" })).not.toContainText(leaver);
  await expect(page.getByRole("list", { name: "Activity" })).toContainText(`removed ${leaver}`);
  await them.context().close();
});

test("a member who is not an owner may look at the organization users but manages nothing", async ({ page }) => {
  await signInAs(page, "writer@acme.test", { from: `/orgs/${ORG_ID}/members` });
  await expect(page.getByRole("heading", { name: "Organization users" })).toBeVisible();
  await expect(page.getByRole("table", { name: "Members" }).getByRole("row").filter({ hasText: "owner@acme.test" })).toContainText(
    "Organization Owner",
  );
  await expect(page.getByRole("button", { name: "Invite to organization" })).toHaveCount(0);
  await expect(page.getByRole("table", { name: "Pending invitations" })).toHaveCount(0);
  await expect(page.getByRole("combobox", { name: /Organization role for/ })).toHaveCount(0);
  await expect(page.getByRole("button", { name: /from the organization/ })).toHaveCount(0);
  await expect(page.getByRole("button", { name: "Leave organization" })).toBeVisible();
  await expectAccessible(page);
});
