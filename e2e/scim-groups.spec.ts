import { randomBytes } from "node:crypto";
import { expect, test, type APIRequestContext } from "@playwright/test";
import { scimToken } from "../tests/shared-fixtures";
import { sql } from "./db";
import { DEMO, membersPath, signInAs } from "./helpers";

/**
 * Issue 20, SCIM groups against the production build: the group flows Okta's and Microsoft
 * Entra's SCIM validators run (create a group, add and remove members, rename, delete), and an
 * Owner mapping a group to a project role on the SSO page, which a member pushed later then holds.
 */

const GROUP = "urn:ietf:params:scim:schemas:core:2.0:Group";
const USER = "urn:ietf:params:scim:schemas:core:2.0:User";
const PATCH_OP = "urn:ietf:params:scim:api:messages:2.0:PatchOp";
const tag = () => randomBytes(4).toString("hex");

/** A SCIM token of the demo organization, stored hashed as the SSO page stores one. */
async function newScimToken(): Promise<string> {
  const { token, tokenHash } = scimToken();
  await sql("insert into scim_tokens (org_id, name, prefix, token_hash) values ($1, $2, $3, $4)", [
    DEMO.orgId,
    `e2e ${tag()}`,
    token.slice(0, 12),
    tokenHash,
  ]);
  return token;
}

function client(request: APIRequestContext, token: string) {
  const base = `/scim/v2/${DEMO.orgId}`;
  const headers = { authorization: `Bearer ${token}`, "content-type": "application/scim+json" };
  const send = async (method: string, path: string, body?: unknown) => {
    const r = await request.fetch(`${base}${path}`, { method, headers, data: body === undefined ? undefined : JSON.stringify(body) });
    const text = await r.text();
    return { status: r.status(), type: r.headers()["content-type"] ?? "", body: text ? JSON.parse(text) : null };
  };
  return {
    send,
    async user(email: string) {
      const r = await send("POST", "/Users", {
        schemas: [USER],
        userName: email,
        name: { givenName: "Sam", familyName: "Cim" },
        emails: [{ value: email, type: "work", primary: true }],
        active: true,
      });
      expect(r.status, JSON.stringify(r.body)).toBe(201);
      return r.body.id as string;
    },
    async memberIds(groupId: string) {
      const r = await send("GET", `/Groups/${groupId}`);
      expect(r.status).toBe(200);
      return ((r.body.members ?? []) as { value: string }[]).map((m) => m.value).sort();
    },
  };
}

test("Okta's group flow: create a group, find it by displayName, add and remove members, rename, delete", async ({ request }) => {
  const scim = client(request, await newScimToken());
  const t = tag();
  const [a, b] = [await scim.user(`okta-a-${t}@acme.test`), await scim.user(`okta-b-${t}@acme.test`)];
  const created = await scim.send("POST", "/Groups", { schemas: [GROUP], displayName: `Okta Engineers ${t}`, members: [] });
  expect(created.status).toBe(201);
  expect(created.type).toContain("application/scim+json");
  const id = created.body.id as string;
  const found = await scim.send(
    "GET",
    `/Groups?filter=${encodeURIComponent(`displayName eq "Okta Engineers ${t}"`)}&startIndex=1&count=100`,
  );
  expect(found.body).toMatchObject({ totalResults: 1, Resources: [{ id, displayName: `Okta Engineers ${t}` }] });

  const added = await scim.send("PATCH", `/Groups/${id}`, {
    schemas: [PATCH_OP],
    Operations: [
      {
        op: "add",
        path: "members",
        value: [
          { value: a, display: "a" },
          { value: b, display: "b" },
        ],
      },
    ],
  });
  expect(added.status).toBe(204);
  expect(await scim.memberIds(id)).toEqual([a, b].sort());
  const removed = await scim.send("PATCH", `/Groups/${id}`, {
    schemas: [PATCH_OP],
    Operations: [{ op: "remove", path: `members[value eq "${a}"]` }],
  });
  expect(removed.status).toBe(204);
  expect(await scim.memberIds(id)).toEqual([b]);
  const renamed = await scim.send("PATCH", `/Groups/${id}`, {
    schemas: [PATCH_OP],
    Operations: [{ op: "replace", value: { id, displayName: `Okta Platform ${t}` } }],
  });
  expect(renamed.status).toBe(204);
  expect((await scim.send("GET", `/Groups/${id}`)).body.displayName).toBe(`Okta Platform ${t}`);
  const unknown = await scim.send("PATCH", `/Groups/${id}`, {
    schemas: [PATCH_OP],
    Operations: [{ op: "add", path: "members", value: [{ value: "not-a-user" }] }],
  });
  expect(unknown).toMatchObject({ status: 400, body: { status: "400", scimType: "invalidValue" } });
  expect((await scim.send("DELETE", `/Groups/${id}`)).status).toBe(204);
  expect((await scim.send("GET", `/Groups/${id}`)).status).toBe(404);
});

test("Entra's group flow: create, look up without members, Add and Remove members, Replace displayName, delete", async ({ request }) => {
  const scim = client(request, await newScimToken());
  const t = tag();
  const [a, b] = [await scim.user(`entra-a-${t}@acme.test`), await scim.user(`entra-b-${t}@acme.test`)];
  const created = await scim.send("POST", "/Groups", { schemas: [GROUP], externalId: `ext-${t}`, displayName: `Entra Sales ${t}` });
  expect(created.status).toBe(201);
  const id = created.body.id as string;
  const lookup = await scim.send(
    "GET",
    `/Groups?excludedAttributes=members&filter=${encodeURIComponent(`displayName eq "Entra Sales ${t}"`)}`,
  );
  expect(lookup.body.Resources).toHaveLength(1);
  expect(lookup.body.Resources[0].members).toBeUndefined();

  expect(
    (
      await scim.send("PATCH", `/Groups/${id}`, {
        schemas: [PATCH_OP],
        Operations: [{ op: "Add", path: "members", value: [{ value: a }, { value: b }] }],
      })
    ).status,
  ).toBe(204);
  expect(await scim.memberIds(id)).toEqual([a, b].sort());
  expect(
    (
      await scim.send("PATCH", `/Groups/${id}`, {
        schemas: [PATCH_OP],
        Operations: [{ op: "Remove", path: "members", value: [{ value: b }] }],
      })
    ).status,
  ).toBe(204);
  expect(await scim.memberIds(id)).toEqual([a]);
  expect(
    (
      await scim.send("PATCH", `/Groups/${id}`, {
        schemas: [PATCH_OP],
        Operations: [{ op: "Replace", path: "displayName", value: `Entra Revenue ${t}` }],
      })
    ).status,
  ).toBe(204);
  expect((await scim.send("GET", `/Groups/${id}?excludedAttributes=members`)).body).toMatchObject({ displayName: `Entra Revenue ${t}` });
  expect((await scim.send("DELETE", `/Groups/${id}`)).status).toBe(204);
  expect((await scim.send("GET", `/Groups?filter=${encodeURIComponent(`externalId eq "ext-${t}"`)}`)).body.totalResults).toBe(0);
});

test("an Owner maps a group to Project Admin on Search Prod by mouse; a member pushed into the group then is Project Admin there", async ({
  page,
  request,
}) => {
  const scim = client(request, await newScimToken());
  const t = tag();
  const groupName = `search-admins-${t}`;
  const group = await scim.send("POST", "/Groups", { schemas: [GROUP], displayName: groupName });
  expect(group.status).toBe(201);

  await signInAs(page, "owner@acme.test", { from: `/orgs/${DEMO.orgId}/settings/sso` });
  const section = page.getByRole("region", { name: "SCIM groups" });
  const item = section.getByRole("listitem", { name: `Group ${groupName}` });
  await expect(item).toContainText("Gives no project role.");
  await item.getByLabel("Project", { exact: true }).selectOption({ label: "Search Prod" });
  await item.getByLabel("Role", { exact: true }).selectOption({ label: "Project Admin" });
  await item.getByRole("button", { name: "Add mapping" }).click();
  await expect(page.getByText(`Members of ${groupName} now get Project Admin on Search Prod`)).toBeVisible();
  await expect(item).toContainText("Project Admin on Search Prod");

  const email = `pushed-${t}@acme.test`;
  const userId = await scim.user(email);
  const added = await scim.send("PATCH", `/Groups/${group.body.id}`, {
    schemas: [PATCH_OP],
    Operations: [{ op: "add", path: "members", value: [{ value: userId }] }],
  });
  expect(added.status).toBe(204);

  await page.goto(membersPath());
  await expect(page.getByLabel(`Role for ${email}`)).toHaveValue("admin");
  await page.goto(`/orgs/${DEMO.orgId}/settings/sso`);
  await expect(item).toContainText("1 member");

  // Removing the mapping by mouse takes the role the group gave (nobody else's).
  await item.getByRole("button", { name: `Remove Project Admin on Search Prod from ${groupName}` }).click();
  await page.getByRole("alertdialog").getByRole("button", { name: "Remove mapping" }).click();
  await expect(item).toContainText("Gives no project role.");
  await page.goto(membersPath());
  await expect(page.getByLabel(`Role for ${email}`)).toHaveCount(0);
  await expect(page.getByLabel("Role for admin@acme.test")).toHaveValue("admin");
});
