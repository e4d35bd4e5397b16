import { expect, test } from "@playwright/test";
import { createOrgMember, createProject, ORG_ID, uniqueEmail } from "./db";
import { expectAccessible, latestLink, newUserPage, signIn, signInAs, tabTo } from "./helpers";

const usersPath = `/orgs/${ORG_ID}/members`;

test("an owner changes an organization role by keyboard alone; the last Owner cannot leave", async ({ page }) => {
  const project = await createProject({ "admin@acme.test": "admin" });
  const person = uniqueEmail("promoted");
  await createOrgMember(person, project.id, "read_only");
  await signInAs(page, "owner@acme.test", { from: usersPath });
  await expect(page.getByRole("heading", { name: "Organization users" })).toBeVisible();

  // Server-side search narrows the Members table.
  await page.getByLabel("Search members").fill(person);
  await page.keyboard.press("Enter");
  const members = page.getByRole("table", { name: "Members" });
  await expect(members.getByRole("row")).toHaveCount(2);
  const select = members.getByLabel(`Organization role for ${person}`);
  await tabTo(page, select);
  await page.keyboard.press("ArrowUp");
  await expect(page.getByText(`${person} is now Organization Owner`)).toBeVisible();
  await page.reload();
  await expect(page.getByRole("table", { name: "Members" }).getByLabel(`Organization role for ${person}`)).toHaveValue("owner");
  await page
    .getByRole("table", { name: "Members" })
    .getByLabel(`Organization role for ${person}`)
    .selectOption({ label: "Organization Member" });
  await expect(page.getByText(`${person} is now Organization Member`)).toBeVisible();
  await expectAccessible(page);

  // owner@acme.test is Acme's only Owner: told to make someone else Owner first.
  await page.goto(usersPath);
  await tabTo(page, page.getByRole("button", { name: "Leave organization" }));
  await page.keyboard.press("Enter");
  const dialog = page.getByRole("alertdialog");
  await expect(dialog).toContainText("You are the only Organization Owner. Make someone else an Organization Owner before you leave.");
  await expect(dialog.getByRole("button", { name: "Leave organization" })).toHaveCount(0);
  await expectAccessible(page);
  await page.keyboard.press("Escape");
});

test("a member leaves the organization, and their project access ends", async ({ page }) => {
  const project = await createProject({ "admin@acme.test": "admin" });
  const leaver = uniqueEmail("leaving");
  await createOrgMember(leaver, project.id, "read_write");
  await signIn(page, leaver, { from: usersPath });
  await page.getByRole("button", { name: "Leave organization" }).click();
  const dialog = page.getByRole("alertdialog", { name: "Leave Acme Vector?" });
  await dialog.getByRole("button", { name: "Leave organization" }).click();
  await expect(page.getByRole("heading", { name: "Create your organization" })).toBeVisible();
  await page.goto(project.path);
  await expect(page.getByRole("heading", { name: "Page not found" })).toBeVisible();
});

test("an owner invites, copies a link, resends and revokes on the organization page; a project admin copies a project invitation's link", async ({
  page,
  browser,
}) => {
  const project = await createProject({ "admin@acme.test": "admin" });
  const invited = uniqueEmail("orgwide");
  await signInAs(page, "owner@acme.test", { from: usersPath });
  await page.getByRole("button", { name: "Invite to organization" }).click();
  const dialog = page.getByRole("dialog");
  await dialog.getByLabel("Email addresses").fill(`${invited}, member@acme.test, nope`);
  await dialog.getByLabel(`Role in ${project.name}`).selectOption({ label: "Project Read-Only" });
  await dialog.getByRole("button", { name: "Send invitations" }).click();
  const results = dialog.getByRole("list", { name: "Invitation results" });
  await expect(results.getByRole("listitem").filter({ hasText: invited })).toContainText("Invited");
  await expect(results.getByRole("listitem").filter({ hasText: "member@acme.test" })).toContainText("Added");
  await expect(results.getByRole("listitem").filter({ hasText: "nope" })).toContainText("Invalid");
  await dialog.getByRole("button", { name: "Done" }).click();

  const row = page.getByRole("table", { name: "Pending invitations" }).getByRole("row").filter({ hasText: invited });
  await row.getByRole("button", { name: `Copy link for ${invited}` }).click();
  const copy = page.getByRole("dialog", { name: `Invitation link for ${invited}` });
  const link = await copy.getByLabel("Invitation link").inputValue();
  await copy.getByRole("button", { name: "Close" }).click();
  // The email went out a moment ago: a resend waits its minute, and the copied link stays good.
  await expect(row.getByRole("button", { name: `Resend invitation to ${invited}` })).toBeDisabled();
  await expect(row.getByRole("button", { name: `Resend invitation to ${invited}` })).toHaveText(/^Resend in \d+ s$/);
  const stranger = await newUserPage(browser);
  await stranger.goto(link);
  await expect(stranger.getByRole("heading", { name: `Join ${project.name}` })).toBeVisible();
  await page
    .getByRole("table", { name: "Pending invitations" })
    .getByRole("button", { name: `Revoke invitation to ${invited}` })
    .click();
  await page.getByRole("alertdialog").getByRole("button", { name: "Revoke" }).click();
  // The toast says the server has revoked it (while the confirmation is open the table is hidden from queries).
  await expect(page.getByText(`The invitation to ${invited} was revoked`)).toBeVisible();
  await expect(page.getByRole("table", { name: "Pending invitations" }).getByRole("row").filter({ hasText: invited })).toHaveCount(0);
  await stranger.reload();
  await expect(stranger.getByRole("heading", { name: "This invitation was revoked" })).toBeVisible();
  await stranger.context().close();
  await page.goto(`/orgs/${ORG_ID}/activity`);
  await expect(page.getByRole("list", { name: "Activity" })).toContainText(`owner@acme.test copied a new invitation link for ${invited}`);

  // A Project Admin copies the link of a plain project invitation on the project page, by keyboard.
  const admin = await newUserPage(browser);
  const projectInvitee = uniqueEmail("projinv");
  await signInAs(admin, "admin@acme.test", { from: project.path });
  await admin.getByRole("button", { name: "Invite users" }).click();
  await admin.getByRole("dialog").getByLabel("Email addresses").fill(projectInvitee);
  await admin.getByRole("dialog").getByRole("button", { name: "Send invitations" }).click();
  await admin.getByRole("dialog").getByRole("button", { name: "Done" }).click();
  const emailed = await latestLink(admin, projectInvitee, `You're invited to join ${project.name}`, { href: /\/invite\// });
  await admin.goto(project.path);
  const copyButton = admin.getByRole("button", { name: `Copy link for ${projectInvitee}` });
  await tabTo(admin, copyButton);
  await admin.keyboard.press("Enter");
  const copyDialog = admin.getByRole("dialog", { name: `Invitation link for ${projectInvitee}` });
  const copied = await copyDialog.getByLabel("Invitation link").inputValue();
  expect(copied).not.toBe(emailed);
  await expectAccessible(admin);
  await admin.keyboard.press("Escape");
  await admin.goto(emailed);
  await expect(admin.getByRole("heading", { name: "This invitation link is not valid" })).toBeVisible();
  await admin.goto(copied);
  await expect(admin.getByRole("heading", { name: `This invitation was sent to ${projectInvitee}` })).toBeVisible();
  await admin.context().close();
});

test("an owner renames a project and deletes it by typing its name, by keyboard alone", async ({ page }) => {
  const project = await createProject({ "admin@acme.test": "admin" });
  await signInAs(page, "owner@acme.test", { from: `/orgs/${ORG_ID}/projects` });
  await tabTo(page, page.getByRole("button", { name: `Rename ${project.name}` }));
  await page.keyboard.press("Enter");
  const rename = page.getByRole("dialog", { name: `Rename ${project.name}` });
  await expect(rename).toBeVisible();
  const renamed = `${project.name} v2`;
  await rename.getByLabel("Project name").fill(renamed);
  await page.keyboard.press("Enter");
  await expect(page.getByRole("list", { name: "Projects" }).getByRole("link", { name: new RegExp(renamed) })).toBeVisible();
  // A typed name is shown isolated, so a right-to-left one cannot reorder what is around it.
  await expect(page.getByRole("list", { name: "Projects" }).locator("bdi", { hasText: renamed })).toBeVisible();

  await tabTo(page, page.getByRole("button", { name: `Delete ${renamed}` }));
  await page.keyboard.press("Enter");
  const del = page.getByRole("dialog", { name: `Delete ${renamed}?` });
  await page.keyboard.type("wrong name");
  await page.keyboard.press("Enter");
  await expect(del).toContainText(`Type the project's name, ${renamed}, to confirm.`);
  await expectAccessible(page);
  await del.getByLabel("Type the project name").fill(renamed);
  await page.keyboard.press("Enter");
  await expect(page.getByText(`${renamed} was deleted`)).toBeVisible();
  await expect(page.getByRole("list", { name: "Projects" }).getByRole("link", { name: new RegExp(renamed) })).toHaveCount(0);
  await expect(page.getByRole("button", { name: "Delete Default Project" })).toHaveCount(0);
  await page.goto(`/orgs/${ORG_ID}/activity`);
  await expect(page.getByRole("list", { name: "Activity" })).toContainText(`owner@acme.test deleted the project ${renamed}`);
  await expect(page.getByRole("list", { name: "Activity" }).locator("bdi", { hasText: renamed }).first()).toBeVisible();
});
