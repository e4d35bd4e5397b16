/**
 * What each kind of email carries. Payloads are stored in the outbox as JSON and rendered at
 * delivery; `url` holds a secret (a sign-in or invitation token) and is scrubbed after delivery.
 */
export interface SignInPayload {
  url: string;
  expiresAt: string;
}

export interface InvitationPayload {
  url: string;
  inviterName: string;
  inviterEmail: string;
  organizationName: string;
  /** Set for a project invitation (one project, Organization Member); absent for an organization invitation. */
  projectName?: string;
  /** An organization invitation's project grants in words, if any. */
  projectAccess?: string;
  roleLabel: string;
  expiresAt: string;
}

export interface AddedToProjectPayload {
  url: string;
  inviterName: string;
  inviterEmail: string;
  organizationName: string;
  projectName: string;
  roleLabel: string;
}

/** To an organization's Owners, once, when one of its webhook endpoints has failed for a day (issue 22). */
export interface WebhookFailingPayload {
  /** The organization's Webhooks page. */
  url: string;
  organizationName: string;
  endpointUrl: string;
}

export interface EmailPayloads {
  sign_in: SignInPayload;
  invitation: InvitationPayload;
  added_to_project: AddedToProjectPayload;
  webhook_failing: WebhookFailingPayload;
}

export type EmailKind = keyof EmailPayloads;

/** Payload fields that must not outlive delivery. */
export const SECRET_PAYLOAD_FIELDS = ["url"] as const;
