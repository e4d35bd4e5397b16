import "server-only";
import type { Db } from "@/db/client";
import { orgDomains } from "@/db/schema";
import { asc, eq } from "drizzle-orm";
import { authorizeOrg } from "../access";
import type { Actor } from "../types";
import { toSummary, type DomainSummary } from "./domain-rules";

/** The organization's domains by name, whatever their status; Organization Owners only. */
export async function listDomains(db: Db, actor: Actor | null, input: { orgId: string }): Promise<DomainSummary[]> {
  await authorizeOrg(db, actor, input.orgId, "org.sso.manage");
  const rows = await db.select().from(orgDomains).where(eq(orgDomains.orgId, input.orgId)).orderBy(asc(orgDomains.domain));
  return rows.map(toSummary);
}
