import { expect, test, type Page } from "@playwright/test";
import { createProject, uniqueEmail } from "./db";
import { expectAccessible, newUserPage, screenshot, signInAs } from "./helpers";

const collaboratorRow = (page: Page, email: string) =>
  page.getByRole("table", { name: "Collaborators" }).getByRole("row").filter({ hasText: email });

async function removeCollaborator(page: Page, email: string) {
  await collaboratorRow(page, email)
    .getByRole("button", { name: `Remove ${email}` })
    .click();
  const confirm = page.getByRole("alertdialog");
  await expect(confirm).toContainText(email);
  await confirm.getByRole("button", { name: "Remove" }).click();
  // While the confirmation is open the table is hidden from role queries: wait until it has closed.
  await expect(confirm).toBeHidden();
  await expect(collaboratorRow(page, email)).toHaveCount(0);
}

for (const manager of ["admin@acme.test", "owner@acme.test"] as const) {
  test(`7. ${manager} changes a role and removes a collaborator, whose next request is refused`, async ({ page, browser }) => {
    const project = await createProject({ "admin@acme.test": "admin", "writer@acme.test": "read_write", "reader@acme.test": "read_only" });
    const reader = await newUserPage(browser);
    await signInAs(reader, "reader@acme.test", { from: project.path });
    await expect(reader.getByText("your access: Project Read-Only")).toBeVisible();

    await signInAs(page, manager, { from: project.path });
    await page.getByLabel("Role for writer@acme.test").selectOption({ label: "Project Admin" });
    await expect(page.getByText("writer@acme.test is now Project Admin")).toBeVisible();
    await page.reload();
    await expect(page.getByLabel("Role for writer@acme.test")).toHaveValue("admin");
    await expect(page.getByRole("list", { name: "Activity" })).toContainText(
      "changed writer@acme.test from Project Read-Write to Project Admin",
    );

    await removeCollaborator(page, "reader@acme.test");
    await expectAccessible(page);
    await page.reload();
    await expect(collaboratorRow(page, "reader@acme.test")).toHaveCount(0);

    // The removed reader's very next request finds nothing: no cached role lets them in.
    await reader.reload();
    await expect(reader.getByRole("heading", { name: "Page not found" })).toBeVisible();
    const api = await reader.request.get(`/api/orgs/${project.path.split("/")[2]}/projects/${project.id}/collaborators`);
    expect(api.status()).toBe(404);
    await reader.context().close();
  });
}

test("7b. demoting the only Project Admin is refused and rolled back", async ({ page }) => {
  const project = await createProject({ "admin@acme.test": "admin", "writer@acme.test": "read_write" });
  await signInAs(page, "owner@acme.test", { from: project.path });
  await page.getByLabel("Role for admin@acme.test").selectOption({ label: "Project Read-Only" });
  await expect(page.getByText("admin@acme.test is the only Project Admin")).toBeVisible();
  await expect(page.getByLabel("Role for admin@acme.test")).toHaveValue("admin");
});

test("8. a Read-Write collaborator leaves; the last admin is told why they cannot", async ({ page, browser }) => {
  const project = await createProject({ "admin@acme.test": "admin", "writer@acme.test": "read_write" });
  await signInAs(page, "writer@acme.test", { from: project.path });
  // Their own row offers it (the header too).
  await collaboratorRow(page, "writer@acme.test").getByRole("button", { name: "Leave project" }).click();
  const confirm = page.getByRole("alertdialog", { name: `Leave ${project.name}?` });
  await expect(confirm).toContainText("access to");
  await expect(confirm).toContainText("resources");
  await expectAccessible(page);
  await screenshot(page, "leave-dialog");
  await confirm.getByRole("button", { name: "Leave project" }).click();
  await expect(page).toHaveURL(/\/orgs\/[^/]+\/projects$/);
  await expect(page.getByRole("link", { name: new RegExp(project.name) })).toHaveCount(0);

  const admin = await newUserPage(browser);
  await signInAs(admin, "admin@acme.test", { from: project.path });
  await admin.getByRole("main").getByRole("button", { name: "Leave project" }).first().click();
  const lastAdmin = admin.getByRole("alertdialog");
  await expect(lastAdmin).toContainText("You are the only Project Admin. Make another collaborator a Project Admin before you leave.");
  await expect(lastAdmin.getByRole("button", { name: "Leave project" })).toHaveCount(0);
  await expectAccessible(admin);
  await admin.context().close();
});

test("9. a Read-Only collaborator sees no manage controls, and the server refuses their direct invite", async ({ page, browser }) => {
  const project = await createProject({ "admin@acme.test": "admin", "reader@acme.test": "read_only" });

  // Capture the real invite action call (its id and wire format) as the admin...
  const admin = await newUserPage(browser);
  await signInAs(admin, "admin@acme.test", { from: project.path });
  await admin.getByRole("button", { name: "Invite users" }).click();
  const probe = uniqueEmail("probe");
  await admin.getByLabel("Email addresses").fill(probe);
  const [request] = await Promise.all([
    admin.waitForRequest((r) => r.method() === "POST" && !!r.headers()["next-action"]),
    admin.getByRole("button", { name: "Send invitations" }).click(),
  ]);
  await expect(admin.getByRole("list", { name: "Invitation results" })).toBeVisible();

  // ...then the reader sees a read-only page and replays it with their own session.
  await signInAs(page, "reader@acme.test", { from: project.path });
  await expect(page.getByRole("table", { name: "Collaborators" })).toBeVisible();
  await expect(page.getByRole("button", { name: "Invite users" })).toHaveCount(0);
  // The lists' role filters are the only selects on the page for them.
  await expect(page.getByRole("table", { name: "Collaborators" }).getByRole("combobox")).toHaveCount(0);
  await expect(page.getByRole("button", { name: /^Remove / })).toHaveCount(0);
  await expect(page.getByRole("table", { name: "Pending invitations" })).toHaveCount(0);
  await expect(page.getByRole("heading", { name: "Activity" })).toHaveCount(0);
  await expectAccessible(page);
  await screenshot(page, "members-read-only");

  const target = uniqueEmail("forbidden");
  const body = (request.postData() ?? "").replace(probe, target);
  expect(body).toContain(target);
  const response = await page.request.post(request.url(), {
    headers: {
      "next-action": request.headers()["next-action"]!,
      "content-type": request.headers()["content-type"] ?? "text/plain;charset=UTF-8",
      accept: "text/x-component",
    },
    data: body,
  });
  const text = await response.text();
  expect(text).toContain("FORBIDDEN");

  const invitations = await page.request.get(`/api/orgs/${project.path.split("/")[2]}/projects/${project.id}/invitations`);
  expect(invitations.status()).toBe(403);
  await admin.goto(project.path);
  await expect(admin.getByRole("table", { name: "Pending invitations" })).not.toContainText(target);
  await admin.context().close();
});

test("the members page works at 375 px wide", async ({ page }) => {
  await page.setViewportSize({ width: 375, height: 800 });
  const project = await createProject({ "admin@acme.test": "admin", "writer@acme.test": "read_write" });
  await signInAs(page, "admin@acme.test", { from: project.path });
  await expect(page.getByRole("heading", { name: "Project users" })).toBeVisible();
  const wide = await page.evaluate(() =>
    [...document.querySelectorAll("body *")]
      .filter((el) => el.getBoundingClientRect().right > window.innerWidth + 1 && !el.closest(".overflow-x-auto"))
      .map((el) => `${el.tagName.toLowerCase()}.${el.className}`.slice(0, 120)),
  );
  expect(wide).toEqual([]);
  await page.getByRole("button", { name: "Invite users" }).click();
  const box = await page.getByRole("dialog").boundingBox();
  expect(box && box.width <= 375).toBe(true);
  await screenshot(page, "members-mobile");
});
