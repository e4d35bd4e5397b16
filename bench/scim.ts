/**
 * SCIM provisioning speed on Postgres: 1,000 people provisioned through POST /Users (999 new and
 * the Owner, so the organization ends at its 1,000 seats) with BENCH_IN_FLIGHT requests at once,
 * as an identity provider pushes them; then p50/p95 of one lookup by `userName eq` at 1,000
 * members. Targets: ≤ 60 s for the 1,000, ≤ 20 ms p50 for a lookup. Prints figures; it is not a test.
 *
 * Against a running production build (the whole HTTP path):
 *     DATABASE_URL=… npx next start -H 127.0.0.1 -p 3121 &   (APP_URL, AUTH_SECRET… as for `npm start`)
 *     BENCH_BASE_URL=http://127.0.0.1:3121 DATABASE_URL=… npx tsx --conditions=react-server bench/scim.ts
 * Or in this process, through the same framework-free handler the route calls (no BENCH_BASE_URL):
 *     DATABASE_URL=postgres://…/db npm run db:migrate && DATABASE_URL=… npx tsx --conditions=react-server bench/scim.ts
 */
import { randomBytes, randomUUID } from "node:crypto";
import { count, eq } from "drizzle-orm";
import { openDatabase } from "@/db/client";
import { organizationMemberships, organizations, projects, users } from "@/db/schema";
import { createScimToken } from "@/lib/membership";
import { handleScimRequest } from "@/lib/scim/handler";

const BASE = process.env.BENCH_BASE_URL ?? null;
if (BASE && !["127.0.0.1", "localhost", "[::1]"].includes(new URL(BASE).hostname))
  throw new Error("bench/scim.ts runs against this machine only");
const DB_URL = process.env.DATABASE_URL;
if (!DB_URL) throw new Error("DATABASE_URL must name a migrated database (the server's, with BENCH_BASE_URL)");
const PEOPLE = 1000;
const IN_FLIGHT = Number(process.env.BENCH_IN_FLIGHT ?? 8);
const LOOKUPS = Number(process.env.BENCH_LOOKUPS ?? 300);

const database = openDatabase({ url: DB_URL, max: IN_FLIGHT + 2 });
const db = database.db;
const tag = randomBytes(3).toString("hex");
const orgId = randomUUID();
const ownerEmail = `owner-${tag}@bench.example`;
await db.insert(organizations).values({ id: orgId, name: `SCIM bench ${tag}` });
await db.insert(projects).values({ orgId, name: "Default", isDefault: true });
const [owner] = await db.insert(users).values({ email: ownerEmail, name: "Bench Owner" }).returning();
await db.insert(organizationMemberships).values({ orgId, userId: owner!.id, role: "owner" });
const { token } = await createScimToken(db, owner!, { orgId, name: "bench" });

const headers = { authorization: `Bearer ${token}`, "content-type": "application/scim+json" };
async function send(method: string, path: string, body?: unknown): Promise<Response> {
  const url = `${BASE ?? "http://127.0.0.1:3000"}/scim/v2/${orgId}${path}`;
  const init: RequestInit = { method, headers, body: body === undefined ? undefined : JSON.stringify(body) };
  return BASE ? fetch(url, init) : handleScimRequest(db, new Request(url, init), { appUrl: "http://127.0.0.1:3000", perMinute: 1_000_000 });
}
const quantile = (xs: number[], q: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(q * xs.length))]!;

const people = [ownerEmail, ...Array.from({ length: PEOPLE - 1 }, (_, i) => `person-${i}-${tag}@bench.example`)];
let next = 0;
const started = performance.now();
await Promise.all(
  Array.from({ length: IN_FLIGHT }, async () => {
    while (next < people.length) {
      const email = people[next++]!;
      const response = await send("POST", "/Users", {
        schemas: ["urn:ietf:params:scim:schemas:core:2.0:User"],
        userName: email,
        name: { givenName: "Bench", familyName: email.split("@")[0] },
        emails: [{ value: email, type: "work", primary: true }],
        externalId: email,
        active: true,
      });
      if (response.status !== 201) throw new Error(`POST ${email} answered ${response.status}: ${await response.text()}`);
      await response.arrayBuffer();
    }
  }),
);
const provisionSeconds = (performance.now() - started) / 1000;

const times: number[] = [];
for (let i = 0; i < LOOKUPS; i++) {
  const email = people[(i * 37) % people.length]!;
  const t = performance.now();
  const response = await send("GET", `/Users?filter=${encodeURIComponent(`userName eq "${email}"`)}`);
  const body = (await response.json()) as { totalResults: number };
  times.push(performance.now() - t);
  if (body.totalResults !== 1) throw new Error(`lookup of ${email} found ${body.totalResults}`);
}
const [members] = await db.select({ n: count() }).from(organizationMemberships).where(eq(organizationMemberships.orgId, orgId));

console.log(`SCIM bench (${BASE ? `HTTP, ${BASE}` : "in process, lib/scim/handler.ts"}; Postgres; ${IN_FLIGHT} requests in flight)`);
console.log(
  `  ${PEOPLE} users provisioned (POST /Users): ${provisionSeconds.toFixed(1)} s (target ≤ 60 s), ${(PEOPLE / provisionSeconds).toFixed(0)}/s`,
);
console.log(`  members in the organization: ${members?.n ?? "?"}`);
console.log(
  `  lookup by userName eq at ${PEOPLE} members, ${LOOKUPS} requests: p50 ${quantile(times, 0.5).toFixed(1)} ms (target ≤ 20 ms), ` +
    `p95 ${quantile(times, 0.95).toFixed(1)} ms`,
);
await database.close();
