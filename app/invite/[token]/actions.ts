"use server";

import { z } from "zod";
import { acceptInvitation, declineInvitation } from "@/lib/membership";
import { defineAction, type Action } from "@/lib/server/define-action";

const ZToken = z.object({ token: z.string().min(1, "This invitation link is not valid.").max(200, "This invitation link is not valid.") });

/** Accepts the invitation for the signed-in user (a POST: opening the link alone changes nothing). */
export const acceptInvitationAction: Action<{ orgId: string; projectId: string | null }> = defineAction("acceptInvitation", {
  schema: ZToken,
  run: acceptInvitation,
  revalidate: (_input, accepted) => [`/orgs/${accepted.orgId}`, "layout"],
});

/** Declines the invitation for the signed-in user. */
export const declineInvitationAction: Action<{ status: "declined" }> = defineAction("declineInvitation", {
  schema: ZToken,
  run: declineInvitation,
});
