import "server-only";
import { and, eq, exists } from "drizzle-orm";
import type { Db } from "@/db/client";
import { invitationProjectGrants, invitations } from "@/db/schema";
import { authorizeOrg, authorizeProject, isUuid } from "../access";
import { forbidden, notFound } from "../errors";
import { isProjectInvitation, loadGrants } from "./invitation-grants";
import type { Actor, VerbOptions } from "../types";
import type { Verb } from "../verb";

/** The ids that name an invitation from a project's page: only invitations granting that project are found there. */
export interface ProjectInvitationIds {
  orgId: string;
  projectId: string;
  invitationId: string;
}

/** The ids that name an invitation from the organization users page. */
export interface OrgInvitationIds {
  orgId: string;
  invitationId: string;
}

/**
 * Where a request to manage an invitation comes from. Built by the verbs, never from client input,
 * so a missing or null project id can never widen a project page's request to the organization.
 */
export type InvitationScope = { via: "project"; ids: ProjectInvitationIds } | { via: "organization"; ids: OrgInvitationIds };

/**
 * The verb of one page: `body` works on an invitation in either scope, and the verb a page calls
 * takes that page's ids (a project's page, or the organization users page).
 */
export function scopedInvitationVerb<Via extends InvitationScope["via"], Result, Options extends VerbOptions>(
  via: Via,
  body: (db: Db, actor: Actor | null, scope: InvitationScope, options?: Options) => Promise<Result>,
): Verb<Extract<InvitationScope, { via: Via }>["ids"], Result, Actor, Options> {
  return (db, actor, ids, options) => body(db, actor, { via, ids } as InvitationScope, options);
}

/** Loads one invitation of an organization (and project, if given), locked for update; ids from the client are scoped here. */
export async function lockScopedInvitation(tx: Db, ids: { orgId: string; projectId: string | null; invitationId: string }) {
  if (!isUuid(ids.invitationId)) throw notFound("invitation");
  const grantsProject =
    ids.projectId === null
      ? undefined
      : exists(
          tx
            .select({ one: invitationProjectGrants.projectId })
            .from(invitationProjectGrants)
            .where(and(eq(invitationProjectGrants.invitationId, invitations.id), eq(invitationProjectGrants.projectId, ids.projectId))),
        );
  const rows = await tx
    .select()
    .from(invitations)
    .where(and(eq(invitations.id, ids.invitationId), eq(invitations.orgId, ids.orgId), grantsProject))
    .for("update");
  const row = rows[0];
  if (!row) throw notFound("invitation");
  return row;
}

/**
 * The guard for managing one invitation (resend, revoke, copy link), from either page. On a
 * project page a Project Admin manages the project's own invitations; one that also makes someone
 * an Organization Owner or grants other projects is an Organization Owner's to manage.
 */
export async function authorizeInvitation(tx: Db, actor: Actor | null, scope: InvitationScope) {
  if (scope.via === "project") {
    const input = scope.ids;
    const access = await authorizeProject(tx, actor, { orgId: input.orgId, projectId: input.projectId }, "invitations.manage", {
      lock: true,
    });
    const invitation = await lockScopedInvitation(tx, input);
    const grants = (await loadGrants(tx, [invitation.id])).get(invitation.id) ?? [];
    if (access.orgRole !== "owner" && !isProjectInvitation(invitation.orgRole, grants, input.projectId)) {
      throw forbidden(
        "This invitation also gives organization or other project access. An Organization Owner manages it on the Organization users page.",
      );
    }
    return { org: access.org, invitation, grants, projectId: input.projectId as string | null };
  }
  const input = scope.ids;
  const access = await authorizeOrg(tx, actor, input.orgId, "org.invitations.manage", { lock: true });
  const invitation = await lockScopedInvitation(tx, { ...input, projectId: null });
  const grants = (await loadGrants(tx, [invitation.id])).get(invitation.id) ?? [];
  // Recorded against its project when it is a plain project invitation.
  return { org: access.org, invitation, grants, projectId: isProjectInvitation(invitation.orgRole, grants) ? grants[0]!.projectId : null };
}
