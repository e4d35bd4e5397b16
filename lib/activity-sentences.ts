import { replaceEach, TEXT_DIRECTION_CHARACTER } from "@/lib/membership/characters";
import { roleLabel, type ProjectRole } from "@/lib/membership/roles";

/**
 * Activity records as sentences, and the isolate marks every sentence puts around a typed name:
 * pure (roles and characters only), so the pages (through components/sentences.ts) and the
 * activity export (lib/membership/activity/activity-export-file.ts) say the same words without
 * the domain importing the UI.
 */

/**
 * A user-supplied name inside a sentence, between the Unicode isolate marks (FSI … PDI): in plain
 * text a right-to-left name cannot reorder the words around it, and the console's `Sentence`
 * shows it as a `<bdi>` instead of the marks. New names cannot contain text-direction characters
 * (lib/membership/names.ts); one stored before that rule has them shown as U+FFFD, so it can
 * neither close the isolate early nor reorder what follows.
 */
export const isolate = (name: string) => `\u2068${replaceEach(name, TEXT_DIRECTION_CHARACTER)}\u2069`;

const role = (r: string | null | undefined) => (r ? roleLabel(r as ProjectRole) : "");

/** " through the group name" for a project role a SCIM group gave or took (issue 20); nothing otherwise. */
const throughGroup = (group: string | null | undefined) => (group ? ` through the group ${isolate(group)}` : "");

/** One activity record as a sentence: who did what to whom. */
export function describeActivity(a: {
  action: string;
  actorEmail?: string | null;
  actorApiKeyName?: string | null;
  actorConnectionName?: string | null;
  actorScim?: boolean;
  targetEmail?: string | null;
  oldRole?: string | null;
  newRole?: string | null;
  projectName?: string | null;
  detail?: string | null;
}): string {
  const who = a.actorScim
    ? "SCIM"
    : a.actorConnectionName
      ? `Single sign-on “${isolate(a.actorConnectionName)}”`
      : a.actorApiKeyName
        ? `API key “${isolate(a.actorApiKeyName)}” (of ${a.actorEmail ?? "a former member"})`
        : (a.actorEmail ?? "Someone");
  const named = (name: string | null | undefined, otherwise: string) => (name ? isolate(name) : otherwise);
  const target = a.targetEmail ?? "someone";
  switch (a.action) {
    case "invitation.created":
      return `${who} invited ${target} as ${role(a.newRole)}`;
    case "invitation.resent":
      return `${who} resent the invitation to ${target}`;
    case "invitation.revoked":
      return `${who} revoked the invitation to ${target}`;
    case "invitation.accepted":
      return `${target} accepted the invitation as ${role(a.newRole)}`;
    case "invitation.declined":
      return `${target} declined the invitation`;
    // A change a SCIM group made names the group (issue 20): "… through the group search-admins".
    case "member.added":
      return `${who} added ${target} as ${role(a.newRole)}${throughGroup(a.detail)}`;
    case "member.role_changed":
      return `${who} changed ${target} from ${role(a.oldRole)} to ${role(a.newRole)}${throughGroup(a.detail)}`;
    case "member.removed":
      return `${who} removed ${target} (${role(a.oldRole)})${throughGroup(a.detail)}`;
    case "member.left":
      return `${target} left the project`;
    case "project.created":
      return `${who} created the project`;
    case "org_member.removed":
      return `${who} removed ${target} from the organization`;
    case "org_member.role_changed":
      return `${who} changed ${target} from ${role(a.oldRole)} to ${role(a.newRole)}`;
    case "org_member.left":
      return `${target} left the organization`;
    case "organization.created":
      return `${who} created the organization`;
    case "invitation.link_copied":
      return `${who} copied a new invitation link for ${target}`;
    case "invitation.grant_removed":
      return `${who} removed ${named(a.projectName, "a deleted project")} from the invitation to ${target}`;
    case "project.renamed":
      return `${who} renamed the project ${named(a.detail, "")} to ${named(a.projectName, "")}`;
    case "project.deleted":
      return `${who} deleted the project ${named(a.projectName, "")}`;
    case "api_key.created":
      return `${who} created the API key ${named(a.detail, "")}`;
    case "api_key.revoked":
      // A key revoked with its creator's membership names the creator; one revoked by hand does not.
      if (!a.targetEmail) return `${who} revoked the API key ${named(a.detail, "")}`;
      return a.actorEmail === a.targetEmail
        ? `The API key ${named(a.detail, "")} was revoked: its creator ${target} left the organization`
        : `The API key ${named(a.detail, "")} was revoked: ${who} removed its creator ${target} from the organization`;
    case "sso.connection_saved":
      return `${who} saved the single sign-on connection ${named(a.detail, "")}`;
    case "sso.connection_tested":
      return `${who} tested the single sign-on connection ${named(a.detail, "")}`;
    case "sso.settings_changed":
      return `${who} ${a.detail ?? "changed the single sign-on settings"}`;
    case "sso.connection_removed":
      return `${who} removed the single sign-on connection ${named(a.detail, "")}`;
    case "sso.member_joined":
      return `${target} joined the organization through single sign-on ${named(a.actorConnectionName, "")}`;
    case "sso.break_glass":
      return `${target} signed in with an email link although single sign-on is required (Owner break-glass)`;
    case "domain.claimed":
      return `${who} added the domain ${a.detail ?? ""}`;
    case "domain.verified":
      // No actor: the scheduled DNS check did it.
      return a.actorEmail || a.actorApiKeyName
        ? `${who} checked the domain ${a.detail ?? ""}: verified`
        : `The domain ${a.detail ?? ""} was verified: its DNS record was found`;
    case "domain.failed":
      return a.actorEmail || a.actorApiKeyName
        ? `${who} checked the domain ${a.detail ?? ""}: no longer verified`
        : `The domain ${a.detail ?? ""} is no longer verified: a scheduled DNS check did not find its record`;
    case "domain.removed":
      return `${who} removed the domain ${a.detail ?? ""}`;
    // ── Issue 20: SCIM provisioning ──
    case "scim_token.created":
      return `${who} created the SCIM token ${named(a.detail, "")}`;
    case "scim_token.revoked":
      return `${who} revoked the SCIM token ${named(a.detail, "")}`;
    case "scim.user_joined":
      return `${who} added ${target} to the organization as ${role(a.newRole) || "Organization Member"}`;
    case "scim.user_updated":
      return `${who} updated ${target}${a.detail ? ` (${a.detail})` : ""}`;
    case "scim.user_deactivated":
      return `${who} deactivated ${target}: removed from the organization`;
    case "scim.user_deleted":
      return `${who} deleted ${target}${a.oldRole ? ": removed from the organization" : ""}`;
    // ── Issue 20: SCIM groups ──
    case "scim.group_created":
      return `${who} created the group ${named(a.detail, "")}`;
    case "scim.group_renamed": {
      const [from = "", to = ""] = (a.detail ?? "").split("\n");
      return `${who} renamed the group ${named(from, "")} to ${named(to, "")}`;
    }
    case "scim.group_deleted":
      return `${who} deleted the group ${named(a.detail, "")}`;
    case "scim.group_member_added":
      return `${who} added ${target} to the group ${named(a.detail, "")}`;
    case "scim.group_member_removed":
      return `${who} removed ${target} from the group ${named(a.detail, "")}`;
    case "scim.group_mapped":
      return a.oldRole
        ? `${who} changed what the group ${named(a.detail, "")} gives on ${named(a.projectName, "a deleted project")} ` +
            `from ${role(a.oldRole)} to ${role(a.newRole)}`
        : `${who} gave the group ${named(a.detail, "")} ${role(a.newRole)} on ${named(a.projectName, "a deleted project")}`;
    case "scim.group_unmapped":
      return `${who} took ${role(a.oldRole)} on ${named(a.projectName, "a deleted project")} away from the group ${named(a.detail, "")}`;
    default:
      return `${who}: ${a.action} ${target}`;
  }
}
