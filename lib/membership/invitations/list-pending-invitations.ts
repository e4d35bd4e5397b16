import "server-only";
import { deliveryStatus, type DeliveryStatus } from "./delivery-status";
import type { Db } from "@/db/client";
import { invitationProjectGrants, invitations, users } from "@/db/schema";
import { and, eq, like, sql, type SQL } from "drizzle-orm";
import { alias, type PgTable } from "drizzle-orm/pg-core";
import { authorizeProject } from "../access";
import { isUuid } from "../access";
import {
  isPgTimestamp,
  keysetList,
  type KeyPart,
  type KeysetList,
  type ListKind,
  countUpTo,
  countUpToColumn,
  rowsToCount,
  totalOfPage,
} from "../keyset";
import { prefixPattern, projectRoleFilter, searchText, type ListFilter } from "../list-filter";
import type { OrgRole, ProjectRole } from "../roles";
import { LIST_COUNT_CAP, PAGE_SIZE, type Actor, type Page, type VerbOptions } from "../types";
import { loadGrants, type InvitationGrant } from "./invitation-grants";
import { expiryLabel, isExpired, resendWaitSeconds } from "./invitation-rules";

export interface PendingInvitation {
  id: string;
  email: string;
  /** On a project page: the project role it grants there; on the organization page: the organization role. */
  role: ProjectRole | OrgRole;
  orgRole: OrgRole;
  /** The projects it grants, with their roles (organization page only; empty on a project page). */
  grants: InvitationGrant[];
  /** Whether it is a plain project invitation (Organization Member, one project). */
  isProjectInvitation: boolean;
  invitedBy: string | null;
  createdAt: Date;
  lastSentAt: Date;
  expiresAt: Date;
  isExpired: boolean;
  expiryLabel: string;
  resendInSeconds: number;
  delivery: DeliveryStatus;
  /** The provider's or the sender's text of the last failed attempt; null once sent. */
  lastError: string | null;
}

/**
 * Pending (and expired, not yet revoked) invitations of a project, newest first; managers only.
 * `q` keeps addresses starting with it (case-insensitive), `role` the project role granted here.
 */
export async function listPendingInvitations(
  db: Db,
  actor: Actor | null,
  input: { orgId: string; projectId: string; cursor?: string | null } & ListFilter,
  options: VerbOptions = {},
): Promise<Page<PendingInvitation>> {
  await authorizeProject(db, actor, input, "invitations.view");
  return pendingInvitationList(db, input, options).read();
}

/** A project's pending invitations as a keyset list (its pages read alone, or its first page with others: `readFirstPages`). */
export function pendingInvitationList(
  db: Db,
  input: { orgId: string; projectId: string; cursor?: string | null } & ListFilter,
  options: VerbOptions = {},
): KeysetList<PendingInvitation> {
  // The grant to this project, joined: the role it gives here, and only invitations that have one.
  const here = alias(invitationProjectGrants, "here");
  const role = projectRoleFilter(input.role);
  const scope = and(eq(invitations.orgId, input.orgId), role ? eq(here.role, role) : undefined, emailStartsWith(input.q));
  return pendingList(
    db,
    {
      where: scope,
      role: sql<ProjectRole>`${here.role}`,
      join: { table: here, on: and(eq(here.invitationId, invitations.id), eq(here.projectId, input.projectId)) },
    },
    "invitations",
    input.cursor,
    options.now ?? new Date(),
    false,
  );
}

/** Invitation addresses are stored lower-cased, so a cleaned search compares directly. */
export function emailStartsWith(raw: unknown): SQL | undefined {
  const q = searchText(raw);
  return q ? like(invitations.email, prefixPattern(q)) : undefined;
}

// Newest first, the id breaking ties; served by invitations_org_status_idx (org_id, status,
// created_at, id). The timestamp travels as Postgres's text (microseconds), never a JS Date.
export const INVITATION_KEY: KeyPart[] = [
  { expr: sql`${invitations.createdAt}`, type: "timestamptz", valid: isPgTimestamp },
  { expr: sql`${invitations.id}`, type: "uuid", valid: isUuid },
];

/**
 * Which pending invitations a list shows: those `where` keeps (of `invitations`, and of the table
 * `join` adds, inner-joined), and the role a row shows.
 */
export interface PendingScope {
  where: SQL | undefined;
  role: SQL<ProjectRole | OrgRole>;
  join?: { table: PgTable; on: SQL | undefined };
}

export function pendingList(
  db: Db,
  scope: PendingScope,
  list: ListKind,
  cursor: unknown,
  now: Date,
  withGrants: boolean,
): KeysetList<PendingInvitation> {
  const where = and(scope.where, eq(invitations.status, "pending"));
  // Pending invitations count toward the seat limit, so there are rarely many; still capped. The
  // count travels with the rows: one statement.
  const matching = () => rowsToCount(db, invitations, where, scope.join);
  return keysetList({
    list,
    cursor,
    size: PAGE_SIZE,
    direction: "desc",
    keys: INVITATION_KEY,
    // The page's rows are chosen first (by the list's index, the join and the filters), and only
    // those are read whole: their inviter, their number of grants and their latest email.
    fetch: (after, order, limit) => {
      const chosen = db
        .select({ id: invitations.id, role: sql<string>`${scope.role}`.as("shown_role") })
        .from(invitations)
        .$dynamic();
      const page = db.$with("page").as(
        (scope.join ? chosen.innerJoin(scope.join.table, scope.join.on) : chosen)
          .where(and(where, after))
          .orderBy(...order)
          .limit(limit),
      );
      const grants = db
        .select({ invitationId: invitationProjectGrants.invitationId, n: sql<number>`count(*)::int`.as("grant_count") })
        .from(invitationProjectGrants)
        .innerJoin(page, eq(page.id, invitationProjectGrants.invitationId))
        .groupBy(invitationProjectGrants.invitationId)
        .as("grants");
      return db
        .with(page)
        .select({
          id: invitations.id,
          email: invitations.email,
          role: page.role,
          orgRole: invitations.orgRole,
          grantCount: sql<number>`coalesce(${grants.n}, 0)`,
          invitedBy: sql<string | null>`coalesce(${users.name}, ${users.email})`,
          createdAt: invitations.createdAt,
          at: sql<string>`${invitations.createdAt}::text`,
          lastSentAt: invitations.lastSentAt,
          expiresAt: invitations.expiresAt,
          outboxStatus: sql<string | null>`latest.status`,
          outboxAttempts: sql<number>`coalesce(latest.attempts, 0)`,
          lastError: sql<string | null>`latest.last_error`,
          total: countUpToColumn(matching(), LIST_COUNT_CAP),
        })
        .from(page)
        .innerJoin(invitations, eq(invitations.id, page.id))
        .leftJoin(grants, eq(grants.invitationId, invitations.id))
        .leftJoin(users, eq(users.id, invitations.invitedById))
        .leftJoin(
          sql`lateral (select o.status, o.attempts, o.last_error from email_outbox o
            where o.invitation_id = ${invitations.id} order by o.created_at desc limit 1) latest`,
          sql`true`,
        )
        .orderBy(...order);
    },
    keyOf: (r) => [r.at, r.id],
    finish: async (page) => {
      const total = await totalOfPage(page.rows, cursor, LIST_COUNT_CAP, () => countUpTo(db, matching(), LIST_COUNT_CAP));
      const rows = page.rows;
      const grants = withGrants
        ? await loadGrants(
            db,
            rows.map((r) => r.id),
          )
        : new Map<string, InvitationGrant[]>();
      const items = rows.map((r) => {
        const delivery = deliveryStatus(r.outboxStatus, Number(r.outboxAttempts));
        return {
          id: r.id,
          email: r.email,
          role: r.role as ProjectRole | OrgRole,
          orgRole: r.orgRole,
          grants: grants.get(r.id) ?? [],
          isProjectInvitation: r.orgRole === "member" && Number(r.grantCount) === 1,
          invitedBy: r.invitedBy,
          createdAt: r.createdAt,
          lastSentAt: r.lastSentAt,
          expiresAt: r.expiresAt,
          isExpired: isExpired(r.expiresAt, now),
          expiryLabel: expiryLabel(r.expiresAt, now),
          resendInSeconds: resendWaitSeconds(r.lastSentAt, now),
          delivery,
          lastError: delivery === "sent" ? null : r.lastError,
        };
      });
      return { items, ...total, start: page.start, next: page.next, prev: page.prev, pageSize: PAGE_SIZE };
    },
  });
}
