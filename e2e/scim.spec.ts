import { randomBytes, randomUUID } from "node:crypto";
import { expect, test, type APIRequestContext, type Browser } from "@playwright/test";
import { sql } from "./db";
import { createOwnedOrganization } from "./doors";
import { expectAccessible } from "./helpers";

/**
 * SCIM 2.0 provisioning against the production build over HTTP: an Owner makes a SCIM token on
 * the Single sign-on page (shown once), and the flows Okta's and Microsoft Entra's own SCIM
 * validators run go through it: create a user, read it back by a userName filter, update name and
 * email, deactivate, reactivate, delete; each in that provider's dialect. Each test has an
 * organization of its own.
 */

const USER = "urn:ietf:params:scim:schemas:core:2.0:User";
const PATCH = "urn:ietf:params:scim:api:messages:2.0:PatchOp";

async function organization() {
  const tag = randomBytes(4).toString("hex");
  const ownerEmail = `boss-${tag}@hooli.test`;
  const { orgId, session } = await createOwnedOrganization(`Hooli ${tag}`, ownerEmail);
  return { tag, orgId, ownerEmail, session };
}

type Org = Awaited<ReturnType<typeof organization>>;

/** The Owner makes a SCIM token on the SSO page and copies it; it is shown once. */
async function tokenFromPage(browser: Browser, org: Org, name: string): Promise<{ token: string; baseUrl: string }> {
  const context = await browser.newContext();
  await context.addCookies([{ name: "authjs.session-token", value: org.session, domain: "127.0.0.1", path: "/" }]);
  const page = await context.newPage();
  await page.goto(`/orgs/${org.orgId}/settings/sso`);
  await expect(page.getByRole("heading", { name: "SCIM provisioning" })).toBeVisible();
  const baseUrl = (await page.getByTestId("scim-base-url").textContent())!.trim();
  await page.getByRole("textbox", { name: "Token name" }).fill(name);
  await page.getByRole("button", { name: "Create SCIM token" }).click();
  const token = (await page.getByTestId("scim-token-secret").textContent())!.trim();
  expect(token).toMatch(/^mcs_[A-Za-z0-9_-]{43}$/);
  const row = page.getByRole("table", { name: "SCIM tokens" }).getByRole("row").filter({ hasText: name });
  await expect(row).toContainText(token.slice(0, 12));
  await expect(row).not.toContainText(token);
  await expectAccessible(page);
  await page.reload();
  await expect(page.getByTestId("scim-token-secret")).toHaveCount(0);
  await context.close();
  return { token, baseUrl };
}

function client(request: APIRequestContext, baseUrl: string, token: string) {
  const path = new URL(baseUrl).pathname;
  const headers = { authorization: `Bearer ${token}`, "content-type": "application/scim+json", accept: "application/scim+json" };
  return {
    get: (p: string) => request.get(`${path}${p}`, { headers }),
    post: (p: string, data: unknown) => request.post(`${path}${p}`, { headers, data }),
    put: (p: string, data: unknown) => request.put(`${path}${p}`, { headers, data }),
    patch: (p: string, data: unknown) => request.patch(`${path}${p}`, { headers, data }),
    delete: (p: string) => request.delete(`${path}${p}`, { headers }),
  };
}

async function memberRole(orgId: string, email: string): Promise<string | null> {
  const rows = await sql<{ role: string }>(
    "select m.role from organization_memberships m join users u on u.id = m.user_id where m.org_id = $1 and u.email = $2",
    [orgId, email],
  );
  return rows[0]?.role ?? null;
}

test("Okta's validator flow: create, find by userName, update name and email (PUT), deactivate, reactivate (PATCH without path), delete", async ({
  browser,
  request,
}) => {
  const org = await organization();
  const { token, baseUrl } = await tokenFromPage(browser, org, "Okta");
  expect(baseUrl).toMatch(new RegExp(`/scim/v2/${org.orgId}$`));
  const scim = client(request, baseUrl, token);
  const email = `ana-${org.tag}@hooli.test`;

  // Okta first looks the person up, then creates them.
  const missing = await scim.get(`/Users?filter=${encodeURIComponent(`userName eq "${email}"`)}&startIndex=1&count=100`);
  expect(missing.status()).toBe(200);
  expect(await missing.json()).toMatchObject({ totalResults: 0 });
  const user = {
    schemas: [USER],
    userName: email,
    name: { givenName: "Ana", familyName: "Lima" },
    emails: [{ primary: true, value: email, type: "work" }],
    displayName: "Ana Lima",
    locale: "en-US",
    externalId: "00u1okta",
    groups: [],
    password: "1mP0ssible!",
    active: true,
  };
  const created = await scim.post("/Users", user);
  expect(created.status()).toBe(201);
  expect(created.headers()["content-type"]).toContain("application/scim+json");
  const body = await created.json();
  expect(body).toMatchObject({ userName: email, active: true, name: { givenName: "Ana", familyName: "Lima" } });
  expect(JSON.stringify(body)).not.toContain("1mP0ssible!");
  const id = body.id as string;
  expect(await memberRole(org.orgId, email)).toBe("member");
  // No email is sent to a provisioned person.
  expect(await sql('select 1 from email_outbox where "to" = $1', [email])).toHaveLength(0);

  const found = await (await scim.get(`/Users?filter=${encodeURIComponent(`userName eq "${email}"`)}`)).json();
  expect(found).toMatchObject({ totalResults: 1, Resources: [{ id, userName: email }] });
  expect((await scim.get(`/Users/${id}`)).status()).toBe(200);

  const newEmail = `ana.souza-${org.tag}@hooli.test`;
  const replaced = await scim.put(`/Users/${id}`, {
    ...user,
    id,
    userName: newEmail,
    name: { givenName: "Ana", familyName: "Souza" },
    emails: [{ primary: true, value: newEmail, type: "work" }],
  });
  expect(replaced.status()).toBe(200);
  expect(await replaced.json()).toMatchObject({ userName: newEmail, name: { familyName: "Souza" }, emails: [{ value: newEmail }] });

  const off = await scim.patch(`/Users/${id}`, { schemas: [PATCH], Operations: [{ op: "replace", value: { active: false } }] });
  expect(off.status()).toBe(200);
  expect(await off.json()).toMatchObject({ active: false });
  expect(await memberRole(org.orgId, email)).toBeNull();

  const on = await scim.patch(`/Users/${id}`, { schemas: [PATCH], Operations: [{ op: "replace", value: { active: true } }] });
  expect(await on.json()).toMatchObject({ active: true });
  expect(await memberRole(org.orgId, email)).toBe("member");

  expect((await scim.delete(`/Users/${id}`)).status()).toBe(204);
  expect((await scim.get(`/Users/${id}`)).status()).toBe(404);
  expect(await memberRole(org.orgId, email)).toBeNull();

  // The activity reads "SCIM" as the actor.
  const context = await browser.newContext();
  await context.addCookies([{ name: "authjs.session-token", value: org.session, domain: "127.0.0.1", path: "/" }]);
  const page = await context.newPage();
  await page.goto(`/orgs/${org.orgId}/activity`);
  await expect(page.getByText(`SCIM added ${email} to the organization as Organization Member`).first()).toBeVisible();
  await expect(page.getByText(`SCIM deactivated ${email}: removed from the organization`)).toBeVisible();
  await context.close();
});

test("Entra's validator flow: create, find by userName, PATCH with Replace paths and string booleans, deactivate, reactivate, delete", async ({
  browser,
  request,
}) => {
  const org = await organization();
  const { token, baseUrl } = await tokenFromPage(browser, org, "Entra");
  const scim = client(request, baseUrl, token);
  const upn = `bo-${org.tag}@hooli.test`;

  // Entra's discovery and its "does this user exist" probe with a random value.
  expect((await scim.get("/ServiceProviderConfig")).status()).toBe(200);
  const probe = await scim.get(`/Users?filter=${encodeURIComponent(`userName eq "${randomUUID()}"`)}`);
  expect(await probe.json()).toMatchObject({ totalResults: 0, Resources: [] });

  const created = await scim.post("/Users", {
    schemas: [USER, "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"],
    externalId: "entra-object-1",
    userName: upn,
    active: true,
    displayName: "Bo Chen",
    emails: [{ primary: true, type: "work", value: upn }],
    meta: { resourceType: "User" },
    name: { formatted: "Bo Chen", familyName: "Chen", givenName: "Bo" },
    roles: [],
    "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User": { department: "Search" },
  });
  expect(created.status()).toBe(201);
  const id = (await created.json()).id as string;

  const byUserName = await (await scim.get(`/Users?filter=${encodeURIComponent(`userName eq "${upn}"`)}`)).json();
  expect(byUserName.Resources.map((u: { id: string }) => u.id)).toEqual([id]);
  const byExternalId = await (await scim.get(`/Users?filter=${encodeURIComponent(`externalId eq "entra-object-1"`)}`)).json();
  expect(byExternalId.totalResults).toBe(1);

  const newMail = `bo.chen-${org.tag}@hooli.test`;
  const updated = await scim.patch(`/Users/${id}`, {
    schemas: [PATCH],
    Operations: [
      { op: "Replace", path: "name.givenName", value: "Bob" },
      { op: "Replace", path: "name.familyName", value: "Chen-Li" },
      { op: "Replace", path: 'emails[type eq "work"].value', value: newMail },
      { op: "Add", path: "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department", value: "Ads" },
    ],
  });
  expect(updated.status()).toBe(200);
  expect(await updated.json()).toMatchObject({ name: { givenName: "Bob", familyName: "Chen-Li" }, emails: [{ value: newMail }] });
  const byMail = await (await scim.get(`/Users?filter=${encodeURIComponent(`emails[type eq "work"].value eq "${newMail}"`)}`)).json();
  expect(byMail.totalResults).toBe(1);

  const off = await scim.patch(`/Users/${id}`, { schemas: [PATCH], Operations: [{ op: "Replace", path: "active", value: "False" }] });
  expect(await off.json()).toMatchObject({ active: false });
  expect(await memberRole(org.orgId, upn)).toBeNull();
  const on = await scim.patch(`/Users/${id}`, { schemas: [PATCH], Operations: [{ op: "Replace", path: "active", value: "True" }] });
  expect(await on.json()).toMatchObject({ active: true });
  expect(await memberRole(org.orgId, upn)).toBe("member");

  expect((await scim.delete(`/Users/${id}`)).status()).toBe(204);
  expect((await scim.get(`/Users/${id}`)).status()).toBe(404);
});

test("the last Organization Owner cannot be deactivated through SCIM: 409 with a clear detail", async ({ browser, request }) => {
  const org = await organization();
  const { token, baseUrl } = await tokenFromPage(browser, org, "Okta");
  const scim = client(request, baseUrl, token);
  const created = await scim.post("/Users", {
    schemas: [USER],
    userName: org.ownerEmail,
    emails: [{ value: org.ownerEmail, primary: true }],
  });
  const id = (await created.json()).id as string;
  const off = await scim.patch(`/Users/${id}`, { schemas: [PATCH], Operations: [{ op: "replace", path: "active", value: false }] });
  expect(off.status()).toBe(409);
  expect(await off.json()).toMatchObject({
    schemas: ["urn:ietf:params:scim:api:messages:2.0:Error"],
    status: "409",
    detail: expect.stringContaining("only Organization Owner"),
  });
  expect(await memberRole(org.orgId, org.ownerEmail)).toBe("owner");
});
