import type { SignInPayload } from "../messages";
import { ActionLink, EmailLayout, FinePrint, Paragraph, PRODUCT_NAME } from "./layout";
import { formatTimeLeft, formatUtc } from "./time-left";

export interface SignInEmailProps extends SignInPayload {
  /** The moment of rendering; the expiry sentence counts from here. */
  now: Date;
}

/** Subject line of a sign-in link. */
export function signInSubject(): string {
  return `Sign in to ${PRODUCT_NAME}`;
}

/** A one-time sign-in link. */
export function SignInEmail(props: SignInEmailProps) {
  const expiresAt = new Date(props.expiresAt);
  const timeLeft = formatTimeLeft(expiresAt, props.now);
  return (
    <EmailLayout
      preview={`Your sign-in link for ${PRODUCT_NAME}`}
      heading={`Sign in to ${PRODUCT_NAME}`}
      footer={
        <FinePrint>
          If you did not try to sign in, you can ignore this email: without the link nobody can sign in as you. Do not forward it.
        </FinePrint>
      }
    >
      <Paragraph>Use the button below to sign in. The link works once.</Paragraph>
      <ActionLink href={props.url} label={`Sign in to ${PRODUCT_NAME}`} />
      <FinePrint>
        {timeLeft
          ? `This link expires in ${timeLeft} (${formatUtc(expiresAt)}).`
          : "This link has expired. Request a new one from the sign-in page."}
      </FinePrint>
    </EmailLayout>
  );
}
