import "server-only";
import { apiKeyProjects, apiKeys, projects } from "@/db/schema";
import { asc, desc, eq, inArray } from "drizzle-orm";
import { authorizeOrg } from "../access";
import { verb } from "../verb";
import type { ApiKeyRole } from "../roles";
import { refuseKeys } from "./key-rules";

export interface ApiKeySummary {
  id: string;
  name: string;
  prefix: string;
  scope: "organization" | "projects";
  projects: { projectId: string; name: string; role: ApiKeyRole }[];
  createdByEmail: string | null;
  createdAt: Date;
  expiresAt: Date | null;
  isExpired: boolean;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
}
/** An organization's API keys, newest first, revoked ones included; Organization Owners only. */
export const listApiKeys = verb(async (db, actor, input: { orgId: string }, now): Promise<ApiKeySummary[]> => {
  refuseKeys(actor);
  await authorizeOrg(db, actor, input.orgId, "org.apiKeys.manage");
  const keys = await db
    .select()
    .from(apiKeys)
    .where(eq(apiKeys.orgId, input.orgId))
    .orderBy(desc(apiKeys.createdAt), desc(apiKeys.id))
    .limit(500);
  const grants = keys.length
    ? await db
        .select({ apiKeyId: apiKeyProjects.apiKeyId, projectId: apiKeyProjects.projectId, role: apiKeyProjects.role, name: projects.name })
        .from(apiKeyProjects)
        .innerJoin(projects, eq(projects.id, apiKeyProjects.projectId))
        .where(
          inArray(
            apiKeyProjects.apiKeyId,
            keys.map((k) => k.id),
          ),
        )
        .orderBy(asc(projects.name))
    : [];
  return keys.map((k) => ({
    id: k.id,
    name: k.name,
    prefix: k.prefix,
    scope: k.scope,
    projects: grants.filter((g) => g.apiKeyId === k.id).map((g) => ({ projectId: g.projectId, name: g.name, role: g.role as ApiKeyRole })),
    createdByEmail: k.createdByEmail,
    createdAt: k.createdAt,
    expiresAt: k.expiresAt,
    isExpired: k.expiresAt !== null && k.expiresAt.getTime() <= now.getTime(),
    lastUsedAt: k.lastUsedAt,
    revokedAt: k.revokedAt,
  }));
});
