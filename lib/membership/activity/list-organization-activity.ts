import "server-only";
import type { Db } from "@/db/client";
import { activity } from "@/db/schema";
import { eq } from "drizzle-orm";
import { authorizeOrg } from "../access";
import { type Actor, type Page } from "../types";
import { ActivityItem, activityList } from "./list-activity";

/** The whole organization's activity; Organization Owners only. */
export async function listOrganizationActivity(
  db: Db,
  actor: Actor | null,
  input: { orgId: string; cursor?: string | null },
): Promise<Page<ActivityItem>> {
  await authorizeOrg(db, actor, input.orgId, "org.activity.view");
  return activityList(db, eq(activity.orgId, input.orgId), "org-activity", input.cursor).read();
}
