import { CONTROL_CHARACTER } from "../characters";
import { invalidScimValue, scimText } from "./scim-text";
import { emailProblem, normalizeEmail } from "../email-list";
import { DomainError } from "../errors";
import type { ScimActor } from "../activity/record-activity";

/** What the console keeps of a SCIM User (the rest of what an identity provider sends is dropped). */
export interface ScimUserState {
  userName: string;
  externalId: string | null;
  /** The work (or primary) address; links the person to their console account when they are created. */
  email: string | null;
  givenName: string | null;
  familyName: string | null;
  displayName: string | null;
  active: boolean;
}

/** A SCIM User as stored and read: its state, the console id and whether the person is in the organization now. */
export interface ScimUserView extends ScimUserState {
  id: string;
  createdAt: Date;
  updatedAt: Date;
}

/** Trims and checks a User's values; refuses with a sentence naming the attribute. */
export function validScimUser(state: ScimUserState): ScimUserState {
  const email = state.email === null || state.email.trim() === "" ? null : normalizeEmail(state.email);
  if (email !== null) {
    const problem = emailProblem(email);
    if (problem) throw invalidScimValue("emails", `emails: ${problem}.`);
  }
  return {
    userName: scimText(state.userName, "userName", true)!,
    externalId: scimText(state.externalId, "externalId", false),
    email,
    givenName: scimText(state.givenName, "name.givenName", false),
    familyName: scimText(state.familyName, "name.familyName", false),
    displayName: scimText(state.displayName, "displayName", false),
    active: state.active,
  };
}

/** The address that names the person's console account: the work address, or a userName that is an address. */
export function accountAddress(state: ScimUserState): string {
  if (state.email) return state.email;
  const fromUserName = normalizeEmail(state.userName);
  if (!emailProblem(fromUserName)) return fromUserName;
  throw invalidScimValue("emails", "Send the person's work address (emails) or a userName that is an address.");
}

/** SCIM verbs act only on the organization of the token that called them. */
export function assertScimOrg(actor: ScimActor | null, orgId: string): asserts actor is ScimActor {
  if (!actor || actor.scim.orgId !== orgId) throw new DomainError("UNAUTHENTICATED", "This SCIM token is not valid for this organization.");
}

/** A SCIM user id as the identity provider may send it back (console user ids are text); anything else is unknown. */
export function isScimUserId(id: unknown): id is string {
  return typeof id === "string" && id.length > 0 && id.length <= 200 && !CONTROL_CHARACTER.test(id);
}
