/**
 * What the benches that drive a production build share: a loopback relay that counts the SQL
 * statements the app sends, raw-SQL seeding of a tenant, session cookies, starting the app, CPU
 * time from /proc. Only `pg` and raw SQL, so the same script measures an older checkout.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes, randomUUID } from "node:crypto";
import { appendFileSync, existsSync, readFileSync } from "node:fs";
import { createServer, connect, type Server, type Socket } from "node:net";
import path from "node:path";
import pg from "pg";

/** Statements the app sent through a counting relay so far (Execute and simple Query messages). */
export const relayed = { statements: 0 };

/**
 * With RELAY_LOG=<file>, each relay appends to it the text of every statement it counts (a
 * simple Query's text; for an Execute, the text its Parse carried on that connection), one line
 * each, to see which statements a page or an invite sends.
 */
const relayLog = process.env.RELAY_LOG;

export interface CountingRelay {
  server: Server;
  port: number;
  /** Statements sent through this relay so far. */
  statements: () => number;
  /** Stops listening and cuts the connections still open. */
  close: () => Promise<void>;
}

/**
 * A loopback relay between an app and Postgres that counts statements by reading the wire
 * protocol, on `port` (a free one when 0). Each relay counts its own statements; `relayed` counts
 * those of all relays.
 */
export function countingRelay(target: URL, port = 0): Promise<CountingRelay> {
  let statements = 0;
  const sockets = new Set<Socket>();
  return new Promise((resolve, reject) => {
    const relay = createServer((client: Socket) => {
      const upstream = connect(Number(target.port || 5432), target.hostname);
      sockets.add(client).add(upstream);
      // As pg does on its own sockets: without this, Nagle's algorithm and delayed ACKs add up to
      // 40 ms to a statement whose answer follows a small write (one transaction's statements in a row).
      client.setNoDelay(true);
      upstream.setNoDelay(true);
      let started = false;
      let buffered = Buffer.alloc(0);
      let parsed = "";
      const named = new Map<string, string>();
      client.on("data", (chunk) => {
        upstream.write(chunk);
        buffered = Buffer.concat([buffered, chunk]);
        for (;;) {
          if (!started) {
            // The startup message (and an SSL request) has no type byte.
            if (buffered.length < 4) break;
            const length = buffered.readInt32BE(0);
            if (buffered.length < length) break;
            const code = buffered.readInt32BE(4);
            buffered = buffered.subarray(length);
            if (code !== 80877103) started = true;
            continue;
          }
          if (buffered.length < 5) break;
          const length = buffered.readInt32BE(1);
          if (buffered.length < 1 + length) break;
          const type = String.fromCharCode(buffered[0]!);
          if (relayLog && type === "P") {
            // Parse: statement name (a C string), then the query text (a C string).
            const nameEnd = buffered.indexOf(0, 5);
            const name = buffered.toString("utf8", 5, nameEnd);
            parsed = buffered.toString("utf8", nameEnd + 1, buffered.indexOf(0, nameEnd + 1));
            if (name) named.set(name, parsed);
          }
          if (relayLog && type === "B") {
            // Bind: portal name, then statement name (C strings). A named statement is parsed once
            // per connection, so its text is the one that name was parsed with.
            const portalEnd = buffered.indexOf(0, 5);
            const name = buffered.toString("utf8", portalEnd + 1, buffered.indexOf(0, portalEnd + 1));
            parsed = name ? (named.get(name) ?? `(named ${name})`) : parsed;
          }
          if (type === "E" || type === "Q") {
            relayed.statements++;
            statements++;
            if (relayLog) {
              const text = type === "Q" ? buffered.toString("utf8", 5, 1 + length - 1) : parsed;
              appendFileSync(relayLog, `${text.replace(/\s+/g, " ").slice(0, 300)}\n`);
            }
          }
          buffered = buffered.subarray(1 + length);
        }
      });
      upstream.on("data", (chunk) => client.write(chunk));
      const end = () => {
        client.destroy();
        upstream.destroy();
        sockets.delete(client);
        sockets.delete(upstream);
      };
      client.on("error", end).on("close", end);
      upstream.on("error", end).on("close", end);
    });
    relay.once("error", reject);
    relay.listen(port, "127.0.0.1", () =>
      resolve({
        server: relay,
        port: (relay.address() as { port: number }).port,
        statements: () => statements,
        close: () =>
          new Promise((closed) => {
            for (const socket of sockets) socket.destroy();
            relay.close(() => closed());
          }),
      }),
    );
  });
}

/** One statement on its own connection. */
export async function sql(url: string, text: string, values: unknown[] = []) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(text, values)).rows;
  } finally {
    await client.end();
  }
}

/** A database session for the user, as Auth.js keeps them, and its cookie. */
export async function sessionCookie(dbUrl: string, userId: string): Promise<string> {
  const token = randomBytes(24).toString("hex");
  await sql(dbUrl, "insert into sessions (session_token, user_id, expires) values ($1, $2, now() + interval '1 day')", [token, userId]);
  return `authjs.session-token=${token}`;
}

export interface Tenant {
  orgId: string;
  projectId: string;
  size: number;
  cookie: string;
  admins: { cookie: string; projectId: string }[];
}

/**
 * An organization whose project has `size` collaborators (one admin: the owner), `pending`
 * pending invitations (200 unless given), `activityPerPerson` activity rows per collaborator
 * (2 unless given), and `extraAdmins` admins of projects of their own.
 */
export async function seedTenant(
  dbUrl: string,
  label: string,
  size: number,
  options: { extraAdmins?: number; pending?: number; activityPerPerson?: number } = {},
): Promise<Tenant> {
  const url = dbUrl;
  const orgId = randomUUID();
  const projectId = randomUUID();
  const ownerId = randomUUID();
  await sql(url, "insert into organizations (id, name) values ($1, $2)", [orgId, `Scale ${label}`]);
  await sql(url, "insert into projects (id, org_id, name, is_default) values ($1, $2, $3, true)", [projectId, orgId, `Project ${label}`]);
  await sql(url, "insert into users (id, email, name) values ($1, $2, 'Owner')", [ownerId, `owner-${label}@scale.test`]);
  await sql(url, "insert into organization_memberships (org_id, user_id, role) values ($1, $2, 'owner')", [orgId, ownerId]);
  await sql(url, "insert into project_memberships (org_id, project_id, user_id, role) values ($1, $2, $3, 'admin')", [
    orgId,
    projectId,
    ownerId,
  ]);
  const others = size - 1;
  if (others > 0) {
    await sql(
      url,
      `insert into users (id, email, name) select '${label}-' || g, 'person' || g || '-${label}@scale.test', 'Person ' || g from generate_series(1, $1) g`,
      [others],
    );
    await sql(
      url,
      `insert into organization_memberships (org_id, user_id, role) select $1, '${label}-' || g, 'member' from generate_series(1, $2) g`,
      [orgId, others],
    );
    await sql(
      url,
      `insert into project_memberships (org_id, project_id, user_id, role)
       select $1, $2, '${label}-' || g, (case when g % 10 = 0 then 'admin' when g % 3 = 0 then 'read_write' else 'read_only' end)::project_role
       from generate_series(1, $3) g`,
      [orgId, projectId, others],
    );
  }
  await sql(
    url,
    `with i as (
       insert into invitations (org_id, email, org_role, token_hash, invited_by_id, expires_at, last_sent_at)
       select $1::uuid, 'pending' || g || '-${label}@scale.test', 'member', md5(random()::text || g || $1::text),
       $2, now() + interval '2 days', now() from generate_series(1, $4) g
       returning id)
     insert into invitation_project_grants (invitation_id, org_id, project_id, role) select id, $1, $3, 'read_only' from i`,
    [orgId, ownerId, projectId, options.pending ?? 200],
  );
  await sql(
    url,
    `insert into activity (org_id, project_id, actor_id, actor_email, action, target_email, new_role, created_at)
     select $1, $2, $3, 'owner-${label}@scale.test',
     (case when g % 2 = 0 then 'member.added' else 'invitation.created' end), 'person' || (g / 2) || '-${label}@scale.test',
     'read_only', now() - (g || ' seconds')::interval
     from generate_series(1, $4) g`,
    [orgId, projectId, ownerId, (options.activityPerPerson ?? 2) * size],
  );
  const admins: Tenant["admins"] = [];
  for (let i = 0; i < (options.extraAdmins ?? 0); i++) {
    const id = randomUUID();
    const pid = randomUUID();
    await sql(url, "insert into users (id, email, name) values ($1, $2, 'Admin')", [id, `admin${i}-${label}@scale.test`]);
    await sql(url, "insert into organization_memberships (org_id, user_id, role) values ($1, $2, 'member')", [orgId, id]);
    await sql(url, "insert into projects (id, org_id, name) values ($1, $2, $3)", [pid, orgId, `Admin project ${i}`]);
    await sql(url, "insert into project_memberships (org_id, project_id, user_id, role) values ($1, $2, $3, 'admin')", [orgId, pid, id]);
    admins.push({ cookie: await sessionCookie(dbUrl, id), projectId: pid });
  }
  await sql(url, "analyze");
  return { orgId, projectId, size, cookie: await sessionCookie(dbUrl, ownerId), admins };
}

/** The production server of the checkout at `appDir` (standalone when the checkout has scripts/start.mjs). */
export function startApp(appDir: string, port: number, databaseUrl: string): ChildProcess {
  const standalone = existsSync(path.join(appDir, "scripts/start.mjs"));
  const command = standalone ? ["scripts/start.mjs"] : ["node_modules/next/dist/bin/next", "start", "-H", "127.0.0.1", "-p", String(port)];
  const nodeArgs = (process.env.BENCH_NODE_ARGS ?? "").split(" ").filter(Boolean);
  return spawn(process.execPath, [...nodeArgs, ...command], {
    cwd: appDir,
    stdio: ["ignore", "ignore", "inherit"],
    env: {
      ...process.env,
      NODE_ENV: "production",
      HOST: "127.0.0.1",
      PORT: String(port),
      DATABASE_URL: databaseUrl,
      APP_URL: `http://127.0.0.1:${port}`,
      AUTH_SECRET: "bench-secret-0123456789abcdef0123456789",
      AUTH_TRUST_HOST: "true",
      ALLOW_LOCAL_MAILBOX_IN_PRODUCTION: "true",
      RESEND_API_KEY: "",
      OUTBOX_SWEEP_MS: "0",
      EMAIL_LIMIT_PER_RECIPIENT: "1000000",
      EMAIL_LIMIT_PER_INVITER: "1000000",
      EMAIL_LIMIT_PER_ORGANIZATION: "1000000",
    },
  });
}

/** Waits until the app answers its sign-in page (or exits). */
export async function waitForApp(app: ChildProcess, base: string): Promise<void> {
  for (;;) {
    const ok = await fetch(`${base}/sign-in`).then(
      (r) => r.status === 200,
      () => false,
    );
    if (ok) return;
    if (app.exitCode !== null) throw new Error("the app exited");
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/** CPU time (user + system) of a process and its waited-for children so far, in ms. */
export function cpuMs(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ");
  // utime, stime, cutime, cstime are fields 14–17 of the line; 12–15 after the name.
  return [11, 12, 13, 14].reduce((sum, i) => sum + Number(fields[i]), 0) * 10;
}

export const quantile = (values: number[], q: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
};

/** The id of a server action in the checkout's build. */
export function actionId(appDir: string, name: string): string {
  const manifest = JSON.parse(readFileSync(path.join(appDir, ".next/server/server-reference-manifest.json"), "utf8")) as {
    node: Record<string, { exportedName: string }>;
  };
  const id = Object.entries(manifest.node).find(([, v]) => v.exportedName === name)?.[0];
  if (!id) throw new Error(`no server action ${name} in the build`);
  return id;
}

/** Invites addresses to a project through the page's server action, as the browser does; the time in ms. */
export async function inviteThroughAction(
  appDir: string,
  base: string,
  target: { orgId: string; projectId: string; cookie: string },
  emails: string[],
): Promise<number> {
  const pagePath = `/orgs/${target.orgId}/projects/${target.projectId}/members`;
  const started = performance.now();
  const response = await fetch(`${base}${pagePath}`, {
    method: "POST",
    headers: {
      "next-action": actionId(appDir, "inviteUsersAction"),
      "content-type": "text/plain;charset=UTF-8",
      origin: base,
      accept: "text/x-component",
      cookie: target.cookie,
    },
    body: JSON.stringify([{ orgId: target.orgId, projectId: target.projectId, emails: emails.join("\n"), role: "read_only" }]),
  });
  const text = await response.text();
  const ms = performance.now() - started;
  const result = text.split("\n").find((l) => l.startsWith("1:")) ?? "";
  if (response.status !== 200 || !result.includes('"invited"'))
    throw new Error(`invite answered ${response.status}: ${result.slice(0, 300)}`);
  return ms;
}
