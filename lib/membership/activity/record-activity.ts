import "server-only";
import { randomUUID } from "node:crypto";
import type { Db } from "@/db/client";
import { activity } from "@/db/schema";
import { enqueueWebhookEvents, type EventActor } from "@/lib/webhooks/enqueue-events";
import type { Actor } from "../types";

export type ActivityAction =
  | "invitation.created"
  | "invitation.resent"
  | "invitation.revoked"
  | "invitation.accepted"
  | "invitation.declined"
  | "member.added"
  | "member.role_changed"
  | "member.removed"
  | "member.left"
  | "org_member.removed"
  | "org_member.role_changed"
  | "org_member.left"
  | "organization.created"
  | "invitation.link_copied"
  | "invitation.grant_removed"
  | "project.created"
  | "project.renamed"
  | "project.deleted"
  | "api_key.created"
  | "api_key.revoked"
  | "sso.connection_saved"
  | "sso.connection_tested"
  | "sso.settings_changed"
  | "sso.connection_removed"
  | "sso.member_joined"
  | "sso.break_glass"
  | "domain.claimed"
  | "domain.verified"
  | "domain.failed"
  | "domain.removed"
  // ── Issue 20: SCIM provisioning ──
  | "scim_token.created"
  | "scim_token.revoked"
  | "scim.user_joined"
  | "scim.user_updated"
  | "scim.user_deactivated"
  | "scim.user_deleted"
  // ── Issue 20: SCIM groups and their project roles ──
  | "scim.group_created"
  | "scim.group_renamed"
  | "scim.group_deleted"
  | "scim.group_member_added"
  | "scim.group_member_removed"
  | "scim.group_mapped"
  | "scim.group_unmapped";

export interface ActivityEntry {
  orgId: string;
  projectId?: string | null;
  /** The project's name, kept so the record still reads well after the project is deleted. */
  projectName?: string | null;
  action: ActivityAction;
  targetEmail?: string | null;
  targetUserId?: string | null;
  oldRole?: string | null;
  newRole?: string | null;
  detail?: string | null;
}

/** The person a membership change is about, and the role they held before it: the target part of an activity entry. */
export function aboutMember(member: { email: string; userId: string; role: string }) {
  return { targetEmail: member.email, targetUserId: member.userId, oldRole: member.role };
}

/** A single sign-on connection acting on its own (just-in-time membership): it is the record's actor. */
export interface ConnectionActor {
  connection: { id: string; name: string };
}

/** SCIM provisioning acting for the organization (issue 20): the activity reads "SCIM"; the token is kept. */
export interface ScimActor {
  scim: { tokenId: string; orgId: string };
}

/** Records membership changes, and their webhook events; always called with the transaction that makes the change. */
export async function recordActivity(tx: Db, by: Actor | ConnectionActor | ScimActor, entries: ActivityEntry[], now: Date): Promise<void> {
  if ("connection" in by) await insertActivity(tx, null, by.connection, entries, now);
  else if ("scim" in by) await insertActivity(tx, null, null, entries, now, by.scim.tokenId);
  else await insertActivity(tx, by, null, entries, now);
}

/**
 * Records what the console did by itself, with no person or key as actor (a scheduled DNS check
 * that verified or failed a domain); the activity shows it without a name.
 */
export async function recordSystemActivity(tx: Db, entries: ActivityEntry[], now: Date): Promise<void> {
  await insertActivity(tx, null, null, entries, now);
}

async function insertActivity(
  tx: Db,
  actor: Actor | null,
  connection: ConnectionActor["connection"] | null,
  entries: ActivityEntry[],
  now: Date,
  scimTokenId: string | null = null,
): Promise<void> {
  if (entries.length === 0) return;
  // The ids are made here, so the rows need not come back: they are written by the statement
  // that reads the organization's webhook endpoints (one round trip).
  const rows = entries.map((e) => ({
    id: randomUUID(),
    orgId: e.orgId,
    projectId: e.projectId ?? null,
    projectName: e.projectName ?? null,
    actorId: actor?.id ?? null,
    actorEmail: actor?.email ?? null,
    action: e.action,
    targetEmail: e.targetEmail ?? null,
    targetUserId: e.targetUserId ?? null,
    oldRole: e.oldRole ?? null,
    newRole: e.newRole ?? null,
    detail: e.detail ?? null,
    actorApiKeyId: actor?.apiKey?.id ?? null,
    actorApiKeyName: actor?.apiKey?.name ?? null,
    actorConnectionId: connection?.id ?? null,
    actorConnectionName: connection?.name ?? null,
    actorScimTokenId: scimTokenId,
    createdAt: now,
  }));
  await enqueueWebhookEvents(tx, eventActor(actor, connection, scimTokenId), rows, now, tx.insert(activity).values(rows));
}

function eventActor(actor: Actor | null, connection: ConnectionActor["connection"] | null, scimTokenId: string | null): EventActor {
  if (actor?.apiKey) return { type: "api_key", id: actor.apiKey.id, email: actor.email };
  if (actor) return { type: "user", id: actor.id, email: actor.email };
  if (connection) return { type: "sso_connection", id: connection.id, email: null };
  if (scimTokenId) return { type: "scim", id: scimTokenId, email: null };
  return { type: "system", id: null, email: null };
}
