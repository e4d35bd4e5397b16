import "server-only";
import { and, eq, inArray } from "drizzle-orm";
import type { Db } from "@/db/client";
import { organizationMemberships, projectMemberships, users } from "@/db/schema";
import { enqueueEmails, type OutboxMessage } from "@/lib/email/outbox";
import { authorizeProject, isUuid } from "../access";
import { recordActivity, type ActivityEntry } from "../activity/record-activity";
import { MAX_INVITE_ADDRESSES, parseEmailList } from "../email-list";
import { addedNoticeKey, emailLimitsFromEnv, reserveEmails, sortByVerdicts, usedKeys, type EmailLimits } from "../email-limits";
import { DomainError, notFound } from "../errors";
import { claimLate, createInvitations, keepWithinSeats, lockAddresses, pendingByAddress } from "./issue-invitations";
import { projectUrl } from "../links";
import { PROJECT_ROLES, roleLabel, type ProjectRole } from "../roles";
import { optimistically } from "../transaction";
import type { Actor, VerbOptions } from "../types";
import { visibleProjects } from "../projects/visible-projects";

export type InviteOutcome =
  | { email: string; outcome: "added" }
  | { email: string; outcome: "invited"; invitationId: string }
  | { email: string; outcome: "already_collaborator" }
  /**
   * `otherProject`: the pending invitation is for another project of the organization, named when
   * the inviter may see it, else null.
   */
  | { email: string; outcome: "already_invited"; otherProject?: string | null }
  | { email: string; outcome: "invalid"; reason: string }
  | { email: string; outcome: "limit_reached"; reason: string }
  /** Too many emails to this address, by this inviter or from this organization; nothing was done for it. */
  | { email: string; outcome: "rate_limited"; reason: string; retryAfterSeconds: number };

export interface InviteUsersInput {
  orgId: string;
  projectId: string;
  /** Raw entries as typed or pasted; each may hold several addresses. */
  emails: readonly string[];
  role: ProjectRole;
}

/**
 * Invites 1–50 addresses to a project with one role. Organization members are added at once
 * (with a notice email); everyone else gets an invitation into the organization that also
 * grants the project role. Each address gets its own outcome.
 */
export async function inviteUsers(
  db: Db,
  actor: Actor | null,
  input: InviteUsersInput,
  options: VerbOptions & { baseUrl?: string; limits?: EmailLimits; beforeClaims?: () => Promise<void> } = {},
): Promise<InviteOutcome[]> {
  const now = options.now ?? new Date();
  const limits = options.limits ?? emailLimitsFromEnv();
  if (!PROJECT_ROLES.includes(input.role)) {
    throw new DomainError("INVALID", "Choose Project Admin, Project Read-Write or Project Read-Only.", { role: ["Unknown role"] });
  }
  const entries = Array.isArray(input.emails) ? input.emails.filter((e): e is string => typeof e === "string") : [];
  const parsed = parseEmailList(entries);
  const total = parsed.valid.length + parsed.invalid.length;
  if (total === 0) throw new DomainError("INVALID", "Enter at least one email address.", { emails: ["Enter at least one email address"] });
  if (total > MAX_INVITE_ADDRESSES) {
    throw new DomainError("INVALID", `Invite at most ${MAX_INVITE_ADDRESSES} addresses at a time (you entered ${total}).`, {
      emails: [`At most ${MAX_INVITE_ADDRESSES} addresses`],
    });
  }
  const invalid: InviteOutcome[] = parsed.invalid.map((i) => ({ email: i.input, outcome: "invalid", reason: i.reason }));
  if (parsed.valid.length === 0) {
    // Still check access, so an outsider learns nothing from the shape of the answer.
    await authorizeProject(db, actor, input, "members.invite");
    return invalid;
  }
  // Checked before taking any lock, so outsiders cannot hold up an organization they cannot see.
  await authorizeProject(db, actor, input, "members.invite");
  if (!isUuid(input.orgId)) throw notFound();

  return optimistically(db, async (tx, claims) => {
    // No organization-wide lock: invites of other people, to this project or another, run side by
    // side. Lock order: the addresses, the project (only against deletion), the members added,
    // the seats, the limit counters.
    await lockAddresses(tx, input.orgId, parsed.valid);
    const access = await authorizeProject(tx, actor, input, "members.invite", { lock: "key share" });
    const inviter = actor!;

    const known = await tx
      .select({ userId: users.id, email: users.email, projectRole: projectMemberships.role })
      .from(users)
      .leftJoin(projectMemberships, and(eq(projectMemberships.userId, users.id), eq(projectMemberships.projectId, input.projectId)))
      .where(inArray(users.email, parsed.valid));
    // Members of the organization, kept members until this transaction ends (a removal waits), so
    // the project membership added below always has its organization membership.
    const memberIds = new Set(
      known.length === 0
        ? []
        : (
            await tx
              .select({ userId: organizationMemberships.userId })
              .from(organizationMemberships)
              .where(and(eq(organizationMemberships.orgId, input.orgId), inArray(organizationMemberships.userId, known.map((k) => k.userId))))
              .orderBy(organizationMemberships.userId)
              .for("key share")
          ).map((r) => r.userId),
    );
    const byEmail = new Map(known.map((k) => [k.email, { ...k, isMember: memberIds.has(k.userId) }]));

    // One pending invitation per organization and address: it may be for another project.
    const pendingByEmail = await pendingByAddress(tx, input.orgId, parsed.valid);
    // Name another project only to someone who may see it (owners, its collaborators), a key only
    // within its grant: the guard's rule, not the creator's memberships.
    const otherProjectIds = [...new Set([...pendingByEmail.values()].flatMap((p) => p.grants.map((g) => g.projectId)).filter((id) => id !== input.projectId))];
    const visibleOthers = new Set(otherProjectIds.length === 0 ? [] : (await visibleProjects(tx, inviter, input.orgId, otherProjectIds)).map((p) => p.id));

    const outcomes: InviteOutcome[] = [];
    const toAdd: { userId: string; email: string }[] = [];
    const toInvite: string[] = [];
    for (const email of parsed.valid) {
      const user = byEmail.get(email);
      if (user?.projectRole && user.isMember) outcomes.push({ email, outcome: "already_collaborator" });
      else if (user?.isMember) toAdd.push({ userId: user.userId, email });
      else if (pendingByEmail.has(email)) {
        const grants = pendingByEmail.get(email)!.grants;
        if (grants.some((g) => g.projectId === input.projectId)) outcomes.push({ email, outcome: "already_invited" });
        else outcomes.push({ email, outcome: "already_invited", otherProject: grants.find((g) => visibleOthers.has(g.projectId))?.projectName ?? null });
      }
      else toInvite.push(email);
    }

    // Seats and the organization's email counter are claimed last (just before commit), or, when
    // that finds a limit passed, here, and held to commit (see `optimistically`).
    outcomes.push(...(await keepWithinSeats(tx, access.org, toInvite, claims)));

    const emails: OutboxMessage[] = [];
    const log: ActivityEntry[] = [];
    const common = {
      inviterName: inviter.name || inviter.email,
      inviterEmail: inviter.email,
      organizationName: access.org.name,
      projectName: access.project.name,
      roleLabel: roleLabel(input.role),
    };

    // Flood limits for the whole batch at once: a limited address gets its own outcome and nothing
    // is done for it; the rest of the batch goes on. One "added" notice per person and project in
    // a window: an add → remove → add loop tells them once (the add itself still happens, uncounted).
    const noticeKey = new Map(toAdd.map((a) => [a.email, addedNoticeKey(input.projectId, a.email)]));
    const notified = await usedKeys(tx, [...noticeKey.values()], limits.windowMs, now);
    const verdicts = await reserveEmails(
      tx,
      [
        ...toAdd.filter((a) => !notified.has(noticeKey.get(a.email)!)).map((a) => ({ to: a.email, extraKeys: [{ key: noticeKey.get(a.email)!, limit: 1, reason: "Already notified" }] })),
        ...toInvite.map((to) => ({ to })),
      ],
      { inviterId: inviter.id, orgId: input.orgId },
      limits,
      now,
      { organization: claims === "early" },
    );
    const adds = sortByVerdicts(verdicts, toAdd, (a) => a.email);
    const invites = sortByVerdicts(verdicts, toInvite, (email) => email);
    outcomes.push(...adds.refused, ...invites.refused);
    const allowedAdds = adds.allowed;
    // Those counted are told; those already told this window were added without counting.
    const toNotify = new Set(allowedAdds.filter((a) => verdicts.get(a.email)?.ok).map((a) => a.email));
    toInvite.splice(0, toInvite.length, ...invites.allowed);

    if (allowedAdds.length > 0) {
      const added = await tx
        .insert(projectMemberships)
        .values(allowedAdds.map((a) => ({ orgId: input.orgId, projectId: input.projectId, userId: a.userId, role: input.role, createdAt: now })))
        .onConflictDoNothing()
        .returning({ userId: projectMemberships.userId });
      const addedIds = new Set(added.map((a) => a.userId));
      for (const a of allowedAdds) {
        if (!addedIds.has(a.userId)) {
          outcomes.push({ email: a.email, outcome: "already_collaborator" });
          continue;
        }
        outcomes.push({ email: a.email, outcome: "added" });
        if (toNotify.has(a.email)) {
          emails.push({ to: a.email, kind: "added_to_project", payload: { ...common, url: projectUrl(input.orgId, input.projectId, options.baseUrl) } });
        }
        log.push({ orgId: input.orgId, projectId: input.projectId, action: "member.added", targetEmail: a.email, targetUserId: a.userId, newRole: input.role });
      }
    }

    // A project invitation is an organization invitation (role member) with this one grant.
    const invited = await createInvitations(tx, {
      org: access.org,
      inviter,
      emails: toInvite,
      orgRole: "member",
      grants: [{ projectId: input.projectId, projectName: access.project.name, role: input.role }],
      now,
      baseUrl: options.baseUrl,
    });
    for (const c of invited.created) outcomes.push({ email: c.email, outcome: "invited", invitationId: c.invitationId });
    emails.push(...invited.emails);
    log.push(...invited.log);

    await enqueueEmails(tx, emails, now);
    await recordActivity(tx, inviter, log, now);
    const counted = [...verdicts.values()].filter((v) => v.ok).length;
    await claimLate(tx, claims, { orgId: input.orgId, seats: invited.created.length, emails: counted }, limits, now, options.beforeClaims);
    const order = new Map(parsed.valid.map((e, i) => [e, i]));
    outcomes.sort((a, b) => (order.get(a.email) ?? 0) - (order.get(b.email) ?? 0));
    return [...outcomes, ...invalid];
  });
}

