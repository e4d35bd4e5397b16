import type { WebhookFailingPayload } from "../messages";
import { ActionLink, EmailLayout, FinePrint, Paragraph } from "./layout";

/** Subject line of the failing-endpoint notice. */
export function webhookFailingSubject(p: Pick<WebhookFailingPayload, "organizationName">): string {
  return `A webhook endpoint of ${p.organizationName} is failing`;
}

/** Tells an organization's Owners, once, that an endpoint has not taken an event for a day. */
export function WebhookFailingEmail(props: WebhookFailingPayload) {
  return (
    <EmailLayout
      preview={`Webhook deliveries to ${props.endpointUrl} have failed for 24 hours`}
      heading="A webhook endpoint is failing"
      footer={<FinePrint>You are receiving this because you are an Organization Owner of {props.organizationName}.</FinePrint>}
    >
      <Paragraph>
        Deliveries to <strong>{props.endpointUrl}</strong> for <strong dir="auto">{props.organizationName}</strong> have been retried for 24
        hours without success, so the endpoint is marked failing. New events are still sent to it; the delivery log shows each answer, and
        &quot;Redeliver&quot; sends a failed event again.
      </Paragraph>
      <ActionLink href={props.url} label="Open webhooks" />
    </EmailLayout>
  );
}
