import { and, count, desc, eq, sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { invitations, users } from "@/db/schema";
import { authorizeProject } from "./access";
import { expiryLabel, isExpired, resendWaitSeconds } from "./invitation-rules";
import { pageNumber } from "./list-collaborators";
import type { ProjectRole } from "./roles";
import { PAGE_SIZE, type Actor, type Page, type VerbOptions } from "./types";

export type DeliveryStatus = "sent" | "sending" | "retrying" | "failed";

export const DELIVERY_LABELS: Record<DeliveryStatus, string> = {
  sent: "Sent",
  sending: "Sending…",
  retrying: "Delivery failed — retrying",
  failed: "Could not be delivered",
};

export interface PendingInvitation {
  id: string;
  email: string;
  role: ProjectRole;
  invitedBy: string | null;
  createdAt: Date;
  lastSentAt: Date;
  expiresAt: Date;
  isExpired: boolean;
  expiryLabel: string;
  resendInSeconds: number;
  delivery: DeliveryStatus;
  deliveryLabel: string;
  lastError: string | null;
}

/** Delivery state of the newest email of an invitation, in words people read. */
export function deliveryStatus(status: string | null, attempts: number): DeliveryStatus {
  if (status === "sent") return "sent";
  if (status === "failed") return "failed";
  if (status === "pending" && attempts > 0) return "retrying";
  return "sending";
}

/** Pending (and expired, not yet revoked) invitations of a project, newest first; managers only. */
export async function listPendingInvitations(
  db: Db,
  actor: Actor | null,
  input: { orgId: string; projectId: string; page?: number },
  options: VerbOptions = {},
): Promise<Page<PendingInvitation>> {
  const now = options.now ?? new Date();
  await authorizeProject(db, actor, input, "invitations.view");
  const page = pageNumber(input.page);
  const where = and(eq(invitations.projectId, input.projectId), eq(invitations.orgId, input.orgId), eq(invitations.status, "pending"));
  const [rows, [total]] = await Promise.all([
    db
      .select({
        id: invitations.id,
        email: invitations.email,
        role: invitations.role,
        invitedBy: sql<string | null>`coalesce(${users.name}, ${users.email})`,
        createdAt: invitations.createdAt,
        lastSentAt: invitations.lastSentAt,
        expiresAt: invitations.expiresAt,
        outboxStatus: sql<string | null>`latest.status`,
        outboxAttempts: sql<number>`coalesce(latest.attempts, 0)`,
        lastError: sql<string | null>`latest.last_error`,
      })
      .from(invitations)
      .leftJoin(users, eq(users.id, invitations.invitedById))
      .leftJoin(
        sql`lateral (select o.status, o.attempts, o.last_error from email_outbox o where o.invitation_id = ${invitations.id} order by o.created_at desc limit 1) latest`,
        sql`true`,
      )
      .where(where)
      .orderBy(desc(invitations.createdAt), desc(invitations.id))
      .limit(PAGE_SIZE)
      .offset((page - 1) * PAGE_SIZE),
    db.select({ n: count() }).from(invitations).where(where),
  ]);
  const items = rows.map((r) => {
    const delivery = deliveryStatus(r.outboxStatus, Number(r.outboxAttempts));
    return {
      id: r.id,
      email: r.email,
      role: r.role,
      invitedBy: r.invitedBy,
      createdAt: r.createdAt,
      lastSentAt: r.lastSentAt,
      expiresAt: r.expiresAt,
      isExpired: isExpired(r.expiresAt, now),
      expiryLabel: expiryLabel(r.expiresAt, now),
      resendInSeconds: resendWaitSeconds(r.lastSentAt, now),
      delivery,
      deliveryLabel: DELIVERY_LABELS[delivery],
      lastError: delivery === "sent" ? null : r.lastError,
    };
  });
  return { items, total: total?.n ?? 0, page, pageSize: PAGE_SIZE };
}
