import "server-only";
import type { Db } from "@/db/client";
import { projectMemberships } from "@/db/schema";
import { enqueueEmails, type OutboxMessage } from "@/lib/email/outbox";
import { recordActivity, type ActivityEntry } from "../activity/record-activity";
import { MAX_INVITE_ADDRESSES, parseEmailList } from "../email-list";
import {
  addedNoticeKey,
  emailLimitsFromEnv,
  reserveEmails,
  sortByVerdicts,
  usedKeys,
  type EmailLimits,
  type EmailRequest,
} from "../email-limits";
import { DomainError } from "../errors";
import type { InvitationGrant } from "./invitation-grants";
import { claimLate, createInvitations, keepWithinSeats, lockAddresses } from "./issue-invitations";
import { projectUrl } from "../links";
import { roleLabel, type OrgRole } from "../roles";
import { optimistically } from "../transaction";
import type { Actor, VerbOptions } from "../types";

export type InviteOptions = VerbOptions & { baseUrl?: string; limits?: EmailLimits; beforeClaims?: () => Promise<void> };

/** The outcomes every invite gives the same way, whatever it invites to. */
export type BatchOutcome =
  | { email: string; outcome: "invited"; invitationId: string }
  | { email: string; outcome: "invalid"; reason: string }
  | { email: string; outcome: "limit_reached"; reason: string }
  /** Too many emails to this address, by this inviter or from this organization; nothing was done for it. */
  | { email: string; outcome: "rate_limited"; reason: string; retryAfterSeconds: number };

/** An organization member of the batch, to be given the invitation's project grants at once. */
export interface BatchMember {
  userId: string;
  email: string;
}

/** What an invite grants: an invitation with this organization role and these project grants, or those grants at once to a member. */
export interface BatchOffer {
  org: { id: string; name: string };
  orgRole: OrgRole;
  grants: InvitationGrant[];
}

/** What differs between a project invite and an organization invite; the pipeline is the rest. */
export interface InviteKind<O extends { email: string }> {
  orgId: string;
  /** The guard before any lock, so outsiders cannot hold up an organization they cannot see. */
  authorize(db: Db): Promise<unknown>;
  /** Under the address locks: the guard again, keeping the granted projects from being deleted. */
  offer(tx: Db): Promise<BatchOffer>;
  /** Sorts the addresses into members to give the grants to, addresses to invite, and settled outcomes. */
  classify(tx: Db, emails: string[], inviter: Actor): Promise<{ outcomes: O[]; members: BatchMember[]; toInvite: string[] }>;
  /** The outcome of a member given some projects, and of one given none (they had them all, or none was offered). */
  added(email: string, projectNames: string[]): O;
  unchanged(email: string): O;
}

/**
 * The one invite pipeline (a project invite and an organization invite are kinds of it): 1–50
 * addresses, each with its own outcome; members get the grants at once (with a notice email),
 * everyone else one invitation carrying the organization role and every grant.
 */
export async function inviteBatch<O extends { email: string }>(
  db: Db,
  actor: Actor | null,
  rawEmails: readonly string[],
  kind: InviteKind<O>,
  options: InviteOptions,
): Promise<(O | BatchOutcome)[]> {
  const now = options.now ?? new Date();
  const limits = options.limits ?? emailLimitsFromEnv();
  const entries = Array.isArray(rawEmails) ? rawEmails.filter((e): e is string => typeof e === "string") : [];
  const parsed = parseEmailList(entries);
  const total = parsed.valid.length + parsed.invalid.length;
  if (total === 0) throw new DomainError("INVALID", "Enter at least one email address.", { emails: ["Enter at least one email address"] });
  if (total > MAX_INVITE_ADDRESSES) {
    throw new DomainError("INVALID", `Invite at most ${MAX_INVITE_ADDRESSES} addresses at a time (you entered ${total}).`, {
      emails: [`At most ${MAX_INVITE_ADDRESSES} addresses`],
    });
  }
  const invalid: BatchOutcome[] = parsed.invalid.map((i) => ({ email: i.input, outcome: "invalid", reason: i.reason }));
  // Checked before taking any lock, so outsiders cannot hold up an organization they cannot see;
  // and even when no address is valid, so an outsider learns nothing from the shape of the answer.
  await kind.authorize(db);
  if (parsed.valid.length === 0) return invalid;
  const orgId = kind.orgId;

  return optimistically(db, async (tx, claims) => {
    // No organization-wide lock: invites of other people, to this organization or project or
    // another, run side by side. Lock order: the addresses, the projects (only against deletion),
    // the members added (in `classify`), the seats, the limit counters.
    await lockAddresses(tx, orgId, parsed.valid);
    const offer = await kind.offer(tx);
    const { org, grants } = offer;
    const inviter = actor!;
    const { outcomes, members, toInvite } = await kind.classify(tx, parsed.valid, inviter);
    const results: (O | BatchOutcome)[] = [...outcomes];

    // Seats and the organization's email counter are claimed last (just before commit), or, when
    // that finds a limit passed, here, and held to commit (see `optimistically`).
    results.push(...(await keepWithinSeats(tx, org, toInvite, claims)));

    // Flood limits for the whole batch at once: a limited address gets its own outcome and nothing
    // is done for it; the rest of the batch goes on. A member counts one email per project they
    // are still to be told about (one "added" notice per person and project in a window: an
    // add → remove → add loop tells them once); one told about every project already is added
    // without counting.
    const noticeKeys = new Map(
      members.map((m) => [m.email, grants.map((g) => ({ projectId: g.projectId, key: addedNoticeKey(g.projectId, m.email) }))]),
    );
    const told = await usedKeys(
      tx,
      [...noticeKeys.values()].flat().map((k) => k.key),
      limits.windowMs,
      now,
    );
    const noticesFor = new Map<string, Set<string>>();
    const requests: EmailRequest[] = toInvite.map((to) => ({ to }));
    for (const m of members) {
      const fresh = noticeKeys.get(m.email)!.filter((k) => !told.has(k.key));
      noticesFor.set(m.email, new Set(fresh.map((k) => k.projectId)));
      if (fresh.length > 0)
        requests.push({ to: m.email, extraKeys: fresh.map((k) => ({ key: k.key, limit: 1, reason: "Already notified" })) });
    }
    const verdicts = await reserveEmails(tx, requests, { inviterId: inviter.id, orgId }, limits, now, { organization: claims === "early" });
    const keptMembers = sortByVerdicts(verdicts, members, (m) => m.email);
    const keptInvites = sortByVerdicts(verdicts, toInvite, (email) => email);
    results.push(...keptMembers.refused, ...keptInvites.refused);

    const emails: OutboxMessage[] = [];
    const log: ActivityEntry[] = [];
    // Members: the project grants at once; their organization role is left as it is.
    if (keptMembers.allowed.length > 0 && grants.length > 0) {
      const added = await tx
        .insert(projectMemberships)
        .values(
          keptMembers.allowed.flatMap((m) =>
            grants.map((g) => ({ orgId, projectId: g.projectId, userId: m.userId, role: g.role, createdAt: now })),
          ),
        )
        .onConflictDoNothing()
        .returning({ userId: projectMemberships.userId, projectId: projectMemberships.projectId });
      for (const m of keptMembers.allowed) {
        const mine = grants.filter((g) => added.some((a) => a.userId === m.userId && a.projectId === g.projectId));
        if (mine.length === 0) {
          results.push(kind.unchanged(m.email));
          continue;
        }
        results.push(
          kind.added(
            m.email,
            mine.map((g) => g.projectName),
          ),
        );
        for (const g of mine) {
          if (noticesFor.get(m.email)?.has(g.projectId))
            emails.push({
              to: m.email,
              kind: "added_to_project",
              payload: {
                url: projectUrl(orgId, g.projectId, options.baseUrl),
                inviterName: inviter.name || inviter.email,
                inviterEmail: inviter.email,
                organizationName: org.name,
                projectName: g.projectName,
                roleLabel: roleLabel(g.role),
              },
            });
          log.push({
            orgId,
            projectId: g.projectId,
            action: "member.added",
            targetEmail: m.email,
            targetUserId: m.userId,
            newRole: g.role,
          });
        }
      }
    } else {
      for (const m of keptMembers.allowed) results.push(kind.unchanged(m.email));
    }

    const invited = await createInvitations(tx, {
      org,
      inviter,
      emails: keptInvites.allowed,
      orgRole: offer.orgRole,
      grants,
      now,
      baseUrl: options.baseUrl,
    });
    for (const c of invited.created) results.push({ email: c.email, outcome: "invited", invitationId: c.invitationId });
    emails.push(...invited.emails);
    log.push(...invited.log);

    await enqueueEmails(tx, emails, now);
    await recordActivity(tx, inviter, log, now);
    const counted = [...verdicts.values()].filter((v) => v.ok).length;
    await claimLate(tx, claims, { orgId, seats: invited.created.length, emails: counted }, limits, now, options.beforeClaims);
    const order = new Map(parsed.valid.map((e, i) => [e, i]));
    results.sort((a, b) => (order.get(a.email) ?? 0) - (order.get(b.email) ?? 0));
    return [...results, ...invalid];
  });
}
