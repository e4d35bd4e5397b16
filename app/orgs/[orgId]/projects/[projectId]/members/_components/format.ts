import { roleLabel, type ProjectRole } from "@/lib/membership/roles";

const rtf = new Intl.RelativeTimeFormat("en", { numeric: "auto" });

/** "5 minutes ago", "yesterday": short relative times for lists. */
export function timeAgo(iso: string, now = Date.now()): string {
  const seconds = Math.round((new Date(iso).getTime() - now) / 1000);
  const steps: [Intl.RelativeTimeFormatUnit, number][] = [
    ["year", 31_536_000],
    ["month", 2_592_000],
    ["day", 86_400],
    ["hour", 3_600],
    ["minute", 60],
  ];
  for (const [unit, size] of steps) if (Math.abs(seconds) >= size) return rtf.format(Math.round(seconds / size), unit);
  return "just now";
}

export function formatDate(iso: string): string {
  return new Date(iso).toLocaleDateString("en", { year: "numeric", month: "short", day: "numeric", timeZone: "UTC" });
}

const role = (r: string | null) => (r ? roleLabel(r as ProjectRole) : "");

/** One activity record as a sentence: who did what to whom. */
export function describeActivity(a: {
  action: string;
  actorEmail: string | null;
  actorApiKeyName?: string | null;
  targetEmail: string | null;
  oldRole: string | null;
  newRole: string | null;
  projectName?: string | null;
  detail?: string | null;
}): string {
  const who = a.actorApiKeyName ? `API key “${a.actorApiKeyName}” (of ${a.actorEmail ?? "a former member"})` : (a.actorEmail ?? "Someone");
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
    case "member.added":
      return `${who} added ${target} as ${role(a.newRole)}`;
    case "member.role_changed":
      return `${who} changed ${target} from ${role(a.oldRole)} to ${role(a.newRole)}`;
    case "member.removed":
      return `${who} removed ${target} (${role(a.oldRole)})`;
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
      return `${who} removed ${a.projectName ?? "a deleted project"} from the invitation to ${target}`;
    case "project.renamed":
      return `${who} renamed the project ${a.detail ?? ""} to ${a.projectName ?? ""}`;
    case "project.deleted":
      return `${who} deleted the project ${a.projectName ?? ""}`;
    case "api_key.created":
      return `${who} created the API key ${a.detail ?? ""}`;
    case "api_key.revoked":
      return `${who} revoked the API key ${a.detail ?? ""}`;
    default:
      return `${who}: ${a.action} ${target}`;
  }
}
