import { expect, test, type Page } from "@playwright/test";
import { startReceiver, type Receiver, type Received } from "../tests/webhooks/receiver";
import { ORG_ID, sql } from "./db";
import { createForeignTenant, sessionFor } from "./doors";
import { expectAccessible, signInAs, tabTo } from "./helpers";

/**
 * Issue 22: the webhooks page, driven by an Organization Owner, delivering for real to a receiver
 * this test starts on 127.0.0.1 (the e2e app reaches loopback and nothing else:
 * WEBHOOK_ALLOW_LOOPBACK=only). The receiver verifies every request with `standardwebhooks`.
 */

const webhooksPath = `/orgs/${ORG_ID}/settings/webhooks`;

let receiver: Receiver;
test.beforeEach(async () => {
  receiver = await startReceiver(`/hook-${Date.now().toString(36)}`);
});
test.afterEach(async () => {
  await receiver.close();
});

const endpointItem = (page: Page, url: string) => page.getByRole("list", { name: "Endpoints" }).getByRole("listitem", { name: url });
const logRows = (page: Page, url: string, eventId: string) =>
  endpointItem(page, url)
    .getByRole("table", { name: `Delivery log of ${url}` })
    .getByRole("row")
    .filter({ hasText: eventId });
/**
 * The next webhook.test the receiver verified (other than those seen). Flows running beside this
 * one may make membership changes the endpoint also receives: they are not counted on.
 */
async function testEvent(seen: string[] = []): Promise<Received> {
  let found: Received | undefined;
  await expect
    .poll(() => (found = receiver.received.find((r) => r.payload.type === "webhook.test" && !seen.includes(r.id))), { timeout: 20_000 })
    .toBeDefined();
  return found!;
}
const endpointRows = (url: string) => sql<{ id: string }>("select id from webhook_endpoints where org_id = $1 and url = $2", [ORG_ID, url]);

test("an Owner adds an endpoint, sees its secret once, sends a test event, redelivers it, rotates the secret and deletes it (mouse)", async ({
  page,
  context,
}) => {
  await context.grantPermissions(["clipboard-read", "clipboard-write"]);
  const url = receiver.url;
  await signInAs(page, "owner@acme.test", { from: `/orgs/${ORG_ID}/projects` });
  await page.getByRole("link", { name: "Webhooks" }).click();
  await expect(page.getByRole("heading", { name: "Webhooks", level: 1 })).toBeVisible();

  // Bad input gets a clear message by its field, and nothing is added.
  const add = page.getByRole("region", { name: "Add an endpoint" });
  await add.getByRole("button", { name: "Add endpoint" }).click();
  await expect(add.getByText("Enter the endpoint's URL")).toBeVisible();
  await expect(add.getByText("Choose at least one event")).toBeVisible();
  await expect(add.getByLabel("Endpoint URL")).toHaveAttribute("aria-invalid", "true");
  await add.getByLabel("Endpoint URL").fill("hooks dot example");
  await add.getByRole("checkbox", { name: /^member\.left/ }).click();
  await add.getByRole("button", { name: "Add endpoint" }).click();
  await expect(add.getByText("Enter a full URL, like https://hooks.example.com/console")).toBeVisible();
  await add.getByLabel("Endpoint URL").fill("https://169.254.169.254/latest/meta-data");
  await add.getByRole("button", { name: "Add endpoint" }).click();
  await expect(add.getByText("Webhooks may not be sent to private or loopback addresses")).toBeVisible();
  await add.getByRole("button", { name: "Choose none" }).click();
  await add.getByLabel("Endpoint URL").fill(url);
  await add.getByRole("button", { name: "Add endpoint" }).click();
  await expect(add.getByText("Choose at least one event")).toBeVisible();
  expect(await endpointRows(url)).toHaveLength(0);

  // Added: the secret is shown this once, with a copy button.
  await add.getByRole("checkbox", { name: /^member\.left/ }).click();
  await add.getByRole("checkbox", { name: /^invitation\.created/ }).click();
  await add.getByRole("button", { name: "Add endpoint" }).click();
  const shown = add.getByRole("status");
  await expect(shown).toContainText("it is shown only this once");
  const secret = (await shown.getByTestId("webhook-secret").textContent())!.trim();
  expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
  await shown.getByRole("button", { name: "Copy secret" }).click();
  await expect(page.getByText("Signing secret copied")).toBeVisible();
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(secret);
  receiver.secrets = [secret];
  const item = endpointItem(page, url);
  await expect(item.getByTestId("endpoint-status")).toHaveText("Active");
  await expect(item.getByRole("list", { name: `Events of ${url}` }).getByRole("listitem")).toHaveText([
    "invitation.created",
    "member.left",
  ]);
  expect(await endpointRows(url)).toHaveLength(1);
  // Never stored readable.
  expect(await sql("select 1 from webhook_endpoints where secret_sealed like '%' || $1 || '%'", [secret.slice(6, 30)])).toHaveLength(0);
  await expectAccessible(page);

  // Send test event: the receiver gets a signed webhook.test, and the log says it was delivered.
  await item.getByRole("button", { name: `Send test event to ${url}` }).click();
  const first = await testEvent();
  expect(first.payload).toMatchObject({ id: first.id, type: "webhook.test", organizationId: ORG_ID });
  expect(first.verifiedWith).toEqual([0]);
  const firstRow = logRows(page, url, first.id);
  await expect(firstRow.getByTestId("delivery-status")).toHaveText("Delivered");
  await expect(firstRow.getByTestId("delivery-response")).toHaveText("HTTP 204");
  await expect(firstRow).toContainText(/\d+ ms/);
  await expectAccessible(page);

  // Redeliver: the same webhook-id again, as a second line of the log.
  await firstRow.getByRole("button", { name: `Redeliver ${first.id}` }).click();
  await expect.poll(() => receiver.received.filter((r) => r.id === first.id).length).toBe(2);
  expect(receiver.received.filter((r) => r.id === first.id)[1]!.body).toBe(first.body);
  await expect(logRows(page, url, first.id).getByTestId("delivery-status")).toHaveText(["Delivered", "Delivered"]);

  // Rotate: a new secret once; during the overlap every delivery carries both signatures.
  await item.getByRole("button", { name: `Rotate secret of ${url}` }).click();
  const confirm = page.getByRole("alertdialog");
  await expect(confirm).toContainText("For 24 hours every delivery is signed with both the new and the old secret");
  await confirm.getByRole("button", { name: "Rotate secret" }).click();
  const rotated = item.getByRole("status");
  await expect(rotated).toContainText("The signing secret was rotated. Until");
  const newSecret = (await rotated.getByTestId("webhook-secret").textContent())!.trim();
  expect(newSecret).toMatch(/^whsec_/);
  expect(newSecret).not.toBe(secret);
  receiver.secrets = [secret, newSecret];
  await item.getByRole("button", { name: `Send test event to ${url}` }).click();
  const afterRotation = await testEvent([first.id]);
  expect(afterRotation.verifiedWith).toEqual([0, 1]);
  await expect(logRows(page, url, afterRotation.id).getByTestId("delivery-status")).toHaveText("Delivered");

  // Gone from the screen, the secrets are nowhere to be seen again.
  await page.reload();
  await expect(page.getByTestId("webhook-secret")).toHaveCount(0);
  await expect(page.getByText(secret)).toHaveCount(0);
  await expect(page.getByText(newSecret)).toHaveCount(0);
  await expect(item).toContainText("The previous signing secret signs too until");

  // Delete, after a confirmation.
  await item.getByRole("button", { name: `Delete ${url}` }).click();
  await page.getByRole("alertdialog").getByRole("button", { name: "Delete" }).click();
  // While the dialog is open the page behind it is hidden from the accessibility tree: wait for it to close.
  await expect(page.getByRole("alertdialog")).toBeHidden();
  await expect(item).toHaveCount(0);
  await expect(page.getByText(`The endpoint ${url} was deleted`)).toBeVisible();
  expect(await endpointRows(url)).toHaveLength(0);
  expect(receiver.unverified).toEqual([]);
});

test("an Owner adds, tests, edits and deletes an endpoint with the keyboard alone", async ({ page }) => {
  const url = receiver.url;
  await signInAs(page, "owner@acme.test", { from: webhooksPath });
  await expect(page.getByRole("heading", { name: "Webhooks", level: 1 })).toBeVisible();
  const add = page.getByRole("region", { name: "Add an endpoint" });

  await tabTo(page, add.getByLabel("Endpoint URL"));
  await page.keyboard.type(url);
  await tabTo(page, add.getByRole("checkbox", { name: /^collaborator\.removed/ }));
  await page.keyboard.press("Space");
  await expect(add.getByRole("checkbox", { name: /^collaborator\.removed/ })).toBeChecked();
  await tabTo(page, add.getByRole("button", { name: "Add endpoint" }));
  await page.keyboard.press("Enter");
  const secret = (await add.getByTestId("webhook-secret").textContent())!.trim();
  receiver.secrets = [secret];

  const item = endpointItem(page, url);
  await tabTo(page, item.getByRole("button", { name: `Send test event to ${url}` }));
  await page.keyboard.press("Enter");
  const sent = await testEvent();
  await expect(logRows(page, url, sent.id).getByTestId("delivery-status")).toHaveText("Delivered");

  // Edit: focus lands in the URL field, and returns to "Edit" after saving.
  const edit = item.getByRole("button", { name: `Edit ${url}` });
  await tabTo(page, edit);
  await page.keyboard.press("Enter");
  const form = item.getByRole("form", { name: `Edit ${url}` });
  await expect(form.getByLabel("URL")).toBeFocused();
  await tabTo(page, form.getByRole("checkbox", { name: /^member\.removed/ }));
  await page.keyboard.press("Space");
  await tabTo(page, form.getByRole("button", { name: "Save endpoint" }));
  await page.keyboard.press("Enter");
  await expect(page.getByText("Endpoint saved")).toBeVisible();
  await expect(item.getByRole("list", { name: `Events of ${url}` }).getByRole("listitem")).toHaveText([
    "collaborator.removed",
    "member.removed",
  ]);
  await expect(edit).toBeFocused();
  expect(await sql("select event_types from webhook_endpoints where org_id = $1 and url = $2", [ORG_ID, url])).toEqual([
    { event_types: ["collaborator.removed", "member.removed"] },
  ]);

  await tabTo(page, item.getByRole("button", { name: `Delete ${url}` }));
  await page.keyboard.press("Enter");
  const confirm = page.getByRole("alertdialog");
  await expect(confirm).toBeVisible();
  await tabTo(page, confirm.getByRole("button", { name: "Delete" }));
  await page.keyboard.press("Enter");
  await expect(confirm).toBeHidden();
  await expect(item).toHaveCount(0);
  await expect(page.getByText(`The endpoint ${url} was deleted`)).toBeVisible();
  expect(await endpointRows(url)).toHaveLength(0);
});

test("a failing endpoint says so and why", async ({ page }) => {
  const url = `https://failing-${Date.now().toString(36)}.example.com/hook`;
  await sql(
    "insert into webhook_endpoints (org_id, url, event_types, secret_sealed, status, failing_since) " +
      "values ($1, $2, '{sso.connection_removed}', 'not-a-sealed-secret', 'failing', now())",
    [ORG_ID, url],
  );
  try {
    await signInAs(page, "owner@acme.test", { from: webhooksPath });
    const item = endpointItem(page, url);
    await expect(item.getByTestId("endpoint-status")).toHaveText("Failing");
    await expect(item.getByRole("note")).toContainText("retried for 24 hours without a 2xx answer, and the Owners were told by email");
    await item.getByRole("link", { name: `Show delivery log of ${url}` }).click();
    await expect(item.getByText("Nothing was sent to this endpoint yet.")).toBeVisible();
  } finally {
    await sql("delete from webhook_endpoints where url = $1", [url]);
  }
});

test("an organization without endpoints shows the empty state", async ({ browser }) => {
  const tenant = await createForeignTenant();
  const context = await browser.newContext();
  await context.addCookies([{ name: "authjs.session-token", value: await sessionFor(tenant.ownerEmail), domain: "127.0.0.1", path: "/" }]);
  const page = await context.newPage();
  await page.goto(`/orgs/${tenant.orgId}/settings/webhooks`);
  await expect(page.getByRole("heading", { name: "Webhooks", level: 1 })).toBeVisible();
  await expect(page.getByText("No endpoints yet.")).toBeVisible();
  await expect(page.getByRole("list", { name: "Endpoints" })).toHaveCount(0);
  await context.close();
});

test("someone who is not an Organization Owner has no link and gets “not found” on the webhooks page", async ({ page }) => {
  await signInAs(page, "admin@acme.test", { from: `/orgs/${ORG_ID}/projects` });
  await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
  await expect(page.getByRole("link", { name: "Webhooks" })).toHaveCount(0);
  const response = await page.goto(webhooksPath);
  expect(response?.status()).toBe(404);
  await expect(page.getByRole("heading", { name: "Webhooks" })).toHaveCount(0);
});
