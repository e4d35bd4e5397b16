import "server-only";
import { and, eq } from "drizzle-orm";
import type { Db } from "@/db/client";
import { invitations } from "@/db/schema";
import { cancelPendingEmails } from "@/lib/email/outbox";
import type { ActivityEntry } from "../activity/record-activity";
import { isProjectInvitation, loadGrants } from "./invitation-grants";
import { describeRole } from "./invitation-payload";

/**
 * Revokes the pending invitations to an address in an organization, when the person leaves it
 * (removed by an Owner or by SCIM), and cancels their unsent emails; returns their activity entries.
 */
export async function revokeInvitationsTo(tx: Db, orgId: string, email: string, now: Date): Promise<ActivityEntry[]> {
  const revoked = await tx
    .update(invitations)
    .set({ status: "revoked", revokedAt: now })
    .where(and(eq(invitations.orgId, orgId), eq(invitations.email, email), eq(invitations.status, "pending")))
    .returning({ id: invitations.id, orgRole: invitations.orgRole });
  await cancelPendingEmails(
    tx,
    revoked.map((r) => r.id),
    "Cancelled: the invitation was revoked",
  );
  const grantsOf = await loadGrants(
    tx,
    revoked.map((r) => r.id),
  );
  return revoked.map((r) => {
    const grants = grantsOf.get(r.id) ?? [];
    return {
      orgId,
      projectId: isProjectInvitation(r.orgRole, grants) ? grants[0]!.projectId : null,
      action: "invitation.revoked" as const,
      targetEmail: email,
      oldRole: describeRole(r.orgRole, grants),
    };
  });
}
