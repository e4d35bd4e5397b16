import { createHash, randomBytes } from "node:crypto";
import { and, asc, desc, eq, inArray, isNull } from "drizzle-orm";
import type { Db } from "@/db/client";
import { apiKeyProjects, apiKeys, projects, users } from "@/db/schema";
import { authorizeOrg } from "./access";
import { recordActivity, type ActivityEntry } from "./activity-log";
import { DomainError, forbidden } from "./errors";
import { validName } from "./names";
import { inTransaction } from "./transaction";
import type { Actor, ApiKeyGrant, VerbOptions } from "./types";

/** Every secret starts with this, so a leaked key is recognizable (and scannable) as ours. */
export const API_KEY_PREFIX = "mck_";
export const API_KEY_ROLES = ["admin", "read_only"] as const;
export type ApiKeyRole = (typeof API_KEY_ROLES)[number];
const SECRET_SHAPE = /^mck_[A-Za-z0-9_-]{43}$/;

/** SHA-256 of a secret, hex: the only form the database holds (the secret is 256 random bits, so no slow hash is needed). */
export function hashApiKeySecret(secret: string): string {
  return createHash("sha256").update(secret, "utf8").digest("hex");
}

export function isWellFormedApiKey(secret: unknown): secret is string {
  return typeof secret === "string" && SECRET_SHAPE.test(secret);
}

export interface CreateApiKeyInput {
  orgId: string;
  name: string;
  scope: "organization" | "projects";
  /** For a projects key: which projects, and as Project Admin or Project Read-Only. */
  projects?: readonly { projectId: string; role: ApiKeyRole }[];
  expiresAt?: Date | null;
}

export interface ApiKeySummary {
  id: string;
  name: string;
  prefix: string;
  scope: "organization" | "projects";
  projects: { projectId: string; name: string; role: ApiKeyRole }[];
  createdByEmail: string | null;
  createdAt: Date;
  expiresAt: Date | null;
  isExpired: boolean;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
}

const invalid = (message: string, field: string) => new DomainError("INVALID", message, { [field]: [message] });

/** Keys are managed by people in the console; a key cannot mint or revoke keys. */
function refuseKeys(actor: Actor | null) {
  if (actor?.apiKey) throw forbidden("API keys are managed in the console by an Organization Owner.");
}

/** Creates an organization API key (Organization Owners only) and returns its secret, the only time it is shown. */
export async function createApiKey(db: Db, actor: Actor | null, input: CreateApiKeyInput, options: VerbOptions = {}): Promise<{ id: string; secret: string; prefix: string }> {
  const now = options.now ?? new Date();
  refuseKeys(actor);
  const name = validName(input.name, "key");
  if (input.scope !== "organization" && input.scope !== "projects") throw invalid("Choose what the key may do.", "scope");
  const grants = input.scope === "projects" ? [...(input.projects ?? [])] : [];
  if (input.scope === "projects" && grants.length === 0) throw invalid("Choose at least one project for the key.", "projects");
  if (grants.length > 100) throw invalid("Choose at most 100 projects.", "projects");
  if (grants.some((g) => !API_KEY_ROLES.includes(g.role))) throw invalid("A key is Project Admin or Project Read-Only of a project.", "projects");
  if (new Set(grants.map((g) => g.projectId)).size !== grants.length) throw invalid("Choose each project once.", "projects");
  if (input.expiresAt && !(input.expiresAt.getTime() > now.getTime())) throw invalid("Choose an expiry date in the future.", "expiresAt");
  return inTransaction(db, async (tx) => {
    // Under the organization row lock, as leaving and removal take it: a key made while its creator
    // is being removed is either seen (and revoked) by the removal, or refused once it committed.
    await authorizeOrg(tx, actor, input.orgId, "org.apiKeys.manage", { lock: true });
    if (grants.length) {
      const ids = grants.map((g) => g.projectId);
      const found = await tx.select({ id: projects.id }).from(projects).where(and(eq(projects.orgId, input.orgId), inArray(projects.id, ids.filter((id) => /^[0-9a-f-]{36}$/i.test(id)))));
      if (found.length !== ids.length) throw new DomainError("NOT_FOUND", "One of the chosen projects was not found in this organization.", { projects: ["Unknown project"] });
    }
    const secret = API_KEY_PREFIX + randomBytes(32).toString("base64url");
    const prefix = secret.slice(0, API_KEY_PREFIX.length + 8);
    const [row] = await tx
      .insert(apiKeys)
      .values({ orgId: input.orgId, name, prefix, secretHash: hashApiKeySecret(secret), scope: input.scope, createdById: actor!.id, createdByEmail: actor!.email, expiresAt: input.expiresAt ?? null, createdAt: now })
      .returning({ id: apiKeys.id });
    if (grants.length) await tx.insert(apiKeyProjects).values(grants.map((g) => ({ apiKeyId: row!.id, orgId: input.orgId, projectId: g.projectId, role: g.role })));
    await recordActivity(tx, actor!, [{ orgId: input.orgId, action: "api_key.created", detail: `${name} (${prefix}…)` }], now);
    return { id: row!.id, secret, prefix };
  });
}

/** An organization's API keys, newest first, revoked ones included; Organization Owners only. */
export async function listApiKeys(db: Db, actor: Actor | null, input: { orgId: string }, options: VerbOptions = {}): Promise<ApiKeySummary[]> {
  const now = options.now ?? new Date();
  refuseKeys(actor);
  await authorizeOrg(db, actor, input.orgId, "org.apiKeys.manage");
  const keys = await db.select().from(apiKeys).where(eq(apiKeys.orgId, input.orgId)).orderBy(desc(apiKeys.createdAt), desc(apiKeys.id)).limit(500);
  const grants = keys.length
    ? await db
        .select({ apiKeyId: apiKeyProjects.apiKeyId, projectId: apiKeyProjects.projectId, role: apiKeyProjects.role, name: projects.name })
        .from(apiKeyProjects)
        .innerJoin(projects, eq(projects.id, apiKeyProjects.projectId))
        .where(inArray(apiKeyProjects.apiKeyId, keys.map((k) => k.id)))
        .orderBy(asc(projects.name))
    : [];
  return keys.map((k) => ({
    id: k.id,
    name: k.name,
    prefix: k.prefix,
    scope: k.scope,
    projects: grants.filter((g) => g.apiKeyId === k.id).map((g) => ({ projectId: g.projectId, name: g.name, role: g.role as ApiKeyRole })),
    createdByEmail: k.createdByEmail,
    createdAt: k.createdAt,
    expiresAt: k.expiresAt,
    isExpired: k.expiresAt !== null && k.expiresAt.getTime() <= now.getTime(),
    lastUsedAt: k.lastUsedAt,
    revokedAt: k.revokedAt,
  }));
}

/** Revokes a key; the next request made with it is refused. Organization Owners only. */
export async function revokeApiKey(db: Db, actor: Actor | null, input: { orgId: string; keyId: string }, options: VerbOptions = {}): Promise<{ status: "revoked" }> {
  const now = options.now ?? new Date();
  refuseKeys(actor);
  return inTransaction(db, async (tx) => {
    await authorizeOrg(tx, actor, input.orgId, "org.apiKeys.manage");
    if (!/^[0-9a-f-]{36}$/i.test(input.keyId)) throw new DomainError("NOT_FOUND", "This API key was not found.");
    const [key] = await tx.select().from(apiKeys).where(and(eq(apiKeys.id, input.keyId), eq(apiKeys.orgId, input.orgId))).for("update");
    if (!key) throw new DomainError("NOT_FOUND", "This API key was not found.");
    if (key.revokedAt) throw new DomainError("CONFLICT", "This API key was already revoked.");
    await tx.update(apiKeys).set({ revokedAt: now }).where(eq(apiKeys.id, key.id));
    await recordActivity(tx, actor!, [{ orgId: input.orgId, action: "api_key.revoked", detail: `${key.name} (${key.prefix}…)` }], now);
    return { status: "revoked" as const };
  });
}

/**
 * Revokes the keys someone made in an organization they are leaving or removed from, in that
 * transaction (which holds the organization row lock), so the keys do not come back to life if
 * they are added again. Returns one activity record per key, naming the key and its creator.
 */
export async function revokeKeysOfCreator(tx: Db, person: { orgId: string; userId: string; email: string }, now: Date): Promise<ActivityEntry[]> {
  const revoked = await tx
    .update(apiKeys)
    .set({ revokedAt: now })
    .where(and(eq(apiKeys.orgId, person.orgId), eq(apiKeys.createdById, person.userId), isNull(apiKeys.revokedAt)))
    .returning({ name: apiKeys.name, prefix: apiKeys.prefix });
  return revoked.map((k) => ({ orgId: person.orgId, action: "api_key.revoked", detail: `${k.name} (${k.prefix}…)`, targetEmail: person.email, targetUserId: person.userId }));
}

/**
 * The actor a bearer secret stands for: its creator (as they are now) with the key's grant, or
 * null for a malformed, unknown, revoked or expired key or one whose creator is gone. Marks the
 * key as used.
 */
export async function authenticateApiKey(db: Db, secret: unknown, options: VerbOptions = {}): Promise<Actor | null> {
  const now = options.now ?? new Date();
  if (!isWellFormedApiKey(secret)) return null;
  const [row] = await db
    .select({ key: apiKeys, userId: users.id, email: users.email, userName: users.name })
    .from(apiKeys)
    .innerJoin(users, eq(users.id, apiKeys.createdById))
    .where(and(eq(apiKeys.secretHash, hashApiKeySecret(secret)), isNull(apiKeys.revokedAt)))
    .limit(1);
  if (!row || (row.key.expiresAt && row.key.expiresAt.getTime() <= now.getTime())) return null;
  const grants = row.key.scope === "projects" ? await db.select({ projectId: apiKeyProjects.projectId, role: apiKeyProjects.role }).from(apiKeyProjects).where(eq(apiKeyProjects.apiKeyId, row.key.id)) : [];
  // Written at most once a minute per key, so busy keys do not contend on their own row.
  if (!row.key.lastUsedAt || now.getTime() - row.key.lastUsedAt.getTime() > 60_000) await db.update(apiKeys).set({ lastUsedAt: now }).where(eq(apiKeys.id, row.key.id));
  const apiKey: ApiKeyGrant = { id: row.key.id, name: row.key.name, orgId: row.key.orgId, scope: row.key.scope, projects: Object.fromEntries(grants.map((g) => [g.projectId, g.role])) };
  return { id: row.userId, email: row.email, name: row.userName, apiKey };
}
