import "server-only";
import { and, eq, inArray } from "drizzle-orm";
import type { Db } from "@/db/client";
import { organizationMemberships, projectMemberships, projects, users } from "@/db/schema";
import { enqueueEmails, type OutboxMessage } from "@/lib/email/outbox";
import { authorizeOrg, isUuid } from "../access";
import { recordActivity, type ActivityEntry } from "../activity/record-activity";
import { MAX_INVITE_ADDRESSES, parseEmailList } from "../email-list";
import { addedNoticeKey, emailLimitsFromEnv, reserveEmails, sortByVerdicts, usedKeys, type EmailLimits, type EmailRequest } from "../email-limits";
import { DomainError } from "../errors";
import type { InvitationGrant } from "./invitation-grants";
import { claimLate, createInvitations, keepWithinSeats, lockAddresses, pendingByAddress } from "./issue-invitations";
import { projectUrl } from "../links";
import { ORG_ROLES, PROJECT_ROLES, roleLabel, type OrgRole, type ProjectRole } from "../roles";
import { optimistically } from "../transaction";
import type { Actor, VerbOptions } from "../types";

export type OrgInviteOutcome =
  | { email: string; outcome: "invited"; invitationId: string }
  /** An organization member already: given the project access at once (the projects newly added). */
  | { email: string; outcome: "added"; projects: string[] }
  | { email: string; outcome: "already_member" }
  | { email: string; outcome: "already_invited" }
  | { email: string; outcome: "invalid"; reason: string }
  | { email: string; outcome: "limit_reached"; reason: string }
  /** Too many emails to this address, by this inviter or from this organization; nothing was done for it. */
  | { email: string; outcome: "rate_limited"; reason: string; retryAfterSeconds: number };

export interface InviteToOrganizationInput {
  orgId: string;
  /** Raw entries as typed or pasted; each may hold several addresses. */
  emails: readonly string[];
  orgRole: OrgRole;
  /** Optional project access: some projects of the organization, a project role for each. */
  projects?: readonly { projectId: string; role: ProjectRole }[];
}

/** A project that is not this organization's is "not found", like any id one may not see. */
const unknownProject = () => new DomainError("NOT_FOUND", "One of the chosen projects was not found in this organization.", { projects: ["Unknown project"] });

function invalid(message: string, field: string, detail: string): DomainError {
  return new DomainError("INVALID", message, { [field]: [detail] });
}

/**
 * Invites 1–50 addresses to an organization (Organization Owners only) with one organization
 * role and optional project access. One invitation per address carries all of it. Existing
 * members get the project access at once (with a notice email); each address gets its outcome.
 */
export async function inviteToOrganization(
  db: Db,
  actor: Actor | null,
  input: InviteToOrganizationInput,
  options: VerbOptions & { baseUrl?: string; limits?: EmailLimits; beforeClaims?: () => Promise<void> } = {},
): Promise<OrgInviteOutcome[]> {
  const now = options.now ?? new Date();
  const limits = options.limits ?? emailLimitsFromEnv();
  if (!ORG_ROLES.includes(input.orgRole)) throw invalid("Choose Organization Owner or Organization Member.", "orgRole", "Unknown role");
  const wanted = input.projects === undefined ? [] : input.projects;
  if (!Array.isArray(wanted)) throw invalid("Project access is a list of projects with a role each.", "projects", "Not a list");
  if (wanted.length > 100) throw invalid("Choose at most 100 projects.", "projects", "At most 100 projects");
  for (const p of wanted as unknown[]) {
    const g = p as { projectId?: unknown; role?: unknown } | null;
    if (!g || typeof g !== "object" || !PROJECT_ROLES.includes(g.role as ProjectRole)) {
      throw invalid("Choose Project Admin, Project Read-Write or Project Read-Only for each project.", "projects", "Unknown project role");
    }
    if (!isUuid(g.projectId)) throw unknownProject();
  }
  const projectIds = wanted.map((g) => g.projectId.toLowerCase());
  if (new Set(projectIds).size !== projectIds.length) throw invalid("Each project can be chosen once.", "projects", "A project is chosen twice");

  const entries = Array.isArray(input.emails) ? input.emails.filter((e): e is string => typeof e === "string") : [];
  const parsed = parseEmailList(entries);
  const total = parsed.valid.length + parsed.invalid.length;
  if (total === 0) throw invalid("Enter at least one email address.", "emails", "Enter at least one email address");
  if (total > MAX_INVITE_ADDRESSES) {
    throw invalid(`Invite at most ${MAX_INVITE_ADDRESSES} addresses at a time (you entered ${total}).`, "emails", `At most ${MAX_INVITE_ADDRESSES} addresses`);
  }
  const refused: OrgInviteOutcome[] = parsed.invalid.map((i) => ({ email: i.input, outcome: "invalid", reason: i.reason }));
  // Checked before taking any lock, so outsiders cannot hold up an organization they cannot see.
  await authorizeOrg(db, actor, input.orgId, "org.invite");
  if (parsed.valid.length === 0) return refused;

  return optimistically(db, async (tx, claims) => {
    // No organization-wide lock, as for project invites (see inviteUsers): the addresses, the
    // projects (only against deletion), the members, the seats, the limit counters.
    await lockAddresses(tx, input.orgId, parsed.valid);
    const access = await authorizeOrg(tx, actor, input.orgId, "org.invite");
    const inviter = actor!;
    // The projects must be this organization's, and stay until this transaction ends.
    const found =
      projectIds.length === 0
        ? []
        : await tx
            .select({ id: projects.id, name: projects.name })
            .from(projects)
            .where(and(eq(projects.orgId, input.orgId), inArray(projects.id, projectIds)))
            .orderBy(projects.id)
            .for("key share");
    if (found.length !== projectIds.length) throw unknownProject();
    const nameOf = new Map(found.map((p) => [p.id, p.name]));
    const grants: InvitationGrant[] = wanted.map((g) => ({ projectId: g.projectId.toLowerCase(), projectName: nameOf.get(g.projectId.toLowerCase())!, role: g.role }));

    // Members stay members until this transaction ends (a removal waits), so the project access
    // given below always has its organization membership.
    const known = await tx
      .select({ userId: users.id, email: users.email, orgRole: organizationMemberships.role })
      .from(users)
      .innerJoin(organizationMemberships, and(eq(organizationMemberships.userId, users.id), eq(organizationMemberships.orgId, input.orgId)))
      .where(inArray(users.email, parsed.valid))
      .orderBy(organizationMemberships.userId)
      .for("key share", { of: organizationMemberships });
    const memberByEmail = new Map(known.map((k) => [k.email, k]));
    const pending = await pendingByAddress(tx, input.orgId, parsed.valid);

    const outcomes: OrgInviteOutcome[] = [];
    const members: { userId: string; email: string }[] = [];
    const toInvite: string[] = [];
    for (const email of parsed.valid) {
      const member = memberByEmail.get(email);
      if (member) members.push({ userId: member.userId, email });
      else if (pending.has(email)) outcomes.push({ email, outcome: "already_invited" });
      else toInvite.push(email);
    }

    // Seats and the organization's email counter are claimed last (just before commit), or, when
    // that finds a limit passed, here, and held to commit (see `optimistically`).
    outcomes.push(...(await keepWithinSeats(tx, access.org, toInvite, claims)));

    const emails: OutboxMessage[] = [];
    const log: ActivityEntry[] = [];
    // Flood limits for the whole batch at once, as for project invites. An existing member counts
    // one email per project they are still to be told about (one notice per person and project
    // per window); one told about every project already is added without counting.
    const noticeKeys = new Map(members.map((m) => [m.email, grants.map((g) => ({ projectId: g.projectId, key: addedNoticeKey(g.projectId, m.email) }))]));
    const told = await usedKeys(tx, [...noticeKeys.values()].flat().map((k) => k.key), limits.windowMs, now);
    const noticesFor = new Map<string, Set<string>>();
    const requests: EmailRequest[] = toInvite.map((to) => ({ to }));
    for (const m of members) {
      const fresh = noticeKeys.get(m.email)!.filter((k) => !told.has(k.key));
      noticesFor.set(m.email, new Set(fresh.map((k) => k.projectId)));
      if (fresh.length > 0) requests.push({ to: m.email, extraKeys: fresh.map((k) => ({ key: k.key, limit: 1, reason: "Already notified" })) });
    }
    const verdicts = await reserveEmails(tx, requests, { inviterId: inviter.id, orgId: input.orgId }, limits, now, { organization: claims === "early" });
    const keptMembers = sortByVerdicts(verdicts, members, (m) => m.email);
    const keptInvites = sortByVerdicts(verdicts, toInvite, (email) => email);
    outcomes.push(...keptMembers.refused, ...keptInvites.refused);
    members.splice(0, members.length, ...keptMembers.allowed);
    toInvite.splice(0, toInvite.length, ...keptInvites.allowed);

    // Existing members: the project access at once; their organization role is left as it is.
    if (members.length > 0 && grants.length > 0) {
      const added = await tx
        .insert(projectMemberships)
        .values(members.flatMap((m) => grants.map((g) => ({ orgId: input.orgId, projectId: g.projectId, userId: m.userId, role: g.role, createdAt: now }))))
        .onConflictDoNothing()
        .returning({ userId: projectMemberships.userId, projectId: projectMemberships.projectId });
      for (const m of members) {
        const mine = grants.filter((g) => added.some((a) => a.userId === m.userId && a.projectId === g.projectId));
        if (mine.length === 0) {
          outcomes.push({ email: m.email, outcome: "already_member" });
          continue;
        }
        outcomes.push({ email: m.email, outcome: "added", projects: mine.map((g) => g.projectName) });
        for (const g of mine) {
          if (noticesFor.get(m.email)?.has(g.projectId)) emails.push({
            to: m.email,
            kind: "added_to_project",
            payload: {
              url: projectUrl(input.orgId, g.projectId, options.baseUrl),
              inviterName: inviter.name || inviter.email,
              inviterEmail: inviter.email,
              organizationName: access.org.name,
              projectName: g.projectName,
              roleLabel: roleLabel(g.role),
            },
          });
          log.push({ orgId: input.orgId, projectId: g.projectId, action: "member.added", targetEmail: m.email, targetUserId: m.userId, newRole: g.role });
        }
      }
    } else {
      for (const m of members) outcomes.push({ email: m.email, outcome: "already_member" });
    }

    const invited = await createInvitations(tx, { org: access.org, inviter, emails: toInvite, orgRole: input.orgRole, grants, now, baseUrl: options.baseUrl });
    for (const c of invited.created) outcomes.push({ email: c.email, outcome: "invited", invitationId: c.invitationId });
    emails.push(...invited.emails);
    log.push(...invited.log);

    await enqueueEmails(tx, emails, now);
    await recordActivity(tx, inviter, log, now);
    const counted = [...verdicts.values()].filter((v) => v.ok).length;
    await claimLate(tx, claims, { orgId: input.orgId, seats: invited.created.length, emails: counted }, limits, now, options.beforeClaims);
    const order = new Map(parsed.valid.map((e, i) => [e, i]));
    outcomes.sort((a, b) => (order.get(a.email) ?? 0) - (order.get(b.email) ?? 0));
    return [...outcomes, ...refused];
  });
}
