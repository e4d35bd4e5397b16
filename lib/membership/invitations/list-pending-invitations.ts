import "server-only";
import { DELIVERY_LABELS, deliveryReason, deliveryStatus, type DeliveryStatus } from "./delivery-status";
import type { Db } from "@/db/client";
import { invitations, users } from "@/db/schema";
import { and, eq, like, sql, type SQL } from "drizzle-orm";
import { authorizeProject } from "../access";
import { isUuid } from "../access";
import { isPgTimestamp, keysetPage, type KeyPart, type ListKind, countUpTo, countUpToColumn, rowsToCount, totalOfPage } from "../keyset";
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
  deliveryLabel: string;
  /** Why the last attempt failed, in a few words people understand; the provider's own text is `lastError`. */
  deliveryReason: string | null;
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
  return readPendingInvitations(db, input, options);
}

/** The page of a project's pending invitations itself, for a caller that has already authorized "invitations.view". */
export async function readPendingInvitations(
  db: Db,
  input: { orgId: string; projectId: string; cursor?: string | null } & ListFilter,
  options: VerbOptions = {},
): Promise<Page<PendingInvitation>> {
  const grantHere = sql`(select g.role from invitation_project_grants g where g.invitation_id = ${invitations.id} and g.project_id = ${input.projectId})`;
  const role = projectRoleFilter(input.role);
  const scope = and(
    eq(invitations.orgId, input.orgId),
    sql`exists ${grantHere}`,
    role ? sql`${grantHere} = ${role}` : undefined,
    emailStartsWith(input.q),
  );
  return pendingPage(db, scope, sql<ProjectRole>`${grantHere}`, "invitations", input.cursor, options.now ?? new Date(), false);
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

export async function pendingPage(
  db: Db,
  scope: SQL | undefined,
  role: SQL<ProjectRole | OrgRole>,
  list: ListKind,
  cursor: unknown,
  now: Date,
  withGrants: boolean,
): Promise<Page<PendingInvitation>> {
  const where = and(scope, eq(invitations.status, "pending"));
  // Pending invitations count toward the seat limit, so there are rarely many; still capped. The
  // count travels with the rows: one statement.
  const matching = () => rowsToCount(db, invitations, where);
  const page = await keysetPage({
    list,
    cursor,
    size: PAGE_SIZE,
    direction: "desc",
    keys: INVITATION_KEY,
    fetch: (after, order, limit) =>
      db
        .select({
          id: invitations.id,
          email: invitations.email,
          role: role.mapWith(String),
          orgRole: invitations.orgRole,
          grantCount: sql<number>`(select count(*)::int from invitation_project_grants g where g.invitation_id = ${invitations.id})`,
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
        .from(invitations)
        .leftJoin(users, eq(users.id, invitations.invitedById))
        .leftJoin(
          sql`lateral (select o.status, o.attempts, o.last_error from email_outbox o where o.invitation_id = ${invitations.id} order by o.created_at desc limit 1) latest`,
          sql`true`,
        )
        .where(and(where, after))
        .orderBy(...order)
        .limit(limit),
    keyOf: (r) => [r.at, r.id],
  });
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
      deliveryLabel: DELIVERY_LABELS[delivery],
      deliveryReason: delivery === "sent" || delivery === "sending" ? null : deliveryReason(r.lastError),
      lastError: delivery === "sent" ? null : r.lastError,
    };
  });
  return { items, ...total, start: page.start, next: page.next, prev: page.prev, pageSize: PAGE_SIZE };
}
