import type { AddedToProjectPayload } from "../messages";
import { ActionLink, EmailLayout, FinePrint, Paragraph, PersonName } from "./layout";

/** Subject line of the added-to-project notice. */
export function addedToProjectSubject(p: Pick<AddedToProjectPayload, "projectName">): string {
  return `You were added to ${p.projectName}`;
}

/** Notice to an existing organization member that they now have access to a project. */
export function AddedToProjectEmail(props: AddedToProjectPayload) {
  const adder = <PersonName name={props.inviterName} email={props.inviterEmail} />;
  return (
    <EmailLayout
      preview={`You now have access to ${props.projectName} on ${props.organizationName}`}
      heading={`You were added to ${props.projectName}`}
      footer={
        <FinePrint>
          You are receiving this because you are a member of {props.organizationName}. If this looks wrong, contact {props.inviterEmail} or
          an Organization Owner.
        </FinePrint>
      }
    >
      <Paragraph>
        {adder} added you to the project <strong dir="auto">{props.projectName}</strong> in{" "}
        <strong dir="auto">{props.organizationName}</strong> as <strong>{props.roleLabel}</strong>. You can use it right away.
      </Paragraph>
      <ActionLink href={props.url} label="Open project" />
    </EmailLayout>
  );
}
