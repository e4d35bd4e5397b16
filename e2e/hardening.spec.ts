import { expect, test, type Page } from "@playwright/test";
import { createProject, uniqueEmail } from "./db";
import { ORG_ID, sql } from "./db";
import { actionId, insertInvitation, sessionFor, snapshot } from "./doors";
import { followSignInLink, latestLink, SIGN_IN_LINK } from "./helpers";

/** Security headers, CSP without violations, scanner-safe sign-in links, malformed requests. */

const ORIGIN = `http://127.0.0.1:${process.env.E2E_PORT ?? 3100}`;

function expectSecurityHeaders(headers: Record<string, string>, referrer: string) {
  const csp = headers["content-security-policy"] ?? "";
  expect(csp).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9+/=]+' 'strict-dynamic'/);
  expect(csp).not.toContain("unsafe-eval");
  expect(csp).toContain("frame-ancestors 'none'");
  expect(headers["x-frame-options"]).toBe("DENY");
  expect(headers["x-content-type-options"]).toBe("nosniff");
  expect(headers["referrer-policy"]).toBe(referrer);
  expect(headers["permissions-policy"]).toContain("camera=()");
  // APP_URL is http here; HSTS is sent only when it is https (unit-tested).
  expect(headers["strict-transport-security"]).toBeUndefined();
}

/** Fails the test on any CSP violation or script error the page reports. */
function watchForViolations(page: Page): string[] {
  const problems: string[] = [];
  page.on("console", (m) => {
    if (m.type() === "error" && /Content.Security.Policy|Refused to (execute|load|apply|connect|frame)/i.test(m.text()))
      problems.push(m.text());
  });
  page.on("pageerror", (e) => problems.push(e.message));
  return problems;
}

test("sign-in page, a members page and an invitation page carry the security headers", async ({ request }) => {
  const project = await createProject({ "admin@acme.test": "admin" });
  const invitation = await insertInvitation(ORG_ID, project.id, uniqueEmail("headers"));
  const admin = await sessionFor("admin@acme.test");
  const pages = [
    { path: "/sign-in", referrer: "same-origin", cookie: undefined },
    { path: project.path, referrer: "strict-origin-when-cross-origin", cookie: admin },
    { path: `/invite/${invitation.token}`, referrer: "same-origin", cookie: undefined },
  ];
  for (const p of pages) {
    const response = await request.get(p.path, {
      headers: p.cookie ? { cookie: `authjs.session-token=${p.cookie}` } : {},
      maxRedirects: 0,
    });
    expect(response.status(), p.path).toBe(200);
    const headers = response.headers();
    console.log(
      `[headers] ${p.path.replace(invitation.token, "<token>")}\n${Object.entries(headers)
        .filter(([k]) => /security|frame|content-type-options|referrer|permissions|opener|transport/.test(k))
        .map(([k, v]) => `  ${k}: ${v}`)
        .join("\n")}`,
    );
    expectSecurityHeaders(headers, p.referrer);
  }
  // Responses that are not pages carry them too.
  const api = await request.get(`/api/orgs/${ORG_ID}/projects/${project.id}/collaborators`);
  expect(api.headers()["x-frame-options"]).toBe("DENY");
  expect(api.headers()["content-security-policy"]).toContain("default-src 'none'");
});

test("the pages work under the CSP: sign-in by link, the members page and its dialog, an invitation, with no violation", async ({
  page,
}) => {
  const problems = watchForViolations(page);
  const project = await createProject({ "admin@acme.test": "admin" });
  await page.goto(`/sign-in?callbackUrl=${encodeURIComponent(project.path)}`);
  await page.getByLabel("Email address").fill("admin@acme.test");
  await page.getByRole("button", { name: "Send sign-in link" }).click();
  await expect(page.getByRole("heading", { name: "Check your email" })).toBeVisible();
  await followSignInLink(page, await latestLink(page, "admin@acme.test", "Sign in to", { href: SIGN_IN_LINK }));
  await expect(page.getByRole("heading", { name: "Project users" })).toBeVisible();
  await page.getByRole("button", { name: "Invite users" }).click();
  await page.getByLabel("Email addresses").fill(uniqueEmail("csp"));
  await page.getByRole("button", { name: "Send invitations" }).click();
  await expect(page.getByText(/Invited: invitation queued/)).toBeVisible();
  const invitation = await insertInvitation(ORG_ID, project.id, uniqueEmail("csp-invite"));
  await page.goto(`/invite/${invitation.token}`);
  await expect(page.getByRole("heading").first()).toBeVisible();
  expect(problems).toEqual([]);
});

test("fetching a sign-in link (as a mail scanner does) changes nothing; the person's own click still signs in", async ({
  page,
  request,
}) => {
  const email = uniqueEmail("scanned");
  await page.goto("/sign-in");
  await page.getByLabel("Email address").fill(email);
  await page.getByRole("button", { name: "Send sign-in link" }).click();
  await expect(page.getByRole("heading", { name: "Check your email" })).toBeVisible();
  const link = await latestLink(page, email, "Sign in to", { href: SIGN_IN_LINK });
  const tokens = async () => (await sql("select 1 from verification_tokens where identifier = $1", [email])).length;
  expect(await tokens()).toBe(1);
  // The scanner fetches the link, and the callback URL it would find behind it, following redirects.
  expect((await request.get(link)).status()).toBe(200);
  const callback = new URL(link);
  callback.pathname = "/api/auth/callback/email";
  expect((await request.get(callback.toString())).status()).toBe(200);
  expect(await tokens()).toBe(1);
  expect(await sql("select 1 from sessions s join users u on u.id = s.user_id where u.email = $1", [email])).toHaveLength(0);
  await followSignInLink(page, link);
  await expect(page).toHaveURL(/\/orgs/);
  expect(await tokens()).toBe(0);
});

test("malformed requests get a 4xx, never a 500, and change nothing", async ({ request }) => {
  const before = await snapshot();
  const revoke = actionId("revokeInvitationAction");
  const signIn = actionId("requestSignInLink");
  const action = (id: string, body: string | Buffer, headers: Record<string, string> = {}) =>
    request.post("/sign-in", {
      headers: { "next-action": id, origin: ORIGIN, "content-type": "text/plain;charset=UTF-8", ...headers },
      data: body,
      maxRedirects: 0,
    });
  const cases: [string, () => Promise<{ status(): number }>, number][] = [
    ["action body that is not JSON", () => action(revoke, "not json{"), 400],
    ["action body nested 50,000 deep", () => action(revoke, "[".repeat(50_000) + "]".repeat(50_000)), 400],
    ["action body of 2 MB", () => action(revoke, JSON.stringify(["a".repeat(2_000_000)])), 413],
    [
      "multipart action body that is not a form",
      () => action(signIn, "garbage", { "content-type": "multipart/form-data; boundary=zzz" }),
      400,
    ],
    ["action from a foreign Origin", () => action(revoke, "[{}]", { origin: "http://evil.example" }), 403],
    ["unknown action id", () => action("00deadbeef", "[{}]"), 400],
    ["broken %-escape: /invite/%E0%A4%A", () => request.get("/invite/%E0%A4%A", { maxRedirects: 0 }), 400],
    ["broken %-escape in a list route", () => request.get("/api/orgs/%E0%A4%A/projects/x/collaborators"), 400],
    ["broken %-escape in the HTTP API", () => request.get("/api/v1/organizations/%E0%A4%A"), 400],
  ];
  const rows: string[] = [];
  for (const [label, send, expected] of cases) {
    const status = (await send()).status();
    rows.push(`| ${label} | ${status} |`);
    expect(status, label).toBe(expected);
  }
  const apiRefusal = await request.get("/api/v1/organizations/%E0%A4%A");
  expect(apiRefusal.headers()["content-type"]).toBe("application/problem+json");
  expect(await apiRefusal.json()).toMatchObject({ status: 400, code: "BAD_REQUEST" });
  // Non-FormData arguments reach our actions, which answer with a refusal (HTTP 200, ok: false).
  const sneaky = await action(signIn, JSON.stringify([null, "owner@acme.test"]));
  rows.push(`| sign-in action with a string instead of a form | ${sneaky.status()} (ok: false) |`);
  expect(sneaky.status()).toBe(200);
  expect(await sneaky.text()).toContain('"ok":false');
  console.log(`[malformed]\n| request | status |\n|---|---|\n${rows.join("\n")}`);
  expect(await snapshot()).toBe(before);
});
