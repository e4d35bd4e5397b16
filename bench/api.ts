/**
 * Latency of the HTTP API against a running production build on Postgres (loopback only): p50 and
 * p95 of GET collaborators (a page of 50 out of 200) and POST invitations with 1 and with 50 new
 * addresses, with an Organization Owner key. Prints figures; it is not a test.
 *
 *     DATABASE_URL=postgres://…/db npm run db:migrate && DATABASE_URL=… npm run db:seed
 *     DATABASE_URL=… APP_URL=http://127.0.0.1:3121 AUTH_SECRET=… AUTH_TRUST_HOST=true ALLOW_LOCAL_MAILBOX_IN_PRODUCTION=true \
 *       EMAIL_LIMIT_PER_INVITER=1000000 EMAIL_LIMIT_PER_ORGANIZATION=1000000 \
 *       API_RATE_LIMIT_PER_MINUTE=1000000 API_RATE_LIMIT_PER_ORGANIZATION_PER_MINUTE=1000000 \
 *       npx next start -H 127.0.0.1 -p 3121 &
 *     BENCH_BASE_URL=http://127.0.0.1:3121 DATABASE_URL=… npx tsx --conditions=react-server bench/api.ts
 *
 * The email limits are raised so every invitation is really issued (a refused address is cheaper).
 */
import { randomBytes } from "node:crypto";
import { eq } from "drizzle-orm";
import { openDatabase } from "@/db/client";
import { users } from "@/db/schema";
import { createApiKey } from "@/lib/membership";
import { DEMO } from "@/db/seed";
import { localApp } from "./scratch-database";

const { base: BASE, dbUrl: DB_URL } = localApp("bench/api.ts", "http://127.0.0.1:3121");
const ORG = DEMO.orgId;
const SEARCH_PROD = DEMO.searchProdId;
const GETS = Number(process.env.BENCH_GETS ?? 200);
const SMALL_POSTS = Number(process.env.BENCH_SMALL_POSTS ?? 100);
const LARGE_POSTS = Number(process.env.BENCH_LARGE_POSTS ?? 20);

const database = openDatabase({ url: DB_URL, max: 2 });
const db = database.db;
const [owner] = await db.select().from(users).where(eq(users.email, "owner@acme.test"));
if (!owner) throw new Error("Seed the demo data first (npm run db:seed)");
const key = await createApiKey(db, owner, { orgId: ORG, name: `bench ${randomBytes(3).toString("hex")}`, scope: "organization" });

// 200 collaborators on the project, so a page is a full 50.
const tag = randomBytes(3).toString("hex");
await database.exec(`
  with people as (
    insert into users (id, email, name)
    select gen_random_uuid()::text, 'bench-' || i || '-${tag}@example.com', 'Bench ' || i from generate_series(1, 200) i
    returning id
  ), members as (
    insert into organization_memberships (org_id, user_id, role) select '${ORG}', id, 'member' from people returning user_id
  )
  insert into project_memberships (org_id, project_id, user_id, role) select '${ORG}', '${SEARCH_PROD}', user_id, 'read_only' from members`);

const headers = { authorization: `Bearer ${key.secret}`, "content-type": "application/json" };
const quantile = (xs: number[], q: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(q * xs.length))]!;

async function timed(n: number, call: (i: number) => Promise<Response>): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    const response = await call(i);
    await response.arrayBuffer();
    times.push(performance.now() - t);
    if (!response.ok) throw new Error(`request ${i} answered ${response.status}`);
  }
  return times;
}

const collaborators = `${BASE}/api/v1/organizations/${ORG}/projects/${SEARCH_PROD}/collaborators`;
const invitations = `${BASE}/api/v1/organizations/${ORG}/projects/${SEARCH_PROD}/invitations`;
const addresses = (n: number, i: number, label: string) => Array.from({ length: n }, (_, j) => `${label}-${i}-${j}-${tag}@example.com`);

await timed(20, () => fetch(collaborators, { headers })); // warm-up
const get = await timed(GETS, () => fetch(collaborators, { headers }));
const one = await timed(SMALL_POSTS, (i) =>
  fetch(invitations, { method: "POST", headers, body: JSON.stringify({ emails: addresses(1, i, "one"), role: "read_only" }) }),
);
const fifty = await timed(LARGE_POSTS, (i) =>
  fetch(invitations, { method: "POST", headers, body: JSON.stringify({ emails: addresses(50, i, "fifty"), role: "read_only" }) }),
);

const line = (label: string, xs: number[]) =>
  console.log(
    `${label.padEnd(36)} n=${String(xs.length).padStart(4)}  p50 ${quantile(xs, 0.5).toFixed(1)} ms  p95 ${quantile(xs, 0.95).toFixed(1)} ms`,
  );
console.log(`API latency against ${BASE} (production build, Postgres), one client, sequential:`);
line("GET collaborators (50 of 200)", get);
line("POST invitations, 1 address", one);
line("POST invitations, 50 addresses", fifty);
await database.close();
