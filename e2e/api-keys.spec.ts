import { expect, test } from "@playwright/test";
import { DEMO, expectAccessible, signInAs } from "./helpers";

test("an Organization Owner makes an API key, sees its secret once, uses it, and revokes it", async ({ page, request }) => {
  const name = `Nightly export ${Date.now()}`;
  await signInAs(page, "owner@acme.test", { from: `/orgs/${DEMO.orgId}/projects` });
  await page.getByRole("link", { name: "API keys" }).click();
  await expect(page.getByRole("heading", { name: "API keys", level: 1 })).toBeVisible();

  await page.getByRole("textbox", { name: "Name" }).fill(name);
  await page.getByLabel("Search Prod").selectOption({ label: "Project Read-Only" });
  await page.getByRole("button", { name: "Create API key" }).click();
  const secret = (await page.getByTestId("api-key-secret").textContent())!.trim();
  expect(secret).toMatch(/^mck_[A-Za-z0-9_-]{43}$/);
  const row = page.getByRole("table", { name: "Keys" }).getByRole("row").filter({ hasText: name });
  await expect(row).toContainText("Project Read-Only of Search Prod");
  await expect(row).toContainText(secret.slice(0, 12));
  await expect(row).not.toContainText(secret);
  await expectAccessible(page);

  const auth = { authorization: `Bearer ${secret}` };
  const collaborators = `/api/v1/organizations/${DEMO.orgId}/projects/${DEMO.searchProdId}/collaborators`;
  expect((await request.get(collaborators, { headers: auth })).status()).toBe(200);
  // Read-Only: it may not invite, and the default project was not given to it at all.
  const invite = await request.post(`/api/v1/organizations/${DEMO.orgId}/projects/${DEMO.searchProdId}/invitations`, {
    headers: auth,
    data: { emails: ["x@example.com"], role: "read_only" },
  });
  expect(invite.status()).toBe(403);
  expect(
    (await request.get(`/api/v1/organizations/${DEMO.orgId}/projects/${DEMO.defaultProjectId}/collaborators`, { headers: auth })).status(),
  ).toBe(404);

  // Once gone from the screen, the secret is nowhere to be seen again.
  await page.reload();
  await expect(page.getByTestId("api-key-secret")).toHaveCount(0);
  await expect(page.getByText(secret)).toHaveCount(0);
  await expect(row).not.toContainText("Never");

  await row.getByRole("button", { name: `Revoke ${name}` }).click();
  await page.getByRole("alertdialog").getByRole("button", { name: "Revoke" }).click();
  await expect(row).toContainText("Revoked");
  expect((await request.get(collaborators, { headers: auth })).status()).toBe(401);
});
