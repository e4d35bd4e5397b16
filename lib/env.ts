import { z } from "zod";

// An IPv4 address, or an IPv6 one in brackets, with an optional port; or a bare IPv6 address.
const DNS_SERVER = /^(?:(?:\d{1,3}\.){3}\d{1,3}(?::\d{1,5})?|\[[0-9a-fA-F:.]+\](?::\d{1,5})?|[0-9a-fA-F:]*:[0-9a-fA-F:.]+)$/;

/** DNS_SERVERS as a list: "1.1.1.1, 127.0.0.1:5353" → ["1.1.1.1", "127.0.0.1:5353"]. */
export function dnsServerList(value: string | undefined): string[] {
  return (value ?? "")
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
}

/**
 * Every environment variable the app reads, validated once. Importing this module never
 * touches the database or the network, so scripts, tests and the Next.js build can use it.
 */
/** The host names of this machine: what "APP_URL is on localhost" accepts. */
const LOOPBACK = new Set(["localhost", "127.0.0.1", "[::1]"]);

const ZEnvFields = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  DATABASE_URL: z.string().url().optional(),
  PGLITE_DIR: z.string().min(1).default(".data/pglite"),
  // Statements sent again and again are prepared once per connection (db/named-statements.ts);
  // "0" sends every statement unnamed, for a pooler between the app and Postgres that cannot
  // keep named statements (PgBouncer in transaction mode with max_prepared_statements at 0).
  DATABASE_NAMED_STATEMENTS: z.enum(["0", "1"]).default("1"),
  AUTH_SECRET: z.string().min(16).optional(),
  APP_URL: z.string().url().default("http://localhost:3000"),
  RESEND_API_KEY: z.string().min(1).optional(),
  RESEND_BASE_URL: z.string().url().optional(),
  EMAIL_FROM: z.string().min(3).default("Acme Console <console@acme.test>"),
  SEED_DEMO_DATA: z.enum(["auto", "never"]).default("auto"),
  OUTBOX_SWEEP_MS: z.coerce.number().int().min(0).default(5_000),
  // Sign-in links per address (folded: case and +tag) in a short window: a stranger asking for
  // links to your address delays you by at most that window, and the links go to you anyway.
  SIGN_IN_LIMIT_PER_ADDRESS: z.coerce.number().int().min(1).default(3),
  SIGN_IN_ADDRESS_WINDOW_SECONDS: z.coerce.number().int().min(1).max(3600).default(300),
  // Sign-in links per client address in 15 minutes; only counted when TRUSTED_PROXY_HOPS > 0.
  SIGN_IN_LIMIT_PER_CLIENT: z.coerce.number().int().min(1).default(30),
  // Sign-in links per minute for the whole installation, whoever asks.
  SIGN_IN_LIMIT_GLOBAL_PER_MINUTE: z.coerce.number().int().min(1).default(60),
  // How many proxies in front of the app append to X-Forwarded-For. 0 trusts no proxy header.
  TRUSTED_PROXY_HOPS: z.coerce.number().int().min(0).max(10).default(0),
  // Invitation and "added" emails per window: per recipient address (across the installation),
  // per inviter, per organization.
  EMAIL_LIMIT_PER_RECIPIENT: z.coerce.number().int().min(1).default(5),
  EMAIL_LIMIT_PER_INVITER: z.coerce.number().int().min(1).default(200),
  EMAIL_LIMIT_PER_ORGANIZATION: z.coerce.number().int().min(1).default(1000),
  EMAIL_LIMIT_WINDOW_MINUTES: z.coerce
    .number()
    .int()
    .min(1)
    .max(7 * 24 * 60)
    .default(60),
  // Audit exports one organization may start per hour (console and API together): each reads up to
  // a year of records, so a loop of downloads cannot keep the database busy.
  ACTIVITY_EXPORTS_PER_HOUR: z.coerce.number().int().min(1).default(30),
  // Requests per API key per minute on /api/v1 (issue 12).
  API_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(1).default(600),
  // Requests per minute by all of an organization's keys together (issue 18): five keys at full
  // rate, so that making more keys never multiplies what one organization may send.
  API_RATE_LIMIT_PER_ORGANIZATION_PER_MINUTE: z.coerce.number().int().min(1).default(3000),
  // ── Issue 20: requests per SCIM token per minute on /scim/v2 (an IdP pushing 1,000 people a minute fits).
  SCIM_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(1).default(2400),
  // SAML metadata URLs are fetched over https only in production; "1" also allows plain http
  // (an identity provider on a private network, or the e2e tests' one on loopback).
  SSO_ALLOW_HTTP_METADATA: z.enum(["0", "1"]).default("0"),
  // DNS servers for the TXT checks of verified domains, comma-separated host or host:port
  // (1.1.1.1,[2606:4700::1111]:53); unset, the system's resolvers (/etc/resolv.conf).
  DNS_SERVERS: z
    .string()
    .refine((v) => dnsServerList(v).length > 0 && dnsServerList(v).every((s) => DNS_SERVER.test(s)), {
      message: "must be a comma-separated list of IP addresses with an optional port, e.g. 1.1.1.1,127.0.0.1:5353",
    })
    .optional(),
  // How often the app re-checks due domains in its own process (every minute); 0 leaves it to `npm run worker`.
  DOMAIN_RECHECK_MS: z.coerce.number().int().min(0).default(60_000),
  // Test-only escape hatch: lets a production build (e2e tests) deliver to the local mailbox.
  ALLOW_LOCAL_MAILBOX_IN_PRODUCTION: z.enum(["true", "false"]).default("false"),
  // OpenID Connect issuers over plain http (tests' local provider): always allowed outside
  // production; in production only with this set to 1, since tokens would cross the network in clear.
  SSO_ALLOW_HTTP_ISSUER: z.enum(["0", "1"]).default("0"),
  // ── Issue 22: webhooks ──
  // How often the app's own job runner looks for due webhook deliveries; 0 leaves it to `npm run worker`.
  WEBHOOK_SWEEP_MS: z.coerce.number().int().min(0).default(5_000),
  // Test-only: lets webhooks reach endpoints on loopback (127.0.0.1, ::1, localhost). Every other
  // private, link-local or metadata address stays refused. "only": loopback and nothing else, every
  // public address refused before connecting (the end-to-end app). In production either only while APP_URL is on this machine.
  WEBHOOK_ALLOW_LOOPBACK: z.enum(["0", "1", "only"]).default("0"),
});

/** Rules across variables; run on whatever fields are valid, so every problem is reported at once. */
const ZEnv = ZEnvFields.partial().superRefine((env, ctx) => {
  const appUrl = env.APP_URL ?? "";
  if (env.NODE_ENV === "production" && !env.AUTH_SECRET && process.env.NEXT_PHASE !== "phase-production-build") {
    ctx.addIssue({ code: "custom", path: ["AUTH_SECRET"], message: "AUTH_SECRET is required in production (openssl rand -base64 32)" });
  }
  if (
    env.NODE_ENV === "production" &&
    !env.RESEND_API_KEY &&
    env.ALLOW_LOCAL_MAILBOX_IN_PRODUCTION !== "true" &&
    process.env.NEXT_PHASE !== "phase-production-build"
  ) {
    ctx.addIssue({
      code: "custom",
      path: ["RESEND_API_KEY"],
      message: "RESEND_API_KEY is required in production: without it no email would leave",
    });
  }
  if (URL.canParse(appUrl) && new URL(appUrl).pathname !== "/") {
    ctx.addIssue({ code: "custom", path: ["APP_URL"], message: "must be an origin without a path, e.g. https://console.example.com" });
  }
  const authUrl = process.env.AUTH_URL;
  if (authUrl && URL.canParse(appUrl) && (!URL.canParse(authUrl) || new URL(authUrl).origin !== new URL(appUrl).origin)) {
    ctx.addIssue({ code: "custom", path: ["AUTH_URL"], message: "must have the same origin as APP_URL (or be left unset)" });
  }
  const onThisMachine = URL.canParse(appUrl) && LOOPBACK.has(new URL(appUrl).hostname);
  if (env.ALLOW_LOCAL_MAILBOX_IN_PRODUCTION === "true" && !onThisMachine) {
    ctx.addIssue({
      code: "custom",
      path: ["ALLOW_LOCAL_MAILBOX_IN_PRODUCTION"],
      message: "is for local tests only: APP_URL must be on localhost",
    });
  }
  const webhookLoopback = env.WEBHOOK_ALLOW_LOOPBACK === "1" || env.WEBHOOK_ALLOW_LOOPBACK === "only";
  if (webhookLoopback && env.NODE_ENV === "production" && !onThisMachine) {
    ctx.addIssue({
      code: "custom",
      path: ["WEBHOOK_ALLOW_LOOPBACK"],
      message: "is for local tests only: in production APP_URL must be on localhost",
    });
  }
});

export type Env = z.infer<typeof ZEnvFields>;

let cached: Env | undefined;

/** Validates an environment; throws one readable error listing every bad variable. */
export function parseEnv(source: Record<string, string | undefined>): Env {
  const missingAppUrl: { path: PropertyKey[]; message: string }[] =
    source.NODE_ENV === "production" && !source.APP_URL && process.env.NEXT_PHASE !== "phase-production-build"
      ? // Links in emails are built from it: a default of localhost would send unusable links.
        [{ path: ["APP_URL"], message: "is required in production (the address people open, e.g. https://console.example.com)" }]
      : [];
  // Empty strings in .env files mean "unset", not "invalid".
  const cleaned = {
    ...source,
    ...Object.fromEntries(
      Object.entries(source)
        .filter(([, v]) => v === "")
        .map(([k]) => [k, undefined]),
    ),
  };
  const parsed = ZEnvFields.safeParse(cleaned);
  // The cross-variable rules see every field that is valid on its own (with its default).
  const valid = Object.fromEntries(
    Object.entries(ZEnvFields.shape).map(([key, schema]) => {
      const field = (schema as z.ZodType).safeParse(cleaned[key]);
      return [key, field.success ? field.data : undefined];
    }),
  );
  const cross = ZEnv.safeParse(valid);
  const issues = [...missingAppUrl, ...(parsed.error?.issues ?? []), ...(cross.error?.issues ?? [])];
  if (!parsed.success || issues.length > 0) {
    // Every problem at once, so a deployment is fixed in one go rather than one restart each.
    const lines = issues.map((i) => `  ${i.path.map(String).join(".")}: ${i.message}`);
    throw new Error(`Invalid environment:\n${lines.join("\n")}`);
  }
  return parsed.data;
}

/** The process environment, validated once. */
export function getEnv(): Env {
  cached ??= parseEnv(process.env);
  return cached;
}

/** Mail goes to the local mailbox page unless a Resend key is configured. */
export function isLocalMailbox(env: Env = getEnv()): boolean {
  return !env.RESEND_API_KEY;
}

/** Whether an OpenID Connect issuer (and its endpoints) may be http:// rather than https://. */
export function allowsHttpIssuer(env: Env = getEnv()): boolean {
  return env.NODE_ENV !== "production" || env.SSO_ALLOW_HTTP_ISSUER === "1";
}

/**
 * The local mailbox page exists only for local delivery outside production. The one exception is
 * the e2e tests' production build, and only while the app's own address is on this machine, so a
 * deployed app can never show everyone's sign-in links.
 */
export function isMailboxPageEnabled(env: Env = getEnv()): boolean {
  if (!isLocalMailbox(env)) return false;
  if (env.NODE_ENV !== "production") return true;
  return env.ALLOW_LOCAL_MAILBOX_IN_PRODUCTION === "true" && LOOPBACK.has(new URL(env.APP_URL).hostname);
}
