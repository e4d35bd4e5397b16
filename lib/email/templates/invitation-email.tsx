import type { InvitationPayload } from "../messages";
import { ActionLink, EmailLayout, FinePrint, Paragraph, PersonName } from "./layout";
import { formatTimeLeft, formatUtc } from "./time-left";

export interface InvitationEmailProps extends InvitationPayload {
  /** The moment of rendering; the expiry sentence counts from here. */
  now: Date;
}

/** Subject line of an invitation. */
export function invitationSubject(p: Pick<InvitationPayload, "projectName" | "organizationName">): string {
  return p.projectName
    ? `You're invited to join ${p.projectName} on ${p.organizationName}`
    : `You're invited to join ${p.organizationName}`;
}

/** Invitation to join a project: who invited, where, with which role, and until when. */
export function InvitationEmail(props: InvitationEmailProps) {
  const expiresAt = new Date(props.expiresAt);
  const timeLeft = formatTimeLeft(expiresAt, props.now);
  const inviter = <PersonName name={props.inviterName} email={props.inviterEmail} />;
  return (
    <EmailLayout
      preview={`${props.inviterName || props.inviterEmail} invited you to ${props.projectName ? `${props.projectName} on ` : ""}${props.organizationName}`}
      heading={props.projectName ? `Join ${props.projectName} on ${props.organizationName}` : `Join ${props.organizationName}`}
      footer={
        <FinePrint>
          If you were not expecting this invitation, you can ignore this email: nothing happens unless you accept it. If you think it was
          sent in error, contact {props.inviterEmail}.
        </FinePrint>
      }
    >
      {props.projectName ? (
        <Paragraph>
          {inviter} invited you to the project <strong dir="auto">{props.projectName}</strong> in the organization{" "}
          <strong dir="auto">{props.organizationName}</strong> as <strong>{props.roleLabel}</strong>.
        </Paragraph>
      ) : (
        <Paragraph>
          {inviter} invited you to the organization <strong dir="auto">{props.organizationName}</strong> as{" "}
          <strong>{props.roleLabel}</strong>
          {props.projectAccess ? <>, with access to {props.projectAccess}</> : null}.
        </Paragraph>
      )}
      <ActionLink href={props.url} label="Accept invitation" />
      <FinePrint>
        {timeLeft
          ? `This invitation expires in ${timeLeft} (${formatUtc(expiresAt)}).`
          : `This invitation has expired. Ask ${props.inviterEmail} to send a new one.`}
      </FinePrint>
    </EmailLayout>
  );
}
