import { expect, test } from "@playwright/test";
import { randomBytes, randomUUID } from "node:crypto";
import { sql } from "./db";
import { expectAccessible, followSignInLink, signInLinkFor } from "./helpers";

/**
 * Home-realm discovery and "Require SSO" on /sign-in, in a real browser against the production
 * build: an organization of its own (Globex) with a verified domain and a switched-on connection,
 * so the demo organization's people keep signing in by link in the other specs.
 */

async function globex(requireSso = false) {
  const tag = randomBytes(4).toString("hex");
  const domain = `globex-${tag}.test`;
  const orgId = randomUUID();
  await sql("insert into organizations (id, name) values ($1, $2)", [orgId, `Globex ${tag}`]);
  await sql("insert into projects (id, org_id, name, is_default) values (gen_random_uuid(), $1, 'Default Project', true)", [orgId]);
  const people: Record<"owner" | "member", string> = { owner: `boss@${domain}`, member: `ann@${domain}` };
  for (const [role, email] of Object.entries(people)) {
    const [user] = await sql<{ id: string }>("insert into users (id, email) values (gen_random_uuid()::text, $1) returning id", [email]);
    await sql("insert into organization_memberships (org_id, user_id, role) values ($1, $2, $3)", [orgId, user!.id, role]);
  }
  // Verified, and not due for the app's scheduled re-check: its record is not published on the
  // run's DNS server, so a re-check in the middle of a test would find it gone and fail the domain.
  await sql(
    `insert into org_domains (org_id, domain, verification_token, status, verified_at, next_check_at)
     values ($1, $2, 'mc-domain-verification=e2e', 'verified', now(), now() + interval '1 day')`,
    [orgId, domain],
  );
  const [connection] = await sql<{ id: string }>(
    `insert into sso_connections (org_id, kind, name, oidc_issuer, oidc_client_id, tested_at, enabled, require_sso)
     values ($1, 'oidc', 'Globex IdP', 'https://idp.invalid', 'globex', now(), true, $2) returning id`,
    [orgId, requireSso],
  );
  return { orgId, orgName: `Globex ${tag}`, domain, people, connectionId: connection!.id };
}

async function ask(page: import("@playwright/test").Page, email: string) {
  await page.goto("/sign-in?callbackUrl=%2Forgs");
  await page.getByLabel("Email address").fill(email);
  await page.getByRole("button", { name: "Send sign-in link" }).click();
}

test("an address of a verified domain is offered its organization's single sign-on, and may still ask for a link", async ({ page }) => {
  const g = await globex();
  await ask(page, g.people.member);
  const sso = page.getByRole("link", { name: `Continue with ${g.orgName}’s single sign-on` });
  await expect(sso).toBeVisible();
  expect(await sso.getAttribute("href")).toBe(`/api/sso/${g.connectionId}/start?purpose=sign_in&callbackUrl=%2Forgs`);
  await expectAccessible(page);
  await page.getByRole("button", { name: "Email me a sign-in link instead" }).click();
  await expect(page.getByRole("heading", { name: "Check your email" })).toBeVisible();
  // Any other address gets its link at once, as before.
  await ask(page, `someone-${randomBytes(3).toString("hex")}@example.com`);
  await expect(page.getByRole("heading", { name: "Check your email" })).toBeVisible();
});

test("under Require SSO a member gets no link, and an Owner's break-glass link works and is recorded", async ({ page }) => {
  const g = await globex(true);
  const outboxFor = (to: string) => sql('select 1 from email_outbox where "to" = $1', [to]);
  await ask(page, g.people.member);
  await page.getByRole("button", { name: "I am an Owner: email me a sign-in link" }).click();
  await expect(page.getByText(`${g.orgName} requires single sign-on for ${g.domain} addresses: no link was sent.`)).toBeVisible();
  await expect(page.getByRole("link", { name: `Continue with ${g.orgName}’s single sign-on` })).toBeVisible();
  expect(await outboxFor(g.people.member)).toHaveLength(0);

  await ask(page, g.people.owner);
  await page.getByRole("button", { name: "I am an Owner: email me a sign-in link" }).click();
  await expect(page.getByRole("heading", { name: "Check your email" })).toBeVisible();
  await followSignInLink(page, await signInLinkFor(page, g.people.owner, "/orgs"));
  await expect(page.getByRole("heading", { name: "Organizations" })).toBeVisible();
  expect(
    await sql("select 1 from activity where org_id = $1 and action = 'sso.break_glass' and target_email = $2", [g.orgId, g.people.owner]),
  ).toHaveLength(1);
});

test("a link sent before Require SSO was switched on no longer signs a member in", async ({ page }) => {
  const g = await globex(false);
  await ask(page, g.people.member);
  await page.getByRole("button", { name: "Email me a sign-in link instead" }).click();
  await expect(page.getByRole("heading", { name: "Check your email" })).toBeVisible();
  const link = await signInLinkFor(page, g.people.member, "/orgs");
  await sql("update sso_connections set require_sso = true where id = $1", [g.connectionId]);
  await page.goto(link);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await expect(page.getByText("Your organization requires single sign-on for your address")).toBeVisible();
  const [member] = await sql<{ id: string }>("select id from users where email = $1", [g.people.member]);
  expect(await sql("select 1 from sessions where user_id = $1", [member!.id])).toHaveLength(0);
});

test("with no script yet (a slow phone), the answer keeps the address: the Owner's link goes to it", async ({ browser }) => {
  // A form pressed before the page's script runs is sent by the browser and comes back as a new
  // page: the address must still be in the field for the second button to send it.
  const g = await globex(true);
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  await ask(page, g.people.owner);
  await expect(page.getByLabel("Email address")).toHaveValue(g.people.owner);
  await page.getByRole("button", { name: "I am an Owner: email me a sign-in link" }).click();
  await expect(page.getByRole("heading", { name: "Check your email" })).toBeVisible();
  expect(await sql('select 1 from email_outbox where "to" = $1', [g.people.owner])).toHaveLength(1);
  await context.close();
});
