import "server-only";
import { invitations } from "@/db/schema";
import { eq } from "drizzle-orm";
import { recordActivity } from "../activity/record-activity";
import { DomainError } from "../errors";
import { transactionalVerb } from "../verb";
import { isProjectInvitation, loadGrants } from "./invitation-grants";
import { lockForInvitee } from "./invitee-lock";
import { describeRole } from "./invitation-payload";

/** Declines an invitation addressed to the signed-in user; it leaves the pending list. */
export const declineInvitation = transactionalVerb(async (tx, actor, input: { token: string }, now): Promise<{ status: "declined" }> => {
  const { invitation } = await lockForInvitee(tx, actor, input.token, now);
  if (invitation.status === "declined") return { status: "declined" as const };
  if (invitation.status !== "pending") throw new DomainError("CONFLICT", `This invitation was already ${invitation.status}.`);
  await tx.update(invitations).set({ status: "declined", declinedAt: now }).where(eq(invitations.id, invitation.id));
  const grants = (await loadGrants(tx, [invitation.id])).get(invitation.id) ?? [];
  const projectId = isProjectInvitation(invitation.orgRole, grants) ? grants[0]!.projectId : null;
  await recordActivity(
    tx,
    actor!,
    [
      {
        orgId: invitation.orgId,
        projectId,
        action: "invitation.declined",
        targetEmail: invitation.email,
        oldRole: describeRole(invitation.orgRole, grants),
      },
    ],
    now,
  );
  return { status: "declined" as const };
});
