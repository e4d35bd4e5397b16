import { execFile } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import { promisify } from "node:util";
import { expect, test, type Page } from "@playwright/test";
import { ORG_ID, sql } from "./db";
import { userId } from "./doors";

/** /api-reference: Scalar from our own origin, over the served document, under the page CSP. */

const ORIGIN = `http://127.0.0.1:${process.env.E2E_PORT ?? 3100}`;

/** Every request the page makes and every CSP refusal or script error it reports. */
function watch(page: Page): { requests: string[]; problems: string[] } {
  const seen = { requests: [] as string[], problems: [] as string[] };
  page.on("request", (r) => seen.requests.push(r.url()));
  page.on("console", (m) => {
    if (m.type() === "error" && /Content.Security.Policy|Refused to/i.test(m.text())) seen.problems.push(m.text());
  });
  page.on("pageerror", (e) => seen.problems.push(e.message));
  return seen;
}

/** An owner's organization key, made as the domain makes one (only its SHA-256 is stored). */
async function ownerKey(): Promise<string> {
  const secret = `mck_${randomBytes(32).toString("base64url")}`;
  await sql(
    "insert into api_keys (org_id, name, prefix, secret_hash, scope, created_by_id, created_by_email) " +
      "values ($1, 'reference e2e', $2, $3, 'organization', $4, 'owner@acme.test')",
    [ORG_ID, secret.slice(0, 12), createHash("sha256").update(secret).digest("hex"), await userId("owner@acme.test")],
  );
  return secret;
}

test("the reference renders the served document as Markdown, loads nothing from another site and breaks no CSP rule", async ({ page }) => {
  const seen = watch(page);
  const response = await page.goto("/api-reference");
  const csp = response?.headers()["content-security-policy"] ?? "";
  expect(csp).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9+/=]+' 'strict-dynamic';/);
  expect(csp).not.toMatch(/unsafe-eval|script-src[^;]*unsafe-inline/);

  // Scalar parses about 3 MB of script and then the document in the browser: seconds on a busy machine.
  await expect(page.getByRole("heading", { level: 1, name: "Membership console API" })).toBeVisible({ timeout: 60_000 });
  // The info description's `Authorization: Bearer mck_…` is code, not text between backticks.
  const intro = page.getByText(/^Every membership action of the console over HTTP/);
  await expect(intro.locator("code", { hasText: "Authorization: Bearer mck_…" })).toBeVisible();
  expect(await intro.textContent()).not.toContain("`");
  // An operation from the document, reached from the sidebar.
  const invite = "Invite 1–50 addresses to a project with one role; one outcome per address";
  await page.getByRole("button", { name: "Open Group - Invitations" }).click();
  await page.getByRole("link", { name: `${invite} HTTP Method: POST` }).click();
  await expect(page.getByRole("heading", { name: invite })).toBeVisible();
  // Scalar's hosted client would be handed our document's address: its button is off.
  await expect(page.locator('a[href*="client.scalar.com"]')).toHaveCount(0);

  expect(seen.problems).toEqual([]);
  expect(seen.requests.filter((url) => new URL(url).origin !== ORIGIN)).toEqual([]);
  expect(seen.requests).toContain(`${ORIGIN}/api/v1/openapi.json`);
});

test("the curl example and Try it reach this instance's /api/v1 with the key typed in", async ({ page }) => {
  const seen = watch(page);
  const secret = await ownerKey();
  await page.goto("/api-reference");
  await expect(page.getByRole("textbox", { name: "Bearer Token" })).toBeVisible({ timeout: 60_000 });
  await page.getByRole("textbox", { name: "Bearer Token" }).fill(secret);

  // The example, run as shown: it lists the key's organization.
  const example = page.locator("code.language-curl", { hasText: new RegExp(`^curl ${ORIGIN}/api/v1/organizations \\\\`) });
  await expect(example).toContainText(`Authorization: Bearer ${secret}`);
  const curl = (await example.innerText()).replace(/^curl /, "curl --silent --show-error --fail ");
  const { stdout } = await promisify(execFile)("bash", ["-c", curl]);
  expect((JSON.parse(stdout) as { items: { id: string }[] }).items.map((o) => o.id)).toContain(ORG_ID);

  // "Try it": the request goes to this origin, not through a proxy, and answers 200.
  await page.getByRole("button", { name: "Test Request (get /organizations)" }).click();
  const client = page.getByRole("dialog");
  const answer = page.waitForResponse((r) => r.url() === `${ORIGIN}/api/v1/organizations`);
  await client
    .getByRole("button", { name: `Send get request to ${ORIGIN}/api/v1/organizations` })
    .first()
    .click();
  expect((await answer).status()).toBe(200);
  await expect(client).toContainText("200 OK");
  await expect(client).toContainText(ORG_ID);

  expect(seen.problems).toEqual([]);
  expect(seen.requests.filter((url) => new URL(url).origin !== ORIGIN)).toEqual([]);
});

test("Scalar's files: one version's entry and chunks, cached for good; anything else is not found", async ({ request }) => {
  const html = await (await request.get("/api-reference")).text();
  const entry = /\/api-reference\/scalar\/[0-9.]+\/standalone\.esm\.js/.exec(html)?.[0];
  expect(entry).toBeDefined();
  const ok = await request.get(entry!);
  expect(ok.status()).toBe(200);
  expect(ok.headers()["content-type"]).toBe("text/javascript; charset=utf-8");
  expect(ok.headers()["cache-control"]).toBe("public, max-age=31536000, immutable");
  expect(ok.headers()["x-content-type-options"]).toBe("nosniff");
  const chunk = /\.\/chunks\/[A-Za-z0-9_.-]+\.js/.exec(await ok.text())?.[0];
  expect((await request.get(entry!.replace("standalone.esm.js", chunk!.slice(2)))).status()).toBe(200);
  for (const other of [
    entry!.replace(/scalar\/[0-9.]+\//, "scalar/0.0.1/"),
    entry!.replace("standalone.esm.js", "standalone.esm.js.map"),
    entry!.replace("standalone.esm.js", "chunks/..%2F..%2F..%2Fpackage.json"),
    entry!.replace("standalone.esm.js", "chunks/../../package.json"),
  ]) {
    expect((await request.get(other)).status(), other).toBe(404);
  }
});
