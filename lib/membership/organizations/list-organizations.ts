import "server-only";
import type { Db } from "@/db/client";
import { organizationMemberships, organizations } from "@/db/schema";
import { and, asc, eq } from "drizzle-orm";
import { DomainError } from "../errors";
import { type VisibleProject } from "../projects/visible-projects";
import type { OrgRole } from "../roles";
import type { Actor } from "../types";

export type { VisibleProject };

export interface VisibleOrganization {
  id: string;
  name: string;
  role: OrgRole;
}

/** The organizations the actor belongs to. */
export async function listOrganizations(db: Db, actor: Actor | null): Promise<VisibleOrganization[]> {
  if (!actor) throw new DomainError("UNAUTHENTICATED", "Sign in to continue.");
  return db
    .select({ id: organizations.id, name: organizations.name, role: organizationMemberships.role })
    .from(organizationMemberships)
    .innerJoin(organizations, eq(organizations.id, organizationMemberships.orgId))
    .where(and(eq(organizationMemberships.userId, actor.id), actor.apiKey ? eq(organizations.id, actor.apiKey.orgId) : undefined))
    .orderBy(asc(organizations.name))
    .then((rows) =>
      rows.flatMap((r) =>
        actor.apiKey ? (r.role === "owner" && actor.apiKey.scope === "organization" ? [r] : [{ ...r, role: "member" as const }]) : [r],
      ),
    );
}
