/**
 * The webhook events: every membership change is one, named here and documented in the OpenAPI
 * document's `webhooks` section. Pure, so the console's form may list them.
 */
export const WEBHOOK_EVENT_TYPES = {
  "invitation.created": "Someone was invited to the organization or to a project.",
  "invitation.resent": "An invitation was sent again (with a new link).",
  "invitation.revoked": "A pending invitation was revoked.",
  "invitation.accepted": "An invitation was accepted: the person joined.",
  "invitation.declined": "An invitation was declined.",
  "collaborator.added": "Someone already in the organization was added to a project.",
  "collaborator.role_changed": "A collaborator's project role changed.",
  "collaborator.removed": "A collaborator was removed from a project.",
  "collaborator.left": "A collaborator left a project.",
  "member.joined": "Someone joined the organization through single sign-on or SCIM provisioning.",
  "member.role_changed": "A member's organization role changed.",
  "member.removed": "A member was removed from the organization (by an Owner, or deprovisioned over SCIM).",
  "member.left": "A member left the organization.",
  "api_key.created": "An API key was created.",
  "api_key.revoked": "An API key was revoked.",
  "sso.connection_saved": "A single sign-on connection was saved.",
  "sso.connection_removed": "A single sign-on connection was removed.",
  "sso.settings_changed": "Single sign-on settings changed (required for verified domains, default project access).",
  "webhook.test": 'Sent by "Send test event"; only to the endpoint it was sent from.',
} as const;

export type WebhookEventType = keyof typeof WEBHOOK_EVENT_TYPES;

/** The events an endpoint may subscribe to ("webhook.test" is always sent to the endpoint that asks for it). */
export const SUBSCRIBABLE_EVENT_TYPES = (Object.keys(WEBHOOK_EVENT_TYPES) as WebhookEventType[]).filter((t) => t !== "webhook.test");

/** The activity records that are webhook events, and the event each one is. */
export const EVENT_OF_ACTIVITY: Readonly<Record<string, WebhookEventType>> = {
  "invitation.created": "invitation.created",
  "invitation.resent": "invitation.resent",
  "invitation.revoked": "invitation.revoked",
  "invitation.accepted": "invitation.accepted",
  "invitation.declined": "invitation.declined",
  "member.added": "collaborator.added",
  "member.role_changed": "collaborator.role_changed",
  "member.removed": "collaborator.removed",
  "member.left": "collaborator.left",
  "sso.member_joined": "member.joined",
  "scim.user_joined": "member.joined",
  "org_member.role_changed": "member.role_changed",
  "org_member.removed": "member.removed",
  "scim.user_deactivated": "member.removed",
  "scim.user_deleted": "member.removed",
  "org_member.left": "member.left",
  "api_key.created": "api_key.created",
  "api_key.revoked": "api_key.revoked",
  "sso.connection_saved": "sso.connection_saved",
  "sso.connection_removed": "sso.connection_removed",
  "sso.settings_changed": "sso.settings_changed",
};
