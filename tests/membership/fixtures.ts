import { randomUUID } from "node:crypto";
import { and, asc, count, desc, eq, sql } from "drizzle-orm";
import { expect } from "vitest";
import type { Db } from "@/db/client";
import {
  activity,
  emailOutbox,
  invitationProjectGrants,
  invitations,
  orgDomains,
  organizationMemberships,
  organizations,
  projectMemberships,
  projects,
  users,
} from "@/db/schema";
import { DomainError, type DomainErrorCode } from "@/lib/membership/errors";
import { generateInvitationToken } from "@/lib/membership/tokens";
import { openLink, sealContext } from "@/lib/email/sealed";
import { INVITATION_TTL_MS } from "@/lib/membership/invitations/invitation-rules";
import type { OrgRole, ProjectRole } from "@/lib/membership/roles";
import { openProjectPage } from "@/lib/membership/projects/open-project-page";
import type { ListFilter } from "@/lib/membership/list-filter";
import type { Actor, VerbOptions } from "@/lib/membership/types";
import { freshTag, uniqueEmail } from "../shared-fixtures";

/** The shape every verb receives as its actor; tests always give a name too. */
export interface TestActor {
  id: string;
  email: string;
  name: string;
}

export const BASE_URL = "http://console.test";

export { freshTag, uniqueEmail };

// ── Row builders ──

export async function createUsers(db: Db, labels: readonly string[], tag = freshTag()): Promise<TestActor[]> {
  if (labels.length === 0) return [];
  const rows = labels.map((label) => ({ id: randomUUID(), email: uniqueEmail(label, tag), name: `${label} ${tag}` }));
  await db.insert(users).values(rows);
  return rows;
}

export async function createUser(db: Db, label: string, tag = freshTag()): Promise<TestActor> {
  const [user] = await createUsers(db, [label], tag);
  return user!;
}

export async function createOrganization(db: Db, name = `Org ${freshTag()}`): Promise<{ id: string; name: string }> {
  const org = { id: randomUUID(), name };
  await db.insert(organizations).values(org);
  return org;
}

export async function addOrgMembers(db: Db, orgId: string, members: readonly { user: { id: string }; role: OrgRole }[]): Promise<void> {
  if (members.length === 0) return;
  await db.insert(organizationMemberships).values(members.map((m) => ({ orgId, userId: m.user.id, role: m.role })));
}

export async function createProjectRow(
  db: Db,
  orgId: string,
  name = `Project ${freshTag()}`,
): Promise<{ id: string; name: string; orgId: string }> {
  const project = { id: randomUUID(), orgId, name };
  await db.insert(projects).values(project);
  return project;
}

export async function addCollaborators(
  db: Db,
  ids: { orgId: string; projectId: string },
  members: readonly { user: { id: string }; role: ProjectRole }[],
): Promise<void> {
  if (members.length === 0) return;
  await db.insert(projectMemberships).values(members.map((m) => ({ ...ids, userId: m.user.id, role: m.role })));
}

export interface SeededInvitation {
  id: string;
  email: string;
  token: string;
  role: ProjectRole;
}

/** Inserts a pending invitation directly (not through inviteUsers), keeping the raw token. */
export async function insertInvitation(
  db: Db,
  values: { orgId: string; projectId: string; email: string; role?: ProjectRole; invitedById?: string | null; sentAt: Date },
): Promise<SeededInvitation> {
  const { token, tokenHash } = generateInvitationToken();
  const role = values.role ?? "read_only";
  const [row] = await db
    .insert(invitations)
    .values({
      orgId: values.orgId,
      email: values.email,
      tokenHash,
      invitedById: values.invitedById ?? null,
      expiresAt: new Date(values.sentAt.getTime() + INVITATION_TTL_MS),
      lastSentAt: values.sentAt,
      createdAt: values.sentAt,
    })
    .returning({ id: invitations.id });
  // A project invitation: an organization invitation (role member) with one project grant.
  await db.insert(invitationProjectGrants).values({ invitationId: row!.id, orgId: values.orgId, projectId: values.projectId, role });
  return { id: row!.id, email: values.email, token, role };
}

// ── The standard world ──

export interface World {
  tag: string;
  /** "Now" for the verbs; seeded invitations were sent ten minutes before it. */
  now: Date;
  org: { id: string; name: string };
  project: { id: string; name: string; orgId: string };
  /** A second project of the same organization, where only admin2 collaborates. */
  sideProject: { id: string; name: string; orgId: string };
  actors: {
    owner: TestActor;
    admin: TestActor;
    readWrite: TestActor;
    readOnly: TestActor;
    member: TestActor;
    outsider: TestActor;
    /** Has an account and a pending invitation to the project, but no membership yet. */
    invitee: TestActor;
  };
  /** A second Project Admin, so an admin may leave or be demoted. */
  admin2: TestActor;
  /** A read-only collaborator that verbs act upon. */
  target: TestActor;
  /** Pending invitation to `actors.invitee`. */
  invitation: SeededInvitation;
  /** Pending invitation to an address without an account. */
  strangerInvitation: SeededInvitation;
  /** A domain organization A claimed (pending), for the domain verbs. */
  domain: { id: string; name: string };
  /** Another tenant: its own owner, project, collaborator and invitation. */
  foreign: {
    org: { id: string; name: string };
    project: { id: string; name: string; orgId: string };
    owner: TestActor;
    collaborator: TestActor;
    invitation: SeededInvitation;
  };
}

/**
 * A fresh pair of organizations with real rows: organization A (owner, two admins, read-write,
 * read-only, a read-only target, a plain member, a pending invitee) and organization B (its own
 * owner, project, collaborator = the "outsider", invitation). One activity row per project.
 */
export async function buildWorld(db: Db, options: { now?: Date } = {}): Promise<World> {
  return db.transaction((tx) => buildWorldIn(tx as unknown as Db, options));
}

async function buildWorldIn(db: Db, options: { now?: Date }): Promise<World> {
  const now = options.now ?? new Date();
  const sentAt = new Date(now.getTime() - 10 * 60 * 1000);
  const tag = freshTag();
  const labels = ["owner", "admin", "admin2", "readwrite", "readonly", "target", "member", "invitee", "outsider", "foreignowner"] as const;
  const made = await createUsers(db, labels, tag);
  const u = Object.fromEntries(labels.map((l, i) => [l, made[i]!])) as Record<(typeof labels)[number], TestActor>;

  const org = { id: randomUUID(), name: `Org A ${tag}` };
  const foreignOrg = { id: randomUUID(), name: `Org B ${tag}` };
  await db.insert(organizations).values([org, foreignOrg]);
  const project = { id: randomUUID(), orgId: org.id, name: `Search ${tag}` };
  const sideProject = { id: randomUUID(), orgId: org.id, name: `Side ${tag}` };
  const foreignProject = { id: randomUUID(), orgId: foreignOrg.id, name: `Foreign ${tag}` };
  await db.insert(projects).values([project, sideProject, foreignProject]);

  await db.insert(organizationMemberships).values([
    ...(["owner"] as const).map((l) => ({ orgId: org.id, userId: u[l].id, role: "owner" as const })),
    ...(["admin", "admin2", "readwrite", "readonly", "target", "member"] as const).map((l) => ({
      orgId: org.id,
      userId: u[l].id,
      role: "member" as const,
    })),
    { orgId: foreignOrg.id, userId: u.foreignowner.id, role: "owner" as const },
    { orgId: foreignOrg.id, userId: u.outsider.id, role: "member" as const },
  ]);
  const inA = { orgId: org.id, projectId: project.id };
  await db.insert(projectMemberships).values([
    { ...inA, userId: u.admin.id, role: "admin" as const },
    { ...inA, userId: u.admin2.id, role: "admin" as const },
    { ...inA, userId: u.readwrite.id, role: "read_write" as const },
    { ...inA, userId: u.readonly.id, role: "read_only" as const },
    { ...inA, userId: u.target.id, role: "read_only" as const },
    { orgId: org.id, projectId: sideProject.id, userId: u.admin2.id, role: "admin" as const },
    { orgId: foreignOrg.id, projectId: foreignProject.id, userId: u.foreignowner.id, role: "admin" as const },
    { orgId: foreignOrg.id, projectId: foreignProject.id, userId: u.outsider.id, role: "read_write" as const },
  ]);

  const invitation = await insertInvitation(db, { ...inA, email: u.invitee.email, role: "read_write", invitedById: u.admin.id, sentAt });
  const strangerInvitation = await insertInvitation(db, {
    ...inA,
    email: uniqueEmail("stranger", tag),
    role: "read_only",
    invitedById: u.owner.id,
    sentAt,
  });
  const foreignInvitation = await insertInvitation(db, {
    orgId: foreignOrg.id,
    projectId: foreignProject.id,
    email: uniqueEmail("foreigninvitee", tag),
    role: "read_only",
    invitedById: u.foreignowner.id,
    sentAt,
  });
  await db.insert(activity).values([
    {
      orgId: org.id,
      projectId: project.id,
      actorId: u.admin.id,
      actorEmail: u.admin.email,
      action: "invitation.created",
      targetEmail: u.invitee.email,
      newRole: "read_write",
      createdAt: sentAt,
    },
    {
      orgId: foreignOrg.id,
      projectId: foreignProject.id,
      actorId: u.foreignowner.id,
      actorEmail: u.foreignowner.email,
      action: "invitation.created",
      targetEmail: foreignInvitation.email,
      newRole: "read_only",
      createdAt: sentAt,
    },
  ]);

  const [domain] = await db
    .insert(orgDomains)
    .values({
      orgId: org.id,
      domain: `a-${tag}.example.com`,
      verificationToken: `mc-domain-verification=world-${tag}`,
      createdById: u.owner.id,
    })
    .returning({ id: orgDomains.id, name: orgDomains.domain });

  return {
    tag,
    now,
    org,
    domain: domain!,
    project,
    sideProject,
    actors: {
      owner: u.owner,
      admin: u.admin,
      readWrite: u.readwrite,
      readOnly: u.readonly,
      member: u.member,
      outsider: u.outsider,
      invitee: u.invitee,
    },
    admin2: u.admin2,
    target: u.target,
    invitation,
    strangerInvitation,
    foreign: { org: foreignOrg, project: foreignProject, owner: u.foreignowner, collaborator: u.outsider, invitation: foreignInvitation },
  };
}

// ── Snapshots: "nothing changed" ──

export interface Snapshot {
  tableCounts: Record<string, number>;
  organizations: unknown[];
  projects: unknown[];
  orgMemberships: unknown[];
  projectMemberships: unknown[];
  invitations: unknown[];
  grants: unknown[];
  outbox: unknown[];
  activityCounts: Record<string, number>;
  domains: unknown[];
  webhooks: unknown[];
}

const COUNTED_TABLES = [
  "users",
  "organizations",
  "projects",
  "organization_memberships",
  "project_memberships",
  "invitations",
  "invitation_project_grants",
  "email_outbox",
  "activity",
  "mailbox_messages",
  "rate_limits",
  "sso_connections",
  "org_domains",
  "webhook_endpoints",
  "webhook_events",
  "webhook_deliveries",
] as const;

/**
 * Every row that a membership verb could touch for the given organizations (full rows, sorted),
 * plus the row count of every table, so a stray insert anywhere shows up too. One statement.
 */
export async function snapshot(db: Db, orgIds: readonly string[]): Promise<Snapshot> {
  const ids = sql.join(
    orgIds.map((id) => sql`${id}::uuid`),
    sql`, `,
  );
  const counts = sql.join(
    COUNTED_TABLES.map((t) => sql`${t}::text, (select count(*) from ${sql.identifier(t)})`),
    sql`, `,
  );
  const result = await db.execute(sql`
    select json_build_object(
      'tableCounts', json_build_object(${counts}),
      'organizations', (select coalesce(json_agg(o order by o.id), '[]') from organizations o where o.id in (${ids})),
      'projects', (select coalesce(json_agg(p order by p.id), '[]') from projects p where p.org_id in (${ids})),
      'orgMemberships', (select coalesce(json_agg(json_build_object('orgId', m.org_id, 'userId', m.user_id, 'role', m.role) order by m.org_id, m.user_id), '[]')
                         from organization_memberships m where m.org_id in (${ids})),
      'projectMemberships', (select coalesce(json_agg(json_build_object('projectId', m.project_id, 'userId', m.user_id, 'role', m.role)
        order by m.project_id, m.user_id), '[]')
                             from project_memberships m where m.org_id in (${ids})),
      'invitations', (select coalesce(json_agg(i order by i.id), '[]') from invitations i where i.org_id in (${ids})),
      'grants', (select coalesce(json_agg(g order by g.invitation_id, g.project_id), '[]') from invitation_project_grants g where g.org_id in (${ids})),
      'outbox', (select coalesce(json_agg(json_build_object('id', o.id, 'to', o."to", 'kind', o.kind, 'status', o.status, 'invitationId', o.invitation_id)
        order by o.id), '[]')
                 from email_outbox o join invitations i on i.id = o.invitation_id where i.org_id in (${ids})),
      'activityCounts', (select json_object_agg(x.id, (select count(*) from activity a where a.org_id = x.id)) from unnest(array[${ids}]) as x(id)),
      'domains', (select coalesce(json_agg(d order by d.id), '[]') from org_domains d where d.org_id in (${ids})),
      'webhooks', (select coalesce(json_agg(h order by h.id), '[]') from webhook_endpoints h where h.org_id in (${ids}))
    ) as snapshot`);
  const row = (result as unknown as { rows: { snapshot: Snapshot | string }[] }).rows[0];
  if (!row) throw new Error("snapshot query returned nothing");
  return typeof row.snapshot === "string" ? (JSON.parse(row.snapshot) as Snapshot) : row.snapshot;
}

export function worldOrgIds(world: World): string[] {
  return [world.org.id, world.foreign.org.id];
}

/** Runs fn and asserts it changed none of the rows of the world. Returns what fn threw or returned. */
export async function expectNothingChanged<T>(db: Db, orgIds: readonly string[], fn: () => Promise<T>): Promise<T> {
  const before = await snapshot(db, orgIds);
  const result = await fn();
  expect(await snapshot(db, orgIds)).toEqual(before);
  return result;
}

// ── Outcomes ──

export type Outcome<T> = { ok: true; value: T } | { ok: false; error: unknown };

/** Runs a call and captures its result or its error, so tests can assert on either. */
export async function attempt<T>(fn: () => Promise<T>): Promise<Outcome<T>> {
  try {
    return { ok: true, value: await fn() };
  } catch (error) {
    return { ok: false, error };
  }
}

/** A short description of an error for assertion messages. */
export function describeError(error: unknown): string {
  if (error instanceof DomainError) return `DomainError ${error.code}: ${error.message}`;
  if (error instanceof Error) return `${error.name}: ${error.message.slice(0, 300)}`;
  return String(error);
}

/** Asserts the call is refused with exactly this DomainError code. */
export async function expectDomainError(promise: Promise<unknown>, code: DomainErrorCode): Promise<DomainError> {
  const outcome = await attempt(() => promise);
  if (outcome.ok)
    throw new Error(`expected DomainError ${code}, but the call succeeded with ${JSON.stringify(outcome.value)?.slice(0, 300)}`);
  if (!(outcome.error instanceof DomainError)) throw new Error(`expected DomainError ${code}, got ${describeError(outcome.error)}`);
  expect(outcome.error.code, outcome.error.message).toBe(code);
  return outcome.error;
}

// ── Reading rows back ──

export async function orgRoleOf(db: Db, orgId: string, userId: string): Promise<OrgRole | null> {
  const [row] = await db
    .select({ role: organizationMemberships.role })
    .from(organizationMemberships)
    .where(and(eq(organizationMemberships.orgId, orgId), eq(organizationMemberships.userId, userId)));
  return row?.role ?? null;
}

export async function projectRoleOf(db: Db, projectId: string, userId: string): Promise<ProjectRole | null> {
  const [row] = await db
    .select({ role: projectMemberships.role })
    .from(projectMemberships)
    .where(and(eq(projectMemberships.projectId, projectId), eq(projectMemberships.userId, userId)));
  return row?.role ?? null;
}

export async function adminCount(db: Db, projectId: string): Promise<number> {
  const [row] = await db
    .select({ n: count() })
    .from(projectMemberships)
    .where(and(eq(projectMemberships.projectId, projectId), eq(projectMemberships.role, "admin")));
  return row?.n ?? 0;
}

export async function invitationRow(db: Db, id: string) {
  const [row] = await db.select().from(invitations).where(eq(invitations.id, id));
  return row ?? null;
}

export async function outboxFor(db: Db, to: string) {
  return db.select().from(emailOutbox).where(eq(emailOutbox.to, to)).orderBy(asc(emailOutbox.createdAt), asc(emailOutbox.id));
}

export async function activityFor(db: Db, orgId: string, projectId?: string) {
  return db
    .select()
    .from(activity)
    .where(projectId ? and(eq(activity.orgId, orgId), eq(activity.projectId, projectId)) : eq(activity.orgId, orgId))
    .orderBy(desc(activity.createdAt), desc(activity.id));
}

/** The raw token from an outbox row's (sealed) invitation link (`.../invite/<token>`). */
export function tokenFromUrl(sealed: unknown, to: string): string {
  if (typeof sealed !== "string") throw new Error(`outbox payload has no url: ${String(sealed)}`);
  if (!sealed.startsWith("sealed:v1:")) throw new Error("the outbox holds an unsealed link");
  const url = openLink(sealed, sealContext("invitation", to));
  const match = /\/invite\/([^/?#]+)$/.exec(new URL(url).pathname);
  if (!match) throw new Error(`not an invitation link: ${url}`);
  return match[1]!;
}

/** The newest invitation email to an address, and the token in its link. */
export async function latestInvitationEmail(
  db: Db,
  to: string,
): Promise<{ token: string; invitationId: string | null; payload: Record<string, unknown> }> {
  const rows = await db
    .select()
    .from(emailOutbox)
    .where(and(eq(emailOutbox.to, to), eq(emailOutbox.kind, "invitation")))
    .orderBy(desc(emailOutbox.createdAt), desc(emailOutbox.id));
  // Several rows can share created_at (injected clock): the one with the newest expiresAt wins.
  const newest = [...rows].sort((a, b) => String(b.payload.expiresAt).localeCompare(String(a.payload.expiresAt)))[0];
  if (!newest) throw new Error(`no invitation email to ${to}`);
  return { token: tokenFromUrl(newest.payload.url, to), invitationId: newest.invitationId, payload: newest.payload };
}

/** Pending invitations of an organization for an address (normalized form). */
export async function pendingInvitationsFor(db: Db, orgId: string, email: string) {
  return db
    .select()
    .from(invitations)
    .where(and(eq(invitations.orgId, orgId), eq(invitations.email, email), eq(invitations.status, "pending")));
}

/** A credential's secret as it is shown once: `marker` then 32 random bytes (base64url), beginning with the `prefix` it is listed by. */
export function expectSecretShownOnce(secret: string, prefix: string, marker: string): void {
  expect(secret).toMatch(new RegExp(`^${marker}[A-Za-z0-9_-]{43}$`));
  expect(Buffer.from(secret.slice(marker.length), "base64url")).toHaveLength(32);
  expect(secret.startsWith(prefix)).toBe(true);
}

/**
 * Everything the project users page shows, read as the page reads it (`openProjectPage`), awaited
 * whole: the actor's access and every list from the same snapshot.
 */
export async function readProjectPage(
  db: Db,
  actor: Actor | null,
  input: { orgId: string; projectId: string; filters?: { collaborators?: ListFilter; invitations?: ListFilter } },
  options: VerbOptions & { afterAccess?: () => Promise<void> } = {},
) {
  const view = openProjectPage(db, actor, input, options);
  const overview = await view.overview;
  return { overview, ...(await view.lists) };
}
