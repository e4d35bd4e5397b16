import { randomBytes } from "node:crypto";
import { expect, test, type Browser, type Page } from "@playwright/test";
import { invitationToken } from "../tests/shared-fixtures";
import { sql } from "./db";
import { publishTxt } from "./dns";
import { createOwnedOrganization } from "./doors";
import { expectAccessible } from "./helpers";
import { idpControl, OIDC_ISSUER, SAML_IDP_ORIGIN } from "./identity-providers";

/**
 * Single sign-on end to end, in a real browser against the production build and the run's real
 * identity providers on loopback (e2e/identity-providers.ts): an Owner verifies a domain, connects
 * the provider, tests it, switches it on with default project access and requires it; a new person
 * of that domain signs in through it and lands in the organization with those grants; an invited
 * person of that domain accepts through it. Each test has an organization of its own.
 */

async function organization() {
  const tag = randomBytes(4).toString("hex");
  const domain = `initech-${tag}.test`;
  const ownerEmail = `boss@${domain}`;
  const { orgId, projectId, session } = await createOwnedOrganization(`Initech ${tag}`, ownerEmail);
  return { tag, orgId, orgName: `Initech ${tag}`, projectId, domain, ownerEmail, session };
}

type Org = Awaited<ReturnType<typeof organization>>;

async function ownerPage(browser: Browser, org: Org): Promise<Page> {
  const context = await browser.newContext();
  await context.addCookies([{ name: "authjs.session-token", value: org.session, domain: "127.0.0.1", path: "/" }]);
  return context.newPage();
}

/** The Owner claims the organization's domain, publishes its TXT record and checks it. */
async function verifyDomain(page: Page, org: Org) {
  await page.goto(`/orgs/${org.orgId}/settings/domains`);
  await page.getByRole("textbox", { name: "Domain" }).fill(org.domain);
  await page.getByRole("button", { name: "Add domain" }).click();
  const item = page.getByRole("listitem").filter({ has: page.getByRole("heading", { name: org.domain }) });
  const value = (await item.getByTestId("txt-value").textContent())!.trim();
  publishTxt(org.domain, [value]);
  await item.getByRole("button", { name: "Check now" }).click();
  await expect(item.getByTestId("domain-status")).toHaveText("Verified");
}

/** Signs in at the run's OpenID provider's login page (oidc-provider's own interaction pages). */
async function oidcLogin(page: Page, login: string) {
  await page.waitForURL((url) => url.origin === OIDC_ISSUER);
  await page.locator('input[name="login"]').fill(login);
  await page.locator('input[name="password"]').fill("any");
  await page.locator('button[type="submit"]').click();
}

/** "Test connection", then the settings: on, Search as Project Read-Only for newcomers, then Require SSO. */
async function testAndSwitchOn(page: Page, org: Org, login: (page: Page) => Promise<void>) {
  await page.getByRole("link", { name: "Test connection" }).click();
  await login(page);
  await expect(page.getByText("The test sign-in worked. You can switch single sign-on on.")).toBeVisible();
  await page.getByRole("checkbox", { name: /Single sign-on on/ }).check();
  await page.getByRole("combobox", { name: "Search" }).selectOption("read_only");
  await page.getByRole("button", { name: "Save settings" }).click();
  await expect(page.getByText("Single sign-on settings saved").first()).toBeVisible();
  await page.getByRole("checkbox", { name: /Require SSO for verified domains/ }).check();
  await page.getByRole("button", { name: "Save settings" }).click();
  await expect
    .poll(async () => (await sql<{ r: boolean }>("select require_sso as r from sso_connections where org_id = $1", [org.orgId]))[0]?.r)
    .toBe(true);
}

test("OpenID Connect: an Owner connects, tests and requires it; a newcomer joins with the default grants; an invitee accepts through it", async ({
  browser,
}) => {
  const org = await organization();
  const page = await ownerPage(browser, org);
  await verifyDomain(page, org);
  await idpControl("/oidc/accounts", { login: org.ownerEmail, email: org.ownerEmail, name: "Boss" });

  await page.goto(`/orgs/${org.orgId}/settings/sso`);
  await expect(page.getByRole("heading", { name: "Single sign-on", level: 1 })).toBeVisible();
  await expectAccessible(page);
  const secret = randomBytes(16).toString("hex");
  await page.getByRole("textbox", { name: "Name", exact: true }).fill("Initech Okta");
  await page.getByRole("textbox", { name: "Issuer URL" }).fill(OIDC_ISSUER);
  await page.getByRole("textbox", { name: "Client ID" }).fill(`console-${org.tag}`);
  await page.getByLabel("Client secret").fill(secret);
  await page.getByRole("button", { name: "Save connection" }).click();
  const redirectUri = page.getByTestId("oidc-redirect-uri");
  await expect(redirectUri).toBeVisible();
  // As the Owner does in the provider's console: register the console with that redirect URI.
  await idpControl("/oidc/clients", {
    client_id: `console-${org.tag}`,
    client_secret: secret,
    redirect_uris: [(await redirectUri.textContent())!.trim()],
  });
  expect(JSON.stringify(await sql("select * from sso_connections where org_id = $1", [org.orgId]))).not.toContain(secret);

  await testAndSwitchOn(page, org, (p) => oidcLogin(p, org.ownerEmail));
  for (const width of [360, 768, 1280]) {
    await page.setViewportSize({ width, height: 900 });
    expect(await page.evaluate(() => document.documentElement.scrollWidth <= document.documentElement.clientWidth), `${width} px`).toBe(
      true,
    );
  }

  // A newcomer of the domain: the sign-in page sends them to the provider, and they land in the organization.
  const newcomer = `newcomer@${org.domain}`;
  await idpControl("/oidc/accounts", { login: newcomer, email: newcomer, name: "New Comer" });
  const visitor = await (await browser.newContext()).newPage();
  await visitor.goto("/sign-in");
  await visitor.getByLabel("Email address").fill(newcomer);
  await visitor.getByRole("button", { name: "Send sign-in link" }).click();
  await visitor.getByRole("link", { name: `Continue with ${org.orgName}’s single sign-on` }).click();
  await oidcLogin(visitor, newcomer);
  await expect(visitor.getByRole("heading", { name: "Organizations" })).toBeVisible();
  await expect(visitor.getByRole("link", { name: new RegExp(org.orgName) })).toBeVisible();
  const [joined] = await sql<{ org_role: string; project_role: string }>(
    `select om.role as org_role, pm.role as project_role from users u
       join organization_memberships om on om.user_id = u.id and om.org_id = $1
       join project_memberships pm on pm.user_id = u.id and pm.project_id = $2
     where u.email = $3`,
    [org.orgId, org.projectId, newcomer],
  );
  expect(joined).toEqual({ org_role: "member", project_role: "read_only" });
  expect(
    await sql("select 1 from activity where org_id = $1 and action = 'sso.member_joined' and actor_connection_name = 'Initech Okta'", [
      org.orgId,
    ]),
  ).toHaveLength(1);

  // An invitee of the domain accepts through single sign-on (no email link under Require SSO).
  const invitee = `invitee@${org.domain}`;
  await idpControl("/oidc/accounts", { login: invitee, email: invitee, name: "In Vitee" });
  await page.goto(`/orgs/${org.orgId}/projects/${org.projectId}/members`);
  await page.getByRole("button", { name: "Invite users" }).click();
  const dialog = page.getByRole("dialog");
  await dialog.getByLabel("Email addresses").fill(invitee);
  await dialog.getByLabel("Role").selectOption({ label: "Project Admin" });
  await dialog.getByRole("button", { name: "Send invitations" }).click();
  await expect.poll(async () => (await sql("select 1 from invitations where email = $1 and status = 'pending'", [invitee])).length).toBe(1);
  const { token, tokenHash } = invitationToken();
  // The emailed link holds a token only the email has: the test sets a known one on the invitation.
  await sql("update invitations set token_hash = $1 where email = $2 and status = 'pending'", [tokenHash, invitee]);
  const guest = await (await browser.newContext()).newPage();
  await guest.goto(`/invite/${token}`);
  await guest.getByRole("link", { name: "Sign in to accept" }).click();
  await guest.getByRole("button", { name: "Send sign-in link" }).click();
  await guest.getByRole("link", { name: `Continue with ${org.orgName}’s single sign-on` }).click();
  await oidcLogin(guest, invitee);
  await guest.getByRole("button", { name: "Accept invitation" }).click();
  await expect
    .poll(async () => (await sql<{ status: string }>("select status from invitations where email = $1", [invitee]))[0]?.status)
    .toBe("accepted");
  const [role] = await sql<{ role: string }>(
    "select pm.role from project_memberships pm join users u on u.id = pm.user_id where u.email = $1 and pm.project_id = $2",
    [invitee, org.projectId],
  );
  expect(role?.role).toBe("admin");
});

test("SAML 2.0: an Owner connects the IdP from its metadata, tests it and switches it on; a newcomer signs in through it", async ({
  browser,
}) => {
  const org = await organization();
  const page = await ownerPage(browser, org);
  await verifyDomain(page, org);
  await page.goto(`/orgs/${org.orgId}/settings/sso`);
  await page.getByRole("link", { name: "SAML 2.0" }).click();
  await expect(page.getByRole("heading", { name: "SAML 2.0", level: 2 })).toBeVisible();
  await page.getByRole("textbox", { name: "Name", exact: true }).fill("Initech Entra");
  await page.getByRole("radio", { name: /Metadata URL/ }).check();
  await page.getByRole("textbox", { name: "Metadata URL" }).fill(`${SAML_IDP_ORIGIN}/saml/metadata`);
  await page.getByRole("button", { name: "Save connection" }).click();
  await expect(page.getByRole("button", { name: "Copy ACS URL" })).toBeVisible();
  await expectAccessible(page);

  await idpControl("/saml/next", { email: org.ownerEmail });
  await testAndSwitchOn(page, org, async () => {});

  const newcomer = `saml-newcomer@${org.domain}`;
  await idpControl("/saml/next", { email: newcomer });
  const visitor = await (await browser.newContext()).newPage();
  await visitor.goto("/sign-in");
  await visitor.getByLabel("Email address").fill(newcomer);
  await visitor.getByRole("button", { name: "Send sign-in link" }).click();
  await visitor.getByRole("link", { name: `Continue with ${org.orgName}’s single sign-on` }).click();
  await expect(visitor.getByRole("heading", { name: "Organizations" })).toBeVisible();
  const [joined] = await sql<{ project_role: string }>(
    `select pm.role as project_role from users u join project_memberships pm on pm.user_id = u.id and pm.project_id = $1 where u.email = $2`,
    [org.projectId, newcomer],
  );
  expect(joined?.project_role).toBe("read_only");
});
