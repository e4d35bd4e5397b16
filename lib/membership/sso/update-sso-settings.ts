import "server-only";
import { orgDomains, projects, ssoConnections, ssoDefaultGrants } from "@/db/schema";
import { and, eq, inArray } from "drizzle-orm";
import { authorizeOrg, isUuid } from "../access";
import { recordActivity } from "../activity/record-activity";
import { DomainError } from "../errors";
import type { ProjectRole } from "../roles";
import { transactionalVerb } from "../verb";

export interface SsoSettingsChange {
  orgId: string;
  /** Switch the connection on (only once "Test connection" succeeded) or off. */
  enabled?: boolean;
  /** "Require SSO for verified domains" (only with the connection on and at least one verified domain). */
  requireSso?: boolean;
  /** The projects someone who joins through SSO is given, and as what; replaces the list. */
  defaultGrants?: readonly { projectId: string; role: ProjectRole }[];
}

const invalid = (message: string, field: string) => new DomainError("INVALID", message, { [field]: [message] });

/** Changes how the organization's connection is used (Organization Owners only); recorded in the activity. */
export const updateSsoSettings = transactionalVerb(
  async (tx, actor, input: SsoSettingsChange, now): Promise<{ enabled: boolean; requireSso: boolean }> => {
    const grants = input.defaultGrants ? [...input.defaultGrants] : null;
    if (grants && grants.length > 100) throw invalid("Choose at most 100 projects.", "defaultGrants");
    if (grants && new Set(grants.map((g) => g.projectId)).size !== grants.length)
      throw invalid("Choose each project once.", "defaultGrants");
    await authorizeOrg(tx, actor, input.orgId, "org.sso.manage", { lock: true });
    const [connection] = await tx.select().from(ssoConnections).where(eq(ssoConnections.orgId, input.orgId)).for("update");
    if (!connection) throw new DomainError("NOT_FOUND", "Connect an identity provider first.");
    const enabled = input.enabled ?? connection.enabled;
    // Switching off also ends "Require SSO": no one may be locked out with no way in.
    const requireSso = enabled ? (input.requireSso ?? connection.requireSso) : false;
    if (enabled && !connection.enabled && !connection.testedAt)
      throw invalid("Test the connection first: sign in through it once with “Test connection”.", "enabled");
    if (requireSso && !connection.requireSso) {
      const [domain] = await tx
        .select({ id: orgDomains.id })
        .from(orgDomains)
        .where(and(eq(orgDomains.orgId, input.orgId), eq(orgDomains.status, "verified")))
        .limit(1);
      if (!domain) throw invalid("Verify a domain first: “Require SSO” applies to the organization's verified domains.", "requireSso");
    }
    const changes: string[] = [];
    if (enabled !== connection.enabled) changes.push(enabled ? "switched single sign-on on" : "switched single sign-on off");
    if (requireSso !== connection.requireSso) changes.push(requireSso ? "required single sign-on" : "stopped requiring single sign-on");
    if (grants) {
      const ids = grants.map((g) => g.projectId);
      const found = ids.length
        ? await tx
            .select({ id: projects.id })
            .from(projects)
            .where(and(eq(projects.orgId, input.orgId), inArray(projects.id, ids.filter(isUuid))))
        : [];
      if (found.length !== ids.length)
        throw new DomainError("NOT_FOUND", "One of the chosen projects was not found in this organization.", {
          defaultGrants: ["Unknown project"],
        });
      await tx.delete(ssoDefaultGrants).where(eq(ssoDefaultGrants.connectionId, connection.id));
      if (grants.length)
        await tx
          .insert(ssoDefaultGrants)
          .values(grants.map((g) => ({ connectionId: connection.id, orgId: input.orgId, projectId: g.projectId, role: g.role })));
      changes.push(`set the default project access to ${grants.length} project${grants.length === 1 ? "" : "s"}`);
    }
    if (changes.length === 0) return { enabled, requireSso };
    await tx.update(ssoConnections).set({ enabled, requireSso, updatedAt: now }).where(eq(ssoConnections.id, connection.id));
    await recordActivity(tx, actor!, [{ orgId: input.orgId, action: "sso.settings_changed", detail: changes.join("; ") }], now);
    return { enabled, requireSso };
  },
);
