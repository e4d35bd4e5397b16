import { expect, test } from "@playwright/test";
import { DEMO, expectAccessible, membersPath, signIn } from "./helpers";

test("the owner signs in by the emailed link and sees Acme Vector with both projects", async ({ page }) => {
  await page.goto("/sign-in");
  await expectAccessible(page);
  await signIn(page, "owner@acme.test");
  await expect(page.getByRole("heading", { name: "Organizations" })).toBeVisible();
  await page.getByRole("link", { name: /Acme Vector/ }).click();
  const projects = page.getByRole("list", { name: "Projects" });
  await expect(projects.getByRole("link", { name: /Default Project/ })).toBeVisible();
  await expect(projects.getByRole("link", { name: /Search Prod/ })).toBeVisible();
  await expectAccessible(page);
  await page.screenshot({ path: "test-results/screens/projects-owner.png", fullPage: true });
  await page.goto("/dev/mailbox");
  await expect(page.getByRole("heading", { name: "Local mailbox" })).toBeVisible();
  await expectAccessible(page);
});

test("a used or forged sign-in link explains itself, and a signed-out visit to any org page goes to sign-in", async ({ page }) => {
  await page.goto("/sign-in/error?error=Verification");
  await expect(page.getByText("This sign-in link has expired or was already used")).toBeVisible();
  await expectAccessible(page);
  // A GET of the callback (old links, mail scanners) only leads to the confirmation page.
  await page.goto("/api/auth/callback/email?token=forged&email=owner%40acme.test");
  await expect(page).toHaveURL(/\/sign-in\/confirm\?/);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await expect(page.getByRole("heading", { name: "We could not sign you in" })).toBeVisible();
  await page.goto("/orgs/not-a-uuid/projects");
  await expect(page).toHaveURL(/\/sign-in/);
});

test("a Read-Only collaborator sees only Search Prod", async ({ page }) => {
  await signIn(page, "reader@acme.test");
  await page.goto(`/orgs/${DEMO.orgId}/projects`);
  const projects = page.getByRole("list", { name: "Projects" });
  await expect(projects.getByRole("link", { name: /Search Prod/ })).toBeVisible();
  await expect(projects.getByRole("link", { name: /Default Project/ })).toHaveCount(0);
  await page.goto(membersPath(DEMO.defaultProjectId));
  await expect(page.getByRole("heading", { name: "Page not found" })).toBeVisible();
});

test("a signed-out visit to a project page goes to sign-in and returns there after", async ({ page }) => {
  await page.goto(membersPath());
  await expect(page).toHaveURL(/\/sign-in\?callbackUrl=/);
  await page.getByLabel("Email address").fill("writer@acme.test");
  await page.getByRole("button", { name: "Send sign-in link" }).click();
  await expect(page.getByRole("heading", { name: "Check your email" })).toBeVisible();
  const { followSignInLink, signInLinkFor } = await import("./helpers");
  await followSignInLink(page, await signInLinkFor(page, "writer@acme.test", membersPath()));
  await expect(page).toHaveURL(new RegExp(`${membersPath()}$`));
  await expect(page.getByRole("heading", { name: "Project users" })).toBeVisible();
});

test("an Organization Member cannot create projects: only owners can", async ({ page }) => {
  await signIn(page, "member@acme.test", { from: `/orgs/${DEMO.orgId}/projects` });
  await expect(page.getByText("Only an Organization Owner can create projects.")).toBeVisible();
  await expect(page.getByRole("button", { name: "Create project" })).toHaveCount(0);
});

test("an Organization Owner creates a project and becomes its Project Admin", async ({ page }) => {
  await signIn(page, "owner@acme.test", { from: `/orgs/${DEMO.orgId}/projects` });
  const name = `Vectors ${Date.now().toString(36)}`;
  await page.getByLabel("Project name").fill(name);
  await page.getByRole("button", { name: "Create project" }).click();
  await expect(page.getByRole("heading", { name: "Project users" })).toBeVisible();
  await expect(page.getByText(`${name} · your access: Project Admin`)).toBeVisible();
  await expect(page.getByRole("list", { name: "Activity" })).toContainText("owner@acme.test created the project");
});

test("a refused project name stays in its field, with script and without, so it can be mended", async ({ page, browser }) => {
  // A right-to-left override inside: the name rule refuses it. The person mends the name, not retypes it.
  const refused = `Vec\u202etors ${Date.now().toString(36)}`;
  await signIn(page, "owner@acme.test", { from: `/orgs/${DEMO.orgId}/projects` });
  await page.getByLabel("Project name").fill(refused);
  await page.getByRole("button", { name: "Create project" }).click();
  await expect(page.getByLabel("Project name")).toHaveAttribute("aria-invalid", "true");
  await expect(page.getByLabel("Project name")).toHaveValue(refused);

  // The browser sends the form itself (a slow phone before the script ran): the answer page keeps it too.
  const context = await browser.newContext({ javaScriptEnabled: false, storageState: await page.context().storageState() });
  const noScript = await context.newPage();
  await noScript.goto(`/orgs/${DEMO.orgId}/projects`);
  await noScript.getByLabel("Project name").fill(refused);
  await noScript.getByRole("button", { name: "Create project" }).click();
  await expect(noScript.getByLabel("Project name")).toHaveAttribute("aria-invalid", "true");
  await expect(noScript.getByLabel("Project name")).toHaveValue(refused);
  await context.close();
});

test("a refused sign-in address stays in its field when the browser sends the form itself", async ({ browser }) => {
  // No script (a slow phone before the page's script ran): the refusal comes back as a new page.
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  await page.goto("/sign-in");
  const typo = "owner@acme";
  await page.getByLabel("Email address").fill(typo);
  await page.getByRole("button", { name: "Send sign-in link" }).click();
  await expect(page.getByLabel("Email address")).toHaveAttribute("aria-invalid", "true");
  await expect(page.getByLabel("Email address")).toHaveValue(typo);
  await context.close();
});
