import "server-only";
import type { Db } from "@/db/client";
import { orgDomains, projects, ssoConnections, ssoDefaultGrants } from "@/db/schema";
import { and, asc, eq } from "drizzle-orm";
import type { SsoConnection } from "@/lib/sso/types";
import { authorizeOrg } from "../access";
import type { ProjectRole } from "../roles";
import type { Actor } from "../types";

export interface SsoSettings {
  orgId: string;
  orgName: string;
  /** The organization's connection, secret left out (only whether one is set). */
  connection: (Omit<SsoConnection, "oidcClientSecretSealed"> & { hasClientSecret: boolean }) | null;
  /** The organization's verified domains: the addresses its connection may sign in and "Require SSO" covers. */
  verifiedDomains: string[];
  defaultGrants: { projectId: string; projectName: string; role: ProjectRole }[];
  projects: { id: string; name: string }[];
}

/** What the single sign-on settings page and the API show (Organization Owners only). */
export async function getSsoSettings(db: Db, actor: Actor | null, input: { orgId: string }): Promise<SsoSettings> {
  const access = await authorizeOrg(db, actor, input.orgId, "org.sso.manage");
  const [row] = await db.select().from(ssoConnections).where(eq(ssoConnections.orgId, input.orgId));
  const domains = await db
    .select({ domain: orgDomains.domain })
    .from(orgDomains)
    .where(and(eq(orgDomains.orgId, input.orgId), eq(orgDomains.status, "verified")))
    .orderBy(asc(orgDomains.domain));
  const grants = row
    ? await db
        .select({ projectId: ssoDefaultGrants.projectId, projectName: projects.name, role: ssoDefaultGrants.role })
        .from(ssoDefaultGrants)
        .innerJoin(projects, eq(projects.id, ssoDefaultGrants.projectId))
        .where(eq(ssoDefaultGrants.connectionId, row.id))
        .orderBy(asc(projects.name))
    : [];
  const all = await db
    .select({ id: projects.id, name: projects.name })
    .from(projects)
    .where(eq(projects.orgId, input.orgId))
    .orderBy(asc(projects.name))
    .limit(500);
  let connection: SsoSettings["connection"] = null;
  if (row) {
    const { oidcClientSecretSealed, ...rest } = row;
    connection = { ...rest, hasClientSecret: oidcClientSecretSealed !== null };
  }
  return {
    orgId: input.orgId,
    orgName: access.org.name,
    connection,
    verifiedDomains: domains.map((d) => d.domain),
    defaultGrants: grants,
    projects: all,
  };
}
