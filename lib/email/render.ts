import { createElement, type ReactElement } from "react";
import { render, toPlainText } from "@react-email/render";
import type { EmailKind, EmailPayloads } from "./messages";
import { parsePayload } from "./payload-schemas";
import { AddedToProjectEmail, addedToProjectSubject } from "./templates/added-to-project-email";
import { InvitationEmail, invitationSubject } from "./templates/invitation-email";
import { SignInEmail, signInSubject } from "./templates/sign-in-email";
import { WebhookFailingEmail, webhookFailingSubject } from "./templates/webhook-failing-email";

export interface RenderedEmail {
  subject: string;
  html: string;
  text: string;
}

export interface RenderOptions {
  /** When the message is rendered; expiry sentences count from here. */
  now?: Date;
}

type Template<K extends EmailKind> = (payload: EmailPayloads[K], now: Date) => { subject: string; element: ReactElement };

const templates: { [K in EmailKind]: Template<K> } = {
  sign_in: (p, now) => ({ subject: signInSubject(), element: createElement(SignInEmail, { ...p, now }) }),
  invitation: (p, now) => ({ subject: invitationSubject(p), element: createElement(InvitationEmail, { ...p, now }) }),
  added_to_project: (p) => ({ subject: addedToProjectSubject(p), element: createElement(AddedToProjectEmail, p) }),
  webhook_failing: (p) => ({ subject: webhookFailingSubject(p), element: createElement(WebhookFailingEmail, p) }),
};

/** Renders one email to its subject, HTML and plain-text bodies. */
export async function renderEmail<K extends EmailKind>(
  kind: K,
  payload: EmailPayloads[K],
  options: RenderOptions = {},
): Promise<RenderedEmail> {
  const { subject, element } = templates[kind](payload, options.now ?? new Date());
  const html = await render(element);
  // Same output as render(element, { plainText: true }) without rendering the tree twice.
  const text = toPlainText(html);
  // Names come from users; a line break in a subject would be a header-injection vector elsewhere.
  return { subject: subject.replace(/[\r\n]+/g, " ").trim(), html, text };
}

/** Validates a payload read back from the outbox, then renders it. */
export async function renderStoredEmail(kind: EmailKind, payload: unknown, options: RenderOptions = {}): Promise<RenderedEmail> {
  return renderEmail(kind, parsePayload(kind, payload), options);
}
