import { and, eq, sql } from "drizzle-orm";
import { beforeAll, describe, expect, it, vi } from "vitest";
import type { Db } from "@/db/client";
import { apiIdempotencyKeys, invitations } from "@/db/schema";
import { handleApiRequest } from "@/lib/api/handler";
import { buildOpenApiDocument } from "@/lib/api/openapi";
import { OPERATIONS } from "@/lib/api/operations";
import * as m from "@/lib/membership";
import { hashInvitationToken } from "@/lib/membership/tokens";
import { testTargets, useTestDatabase } from "../db";
import { BASE_URL, buildWorld, snapshot, uniqueEmail, worldOrgIds, type World } from "../membership/fixtures";
import { api, API_OPTIONS } from "./helpers";

/** One request with a raw body, answered with the raw text, so bytes can be compared. */
async function raw(db: Db, key: string, path: string, body: string | undefined, idempotencyKey: string) {
  const headers: Record<string, string> = { authorization: `Bearer ${key}`, "idempotency-key": idempotencyKey };
  if (body !== undefined) headers["content-type"] = "application/json";
  const response = await handleApiRequest(db, new Request(`${BASE_URL}/api/v1${path}`, { method: "POST", headers, body }), API_OPTIONS);
  return {
    status: response.status,
    text: await response.text(),
    type: response.headers.get("content-type"),
    replayed: response.headers.get("idempotency-replayed"),
  };
}

describe.each(testTargets())("what an Idempotency-Key keeps, on %s", (kind) => {
  const database = useTestDatabase(kind);
  let w: World;
  let key: string;
  beforeAll(async () => {
    w = await buildWorld(database.db);
    key = (await m.createApiKey(database.db, w.actors.owner, { orgId: w.org.id, name: "store", scope: "organization" })).secret;
  });

  const ORG = () => `/organizations/${w.org.id}`;
  const P = () => `${ORG()}/projects/${w.project.id}`;
  const storedText = async () =>
    (
      (await database.db.execute(sql`select coalesce(string_agg(t::text, ' '), '') as txt from api_idempotency_keys t`)) as unknown as {
        rows: { txt: string }[];
      }
    ).rows[0]!.txt;

  it("an invitation link is never stored: a repeat with the same key is 409 IDEMPOTENT_SECRET_NOT_KEPT and changes nothing", async () => {
    for (const path of [`${P()}/invitations/${w.invitation.id}/link`, `${ORG()}/invitations/${w.strangerInvitation.id}/link`]) {
      const first = await raw(database.db, key, path, undefined, `link:${path}`);
      expect(first.status).toBe(200);
      const url = (JSON.parse(first.text) as { url: string }).url;
      const token = url.split("/invite/")[1]!;
      const [stored] = await database.db
        .select()
        .from(apiIdempotencyKeys)
        .where(eq(apiIdempotencyKeys.key, `link:${path}`));
      expect(stored).toMatchObject({ status: 200, body: null, bodyWithheld: true });
      expect(await storedText()).not.toContain(token);

      const before = await snapshot(database.db, worldOrgIds(w));
      const again = await raw(database.db, key, path, undefined, `link:${path}`);
      expect(again.status).toBe(409);
      expect(again.type).toBe("application/problem+json");
      expect(JSON.parse(again.text)).toMatchObject({ code: "IDEMPOTENT_SECRET_NOT_KEPT", status: 409 });
      expect(again.text).not.toContain(token);
      expect(await snapshot(database.db, worldOrgIds(w))).toEqual(before);
      // The link shown the first time is still the one that works.
      const id = path.split("/invitations/")[1]!.split("/")[0]!;
      expect((await database.db.select({ h: invitations.tokenHash }).from(invitations).where(eq(invitations.id, id)))[0]!.h).toBe(
        hashInvitationToken(token),
      );
    }
  });

  it("a link operation's refusal holds no secret and is replayed as usual", async () => {
    const path = `${P()}/invitations/00000000-0000-4000-8000-000000000000/link`;
    const first = await raw(database.db, key, path, undefined, "link-missing");
    expect(first.status).toBe(404);
    const again = await raw(database.db, key, path, undefined, "link-missing");
    expect(again).toEqual({ ...first, replayed: "true" });
  });

  it("every operation whose answer can hold a link, token or secret is marked as revealing one", () => {
    const doc = buildOpenApiDocument() as {
      paths: Record<string, Record<string, { operationId: string; responses: Record<string, unknown> }>>;
    };
    for (const op of OPERATIONS) {
      const success = JSON.stringify(doc.paths[op.path]![op.method.toLowerCase()]!.responses[String(op.status)]);
      const holdsSecret = /"(url|link|token|secret|key)"\s*:/i.test(success);
      expect({ op: op.id, revealsSecret: op.revealsSecret === true }).toEqual({ op: op.id, revealsSecret: holdsSecret });
    }
  });

  it("a replay is the first answer's bytes and content type, for a success and for a refusal", async () => {
    const body = JSON.stringify({ emails: [uniqueEmail("bytes", w.tag)], role: "read_only" });
    const first = await raw(database.db, key, `${P()}/invitations`, body, "bytes-success");
    const again = await raw(database.db, key, `${P()}/invitations`, body, "bytes-success");
    expect(first).toMatchObject({ status: 200, type: "application/json", replayed: null });
    expect(again).toEqual({ ...first, replayed: "true" });

    // Another tenant's invitation through our project: refused, and the refusal is kept as the success was.
    const resendForeign = () =>
      raw(database.db, key, `${ORG()}/projects/${w.project.id}/invitations/${w.foreign.invitation.id}/resend`, undefined, "bytes-refusal");
    const refusal = await resendForeign();
    const refusedAgain = await resendForeign();
    expect(refusal).toMatchObject({ status: 404, type: "application/problem+json", replayed: null });
    expect(refusedAgain).toEqual({ ...refusal, replayed: "true" });
  });

  it("the same body with its fields in another order is the same request; another value is not", async () => {
    const email = uniqueEmail("order", w.tag);
    const grants = (a: boolean) =>
      a ? [{ projectId: w.project.id, role: "read_only" }] : [{ role: "read_only", projectId: w.project.id }];
    const first = await raw(
      database.db,
      key,
      `${ORG()}/invitations`,
      JSON.stringify({ emails: [email], orgRole: "member", projects: grants(true) }),
      "order",
    );
    expect(first.status).toBe(200);
    const reordered = await raw(
      database.db,
      key,
      `${ORG()}/invitations`,
      `{"projects":${JSON.stringify(grants(false))}, "orgRole":"member","emails":["${email}"]}`,
      "order",
    );
    expect(reordered).toEqual({ ...first, replayed: "true" });
    const other = await raw(
      database.db,
      key,
      `${ORG()}/invitations`,
      JSON.stringify({ emails: [email], orgRole: "owner", projects: grants(true) }),
      "order",
    );
    expect(JSON.parse(other.text)).toMatchObject({ code: "IDEMPOTENCY_KEY_REUSED" });
  });

  it("an address with a control character is refused on its own with a key too: the rest of the batch is invited and the answer is stored", async () => {
    const good = uniqueEmail("beside-nul", w.tag);
    const body = JSON.stringify({ emails: ["a\u0000b@example.com", good, "c\u0007d@example.com"], role: "read_only" });
    const first = await raw(database.db, key, `${P()}/invitations`, body, "nul-batch");
    expect(first.status).toBe(200);
    const results = (JSON.parse(first.text) as { results: { email: string; outcome: string; reason?: string }[] }).results;
    expect(results).toEqual([
      expect.objectContaining({ email: good, outcome: "invited" }),
      { email: "a\ufffdb@example.com", outcome: "invalid", reason: "The address contains a control character" },
      { email: "c\ufffdd@example.com", outcome: "invalid", reason: "The address contains a control character" },
    ]);
    expect(
      await database.db.$count(
        invitations,
        and(eq(invitations.orgId, w.org.id), eq(invitations.email, good), eq(invitations.status, "pending")),
      ),
    ).toBe(1);
    expect(await raw(database.db, key, `${P()}/invitations`, body, "nul-batch")).toEqual({ ...first, replayed: "true" });
  });

  it("a failure while storing an answer is a 500 whose log holds no link, and nothing is changed", async () => {
    const path = `${ORG()}/invitations/${w.strangerInvitation.id}/link`;
    await database.db.execute(
      sql.raw(`create function refuse_answers() returns trigger language plpgsql as $$ begin raise exception 'storage refused'; end $$`),
    );
    await database.db.execute(
      sql.raw(`create trigger refuse_answers before update on api_idempotency_keys for each row execute function refuse_answers()`),
    );
    const logged = vi.spyOn(console, "error").mockImplementation(() => undefined);
    try {
      // The key's and organization's request counters exist before the snapshot is taken.
      await api(database.db, key, "GET", ORG());
      const before = await snapshot(database.db, worldOrgIds(w));
      const answer = await raw(database.db, key, path, undefined, "log-no-link");
      expect(answer.status).toBe(500);
      expect(await snapshot(database.db, worldOrgIds(w))).toEqual(before);
      const text = logged.mock.calls
        .map((call) => call.map((part) => (part instanceof Error ? `${part.message}\n${part.stack}` : String(part))).join(" "))
        .join("\n");
      expect(text).not.toContain("/invite/");
      // The driver's reason is still there for whoever reads the log.
      expect(text).toContain("storage refused");
    } finally {
      logged.mockRestore();
      await database.db.execute(sql.raw(`drop trigger refuse_answers on api_idempotency_keys`));
      await database.db.execute(sql.raw(`drop function refuse_answers()`));
    }
  });
});
