import { expect, test, type Page } from "@playwright/test";
import { uniqueEmail } from "./db";
import { expectAccessible, followSignInLink, latestLink, newUserPage, screenshot, SIGN_IN_LINK, signIn } from "./helpers";

/**
 * "Done means" of issue 11. The e2e server always loads the demo organization, so "a fresh
 * database" is played by a person nobody has invited anywhere: everything below is made through
 * the UI, and no demo row is read or touched.
 */

async function acceptAs(page: Page, email: string, link: string) {
  await page.goto(link);
  await page.getByRole("link", { name: "Sign in to accept" }).click();
  await expect(page.getByLabel("Email address")).toHaveValue(email);
  await page.getByRole("button", { name: "Send sign-in link" }).click();
  await expect(page.getByRole("heading", { name: "Check your email" })).toBeVisible();
  await followSignInLink(page, await latestLink(page, email, "Sign in to", { href: SIGN_IN_LINK }));
  await expect(page).toHaveURL(link);
  await page.getByRole("button", { name: "Accept invitation" }).click();
}

test("a person signs in, creates an organization, invites an Owner and a Member with two projects, copies one link, and both accept", async ({
  page,
  browser,
}) => {
  // Three people sign in by email link: longer than one default test.
  test.setTimeout(180_000);
  const founder = uniqueEmail("founder");
  const newOwner = uniqueEmail("owner2");
  const newMember = uniqueEmail("member2");
  const orgName = `Fresh Vectors ${founder.slice(8, 16)}`;

  await signIn(page, founder, { from: "/orgs" });
  await expect(page.getByRole("heading", { name: "Create your organization" })).toBeVisible();
  await expectAccessible(page);
  await screenshot(page, "create-organization");
  await page.getByLabel("Organization name").fill(orgName);
  await page.getByRole("button", { name: "Create organization" }).click();
  await expect(page.getByRole("heading", { name: orgName })).toBeVisible();
  await expect(page.getByText("Your role: Organization Owner")).toBeVisible();
  await expect(page.getByRole("list", { name: "Projects" }).getByRole("link", { name: /Default Project/ })).toContainText("Project Admin");
  // The Default Project can be renamed but not deleted.
  await expect(page.getByRole("button", { name: "Delete Default Project" })).toHaveCount(0);

  await page.getByLabel("Project name").fill("Search Prod");
  await page.getByRole("button", { name: "Create project" }).click();
  await expect(page.getByRole("heading", { name: "Project users" })).toBeVisible();
  await page.getByRole("link", { name: orgName }).first().click();
  await page.getByRole("link", { name: "Organization users" }).click();
  await expect(page.getByRole("heading", { name: "Organization users" })).toBeVisible();
  await expectAccessible(page);

  // One as Owner...
  await page.getByRole("button", { name: "Invite to organization" }).click();
  const dialog = page.getByRole("dialog");
  await dialog.getByLabel("Email addresses").fill(newOwner);
  await dialog.getByLabel("Organization role").selectOption({ label: "Organization Owner" });
  await dialog.getByRole("button", { name: "Send invitations" }).click();
  const results = dialog.getByRole("list", { name: "Invitation results" });
  await expect(results.getByRole("listitem").filter({ hasText: newOwner })).toContainText("Invited");
  // ...one as Member with two projects, with different roles.
  await dialog.getByRole("button", { name: "Invite more" }).click();
  await dialog.getByLabel("Email addresses").fill(newMember);
  await expect(dialog.getByLabel("Organization role")).toHaveValue("member");
  await dialog.getByLabel("Role in Default Project").selectOption({ label: "Project Read-Write" });
  await dialog.getByLabel("Role in Search Prod").selectOption({ label: "Project Admin" });
  await expectAccessible(page);
  await screenshot(page, "org-invite-dialog");
  await dialog.getByRole("button", { name: "Send invitations" }).click();
  await expect(results.getByRole("listitem").filter({ hasText: newMember })).toContainText("Invited");
  await dialog.getByRole("button", { name: "Done" }).click();

  const pending = page.getByRole("table", { name: "Pending invitations" });
  await expect(pending.getByRole("row").filter({ hasText: newOwner })).toContainText("Organization Owner");
  const memberRow = pending.getByRole("row").filter({ hasText: newMember });
  await expect(memberRow).toContainText("Default Project: Project Read-Write");
  await expect(memberRow).toContainText("Search Prod: Project Admin");
  const usersPage = page.url();
  const emailed = await latestLink(page, newMember, `You're invited to join ${orgName}`, { href: /\/invite\// });

  // Copy the member's link instead of using the email.
  await page.goto(usersPage);
  await page
    .getByRole("table", { name: "Pending invitations" })
    .getByRole("button", { name: `Copy link for ${newMember}` })
    .click();
  const copyDialog = page.getByRole("dialog", { name: `Invitation link for ${newMember}` });
  const copied = await copyDialog.getByLabel("Invitation link").inputValue();
  expect(copied).toMatch(/\/invite\/[A-Za-z0-9_-]{43}$/);
  expect(copied).not.toBe(emailed);
  await expectAccessible(page);
  await screenshot(page, "copy-link");
  await copyDialog.getByRole("button", { name: "Close" }).click();

  // The owner accepts from the email.
  const ownerPage = await newUserPage(browser);
  const ownerLink = await latestLink(ownerPage, newOwner, `You're invited to join ${orgName}`, { href: /\/invite\// });
  await ownerPage.goto(ownerLink);
  await expect(ownerPage.getByRole("heading", { name: `Join ${orgName}` })).toBeVisible();
  await acceptAs(ownerPage, newOwner, ownerLink);
  await expect(ownerPage.getByRole("heading", { name: orgName })).toBeVisible();
  await expect(ownerPage.getByText("Your role: Organization Owner")).toBeVisible();

  // The member's emailed link is dead; the copied one works.
  const memberPage = await newUserPage(browser);
  await memberPage.goto(emailed);
  await expect(memberPage.getByRole("heading", { name: "This invitation link is not valid" })).toBeVisible();
  await acceptAs(memberPage, newMember, copied);
  await expect(memberPage.getByRole("heading", { name: orgName })).toBeVisible();
  const projects = memberPage.getByRole("list", { name: "Projects" });
  await expect(projects.getByRole("link", { name: /Default Project/ })).toContainText("Project Read-Write");
  await expect(projects.getByRole("link", { name: /Search Prod/ })).toContainText("Project Admin");

  await page.reload();
  const members = page.getByRole("table", { name: "Members" });
  await expect(members.getByRole("row").filter({ hasText: newOwner })).toBeVisible();
  await expect(members.getByRole("row").filter({ hasText: newMember })).toContainText("2");
  await expect(page.getByText("No pending invitations")).toBeVisible();
  await ownerPage.context().close();
  await memberPage.context().close();
});
