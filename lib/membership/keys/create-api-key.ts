import "server-only";
import { apiKeyProjects, apiKeys, projects } from "@/db/schema";
import { and, eq, inArray } from "drizzle-orm";
import { authorizeOrg } from "../access";
import { recordActivity } from "../activity/record-activity";
import { DomainError } from "../errors";
import { validName } from "../names";
import { transactionalVerb } from "../verb";
import { mintBearerSecret } from "../bearer-secret";
import { API_KEY_ROLES, type ApiKeyRole } from "../roles";
import { API_KEY_PREFIX, invalid, refuseKeys } from "./key-rules";

export interface CreateApiKeyInput {
  orgId: string;
  name: string;
  scope: "organization" | "projects";
  /** For a projects key: which projects, and as Project Admin or Project Read-Only. */
  projects?: readonly { projectId: string; role: ApiKeyRole }[];
  expiresAt?: Date | null;
}
/** Creates an organization API key (Organization Owners only) and returns its secret, the only time it is shown. */
export const createApiKey = transactionalVerb(
  async (tx, actor, input: CreateApiKeyInput, now): Promise<{ id: string; secret: string; prefix: string }> => {
    refuseKeys(actor);
    const name = validName(input.name, "key");
    if (input.scope !== "organization" && input.scope !== "projects") throw invalid("Choose what the key may do.", "scope");
    const grants = input.scope === "projects" ? [...(input.projects ?? [])] : [];
    if (input.scope === "projects" && grants.length === 0) throw invalid("Choose at least one project for the key.", "projects");
    if (grants.length > 100) throw invalid("Choose at most 100 projects.", "projects");
    if (grants.some((g) => !API_KEY_ROLES.includes(g.role)))
      throw invalid("A key is Project Admin or Project Read-Only of a project.", "projects");
    if (new Set(grants.map((g) => g.projectId)).size !== grants.length) throw invalid("Choose each project once.", "projects");
    if (input.expiresAt && !(input.expiresAt.getTime() > now.getTime())) throw invalid("Choose an expiry date in the future.", "expiresAt");
    // Under the organization row lock, as leaving and removal take it: a key made while its creator
    // is being removed is either seen (and revoked) by the removal, or refused once it committed.
    await authorizeOrg(tx, actor, input.orgId, "org.apiKeys.manage", { lock: true });
    if (grants.length) {
      const ids = grants.map((g) => g.projectId);
      const found = await tx
        .select({ id: projects.id })
        .from(projects)
        .where(
          and(
            eq(projects.orgId, input.orgId),
            inArray(
              projects.id,
              ids.filter((id) => /^[0-9a-f-]{36}$/i.test(id)),
            ),
          ),
        );
      if (found.length !== ids.length)
        throw new DomainError("NOT_FOUND", "One of the chosen projects was not found in this organization.", {
          projects: ["Unknown project"],
        });
    }
    const { secret, prefix, hash } = mintBearerSecret(API_KEY_PREFIX);
    const [row] = await tx
      .insert(apiKeys)
      .values({
        orgId: input.orgId,
        name,
        prefix,
        secretHash: hash,
        scope: input.scope,
        createdById: actor!.id,
        createdByEmail: actor!.email,
        expiresAt: input.expiresAt ?? null,
        createdAt: now,
      })
      .returning({ id: apiKeys.id });
    if (grants.length)
      await tx
        .insert(apiKeyProjects)
        .values(grants.map((g) => ({ apiKeyId: row!.id, orgId: input.orgId, projectId: g.projectId, role: g.role })));
    await recordActivity(tx, actor!, [{ orgId: input.orgId, action: "api_key.created", detail: `${name} (${prefix}…)` }], now);
    return { id: row!.id, secret, prefix };
  },
);
