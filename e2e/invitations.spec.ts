import { expect, test, type Page } from "@playwright/test";
import { ageInvitation, createProject, uniqueEmail } from "./db";
import { expectAccessible, followSignInLink, latestLink, newUserPage, screenshot, SIGN_IN_LINK, signIn, signInAs, tabTo } from "./helpers";

const INVITE = /\/invite\//;

async function inviteByMouse(page: Page, emails: string, role?: string) {
  await page.getByRole("button", { name: "Invite users" }).click();
  const dialog = page.getByRole("dialog");
  await dialog.getByLabel("Email addresses").fill(emails);
  if (role) await dialog.getByLabel("Role").selectOption({ label: role });
  await dialog.getByRole("button", { name: "Send invitations" }).click();
  await expect(dialog.getByRole("list", { name: "Invitation results" })).toBeVisible();
  return dialog;
}

const pendingRow = (page: Page, email: string) =>
  page.getByRole("table", { name: "Pending invitations" }).getByRole("row").filter({ hasText: email });
const collaboratorRow = (page: Page, email: string) =>
  page.getByRole("table", { name: "Collaborators" }).getByRole("row").filter({ hasText: email });

test("1. an admin invites two new addresses and an organization member, by keyboard alone", async ({ page }) => {
  const project = await createProject({ "admin@acme.test": "admin" });
  const first = uniqueEmail("new");
  const second = uniqueEmail("new");
  await signInAs(page, "admin@acme.test", { from: project.path });
  await expect(page.getByRole("heading", { name: "Project users" })).toBeVisible();
  await expectAccessible(page);
  await screenshot(page, "members-admin");

  const inviteButton = page.getByRole("button", { name: "Invite users" });
  await tabTo(page, inviteButton);
  await page.keyboard.press("Enter");
  const dialog = page.getByRole("dialog", { name: `Invite users to ${project.name}` });
  await expect(dialog).toBeVisible();
  await expect(dialog.getByLabel("Email addresses")).toBeFocused();
  await page.keyboard.type(`${first.toUpperCase()}, ${second}\nmember@acme.test ${first} `);
  await expect(dialog.getByRole("list", { name: "Addresses to invite" }).getByRole("listitem")).toHaveCount(3);
  await page.keyboard.type("not-an-address");
  await page.keyboard.press("Tab");
  await expect(dialog.getByText("1 not valid")).toBeVisible();
  await tabTo(page, dialog.getByLabel("Role"));
  await expect(dialog.getByLabel("Role")).toHaveValue("read_only");
  await expectAccessible(page);
  await screenshot(page, "invite-dialog");
  await tabTo(page, dialog.getByRole("button", { name: "Send invitations" }));
  await page.keyboard.press("Enter");

  const results = dialog.getByRole("list", { name: "Invitation results" });
  await expect(results.getByRole("listitem").filter({ hasText: first })).toContainText("Invited");
  await expect(results.getByRole("listitem").filter({ hasText: second })).toContainText("Invited");
  await expect(results.getByRole("listitem").filter({ hasText: "member@acme.test" })).toContainText("Added");
  await expect(results.getByRole("listitem").filter({ hasText: "not-an-address" })).toContainText("Invalid");
  await screenshot(page, "invite-results");
  await tabTo(page, dialog.getByRole("button", { name: "Done" }));
  await page.keyboard.press("Enter");
  await expect(dialog).toBeHidden();
  await expect(inviteButton).toBeFocused();

  await expect(collaboratorRow(page, "member@acme.test")).toContainText("Project Read-Only");
  await expect(pendingRow(page, first)).toContainText("Expires in 48 hours");
  await expect(pendingRow(page, second)).toContainText("Project Read-Only");
  await expect(pendingRow(page, first)).toContainText("Sent");
  await expectAccessible(page);

  expect(await latestLink(page, first, `You're invited to join ${project.name}`, { href: INVITE })).toMatch(INVITE);
  expect(await latestLink(page, second, `You're invited to join ${project.name}`, { href: INVITE })).toMatch(INVITE);
  expect(await latestLink(page, "member@acme.test", `You were added to ${project.name}`, { href: /\/orgs\// })).toContain(project.id);
  await expectAccessible(page);
});

test("2. an invitee signs in from the link, comes back and accepts, by keyboard alone", async ({ page, browser }) => {
  const project = await createProject({ "admin@acme.test": "admin" });
  const invitee = uniqueEmail("invitee");
  const admin = await newUserPage(browser);
  await signInAs(admin, "admin@acme.test", { from: project.path });
  await inviteByMouse(admin, invitee, "Project Read-Write");
  const link = await latestLink(page, invitee, `You're invited to join ${project.name}`, { href: INVITE });

  await page.goto(link);
  await expect(page.getByRole("heading", { name: `Join ${project.name}` })).toBeVisible();
  await expectAccessible(page);
  await screenshot(page, "invite-signed-out");
  await tabTo(page, page.getByRole("link", { name: "Sign in to accept" }));
  await page.keyboard.press("Enter");
  await expect(page.getByLabel("Email address")).toHaveValue(invitee);
  await tabTo(page, page.getByRole("button", { name: "Send sign-in link" }));
  await page.keyboard.press("Enter");
  await expect(page.getByRole("heading", { name: "Check your email" })).toBeVisible();
  await expectAccessible(page);
  await followSignInLink(page, await latestLink(page, invitee, "Sign in to", { href: SIGN_IN_LINK }));

  await expect(page).toHaveURL(link);
  await expect(page.getByText("as Project Read-Write")).toBeVisible();
  await expectAccessible(page);
  await screenshot(page, "invite-valid");
  await tabTo(page, page.getByRole("button", { name: "Accept invitation" }));
  await page.keyboard.press("Enter");
  await expect(page).toHaveURL(new RegExp(`${project.path}$`));
  await expect(page.getByText("your access: Project Read-Write")).toBeVisible();
  await expect(page.getByRole("button", { name: "Invite users" })).toHaveCount(0);

  await admin.reload();
  await expect(collaboratorRow(admin, invitee)).toContainText("Project Read-Write");
  await expect(pendingRow(admin, invitee)).toHaveCount(0);
  await expect(admin.getByRole("list", { name: "Activity" })).toContainText(`${invitee} accepted the invitation`);

  await page.goto(link);
  await expect(page.getByRole("heading", { name: "This invitation has already been accepted" })).toBeVisible();
  await expectAccessible(page);
  await admin.context().close();
});

test("3. resend sends a new link; the old link is no longer valid and the new one works", async ({ page, browser }) => {
  const project = await createProject({ "admin@acme.test": "admin" });
  const invitee = uniqueEmail("resend");
  await signInAs(page, "admin@acme.test", { from: project.path });
  await inviteByMouse(page, invitee);
  await page.keyboard.press("Escape");
  const subject = `You're invited to join ${project.name}`;
  const oldLink = await latestLink(page, invitee, subject, { href: INVITE });
  await page.goto(project.path);

  // Right after sending, Resend waits its minute (the server's figure), shown on the button.
  const resend = pendingRow(page, invitee).getByRole("button", { name: `Resend invitation to ${invitee}` });
  await expect(resend).toBeDisabled();
  await expect(resend).toHaveText(/^Resend in \d+ s$/);

  // Once the server's minute is over, the button says so at once. The page's clock ticks every
  // 15 s while nothing waits; held 14 s past a tick, it reads earlier than data fetched since,
  // which must not bring a wait back.
  await ageInvitation(project.id, invitee, 1);
  await page.clock.setFixedTime(Math.floor(Date.now() / 15_000) * 15_000 + 15_000 + 14_000);
  await page.reload();
  await expect(resend).toHaveText("Resend");
  await expect(resend).toBeEnabled();
  await resend.click();
  await expect(page.getByText(`A new invitation link was queued for ${invitee}`)).toBeVisible();
  const newLink = await latestLink(page, invitee, subject, { href: INVITE, notEqual: oldLink });

  await page.goto(oldLink);
  await expect(page.getByRole("heading", { name: "This invitation link is not valid" })).toBeVisible();
  await expectAccessible(page);
  await screenshot(page, "invite-unknown");

  const invitee$ = await newUserPage(browser);
  await signIn(invitee$, invitee, { from: newLink });
  await invitee$.goto(newLink);
  await invitee$.getByRole("button", { name: "Accept invitation" }).click();
  await expect(invitee$).toHaveURL(new RegExp(`${project.path}$`));
  await invitee$.context().close();
});

test("4. a revoked invitation's link says it was revoked", async ({ page }) => {
  const project = await createProject({ "admin@acme.test": "admin" });
  const invitee = uniqueEmail("revoke");
  await signInAs(page, "admin@acme.test", { from: project.path });
  await inviteByMouse(page, invitee);
  await page.keyboard.press("Escape");
  const link = await latestLink(page, invitee, `You're invited to join ${project.name}`, { href: INVITE });
  await page.goto(project.path);

  await pendingRow(page, invitee)
    .getByRole("button", { name: `Revoke invitation to ${invitee}` })
    .click();
  const confirm = page.getByRole("alertdialog");
  await expect(confirm).toContainText(invitee);
  await expectAccessible(page);
  await confirm.getByRole("button", { name: "Revoke" }).click();
  await expect(pendingRow(page, invitee)).toHaveCount(0);
  await expect(page.getByText("No pending invitations")).toBeVisible();
  // The row leaves at once (optimistic); the toast says the server has done it.
  await expect(page.getByText(`The invitation to ${invitee} was revoked`)).toBeVisible();
  await page.reload();
  await expect(pendingRow(page, invitee)).toHaveCount(0);

  await page.goto(link);
  await expect(page.getByRole("heading", { name: "This invitation was revoked" })).toBeVisible();
  await expectAccessible(page);
  await screenshot(page, "invite-revoked");
});

test("5. an expired invitation shows the expired page, and a resend revives it", async ({ page, browser }) => {
  const project = await createProject({ "admin@acme.test": "admin" });
  const invitee = uniqueEmail("expired");
  await signInAs(page, "admin@acme.test", { from: project.path });
  await inviteByMouse(page, invitee);
  await page.keyboard.press("Escape");
  const subject = `You're invited to join ${project.name}`;
  const oldLink = await latestLink(page, invitee, subject, { href: INVITE });
  await ageInvitation(project.id, invitee, 49);

  const invitee$ = await newUserPage(browser);
  await invitee$.goto(oldLink);
  await expect(invitee$.getByRole("heading", { name: "This invitation has expired" })).toBeVisible();
  await expectAccessible(invitee$);
  await screenshot(invitee$, "invite-expired");

  await page.goto(project.path);
  await expect(pendingRow(page, invitee)).toContainText("Expired");
  const resend = pendingRow(page, invitee).getByRole("button", { name: `Resend invitation to ${invitee}` });
  await expect(resend).toBeEnabled();
  await resend.click();
  await expect(page.getByText(`A new invitation link was queued for ${invitee}`)).toBeVisible();
  await expect(pendingRow(page, invitee)).toContainText("Expires in 48 hours");
  const newLink = await latestLink(page, invitee, subject, { href: INVITE, notEqual: oldLink });
  await signIn(invitee$, invitee, { from: newLink });
  await invitee$.goto(newLink);
  await expect(invitee$.getByRole("button", { name: "Accept invitation" })).toBeVisible();
  await invitee$.context().close();
});

test("6. the wrong account sees whom the invitation is for; the invitee declines", async ({ page, browser }) => {
  const project = await createProject({ "admin@acme.test": "admin" });
  const invitee = uniqueEmail("decline");
  const admin = await newUserPage(browser);
  await signInAs(admin, "admin@acme.test", { from: project.path });
  await inviteByMouse(admin, invitee);
  const link = await latestLink(page, invitee, `You're invited to join ${project.name}`, { href: INVITE });

  await signInAs(page, "writer@acme.test");
  await page.goto(link);
  await expect(page.getByRole("heading", { name: `This invitation was sent to ${invitee}` })).toBeVisible();
  await expect(page.getByRole("button", { name: "Accept invitation" })).toHaveCount(0);
  await expectAccessible(page);
  await screenshot(page, "invite-wrong-account");
  await page.getByRole("link", { name: `Sign in as ${invitee}` }).click();
  await expect(page.getByLabel("Email address")).toHaveValue(invitee);
  await page.getByRole("button", { name: "Send sign-in link" }).click();
  await followSignInLink(page, await latestLink(page, invitee, "Sign in to", { href: SIGN_IN_LINK }));
  await expect(page).toHaveURL(link);
  await page.getByRole("button", { name: "Decline" }).click();
  const confirm = page.getByRole("alertdialog", { name: `Decline the invitation to ${project.name}?` });
  await expectAccessible(page);
  await confirm.getByRole("button", { name: "Decline" }).click();
  await expect(page.getByRole("heading", { name: "This invitation was declined" })).toBeVisible();

  await admin.reload();
  await expect(admin.getByRole("table", { name: "Collaborators" })).toBeVisible();
  await expect(pendingRow(admin, invitee)).toHaveCount(0);
  await expect(admin.getByRole("list", { name: "Activity" })).toContainText(`${invitee} declined the invitation`);
  await admin.context().close();
});
