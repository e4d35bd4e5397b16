import { count } from "drizzle-orm";
import type { Db } from "./client";
import { organizationMemberships, organizations, projectMemberships, projects, users } from "./schema";

export const DEMO = {
  orgId: "00000000-0000-4000-8000-00000000a001",
  defaultProjectId: "00000000-0000-4000-8000-00000000b001",
  searchProdId: "00000000-0000-4000-8000-00000000b002",
} as const;

const PEOPLE = [
  { email: "owner@acme.test", name: "Olivia Owner", orgRole: "owner", searchProd: null },
  { email: "admin@acme.test", name: "Adam Admin", orgRole: "member", searchProd: "admin" },
  { email: "writer@acme.test", name: "Wendy Writer", orgRole: "member", searchProd: "read_write" },
  { email: "reader@acme.test", name: "Reed Reader", orgRole: "member", searchProd: "read_only" },
  { email: "member@acme.test", name: "Mia Member", orgRole: "member", searchProd: null },
] as const;

/** Loads the demo organization of docs/screens.md. Running it again changes nothing. */
export async function seedDemoData(db: Db): Promise<void> {
  await db.transaction(async (tx) => {
    await tx
      .insert(users)
      .values(PEOPLE.map((p) => ({ email: p.email, name: p.name })))
      .onConflictDoNothing();
    const all = await tx.select({ id: users.id, email: users.email }).from(users);
    const idOf = (email: string) => all.find((u) => u.email === email)!.id;
    await tx.insert(organizations).values({ id: DEMO.orgId, name: "Acme Vector" }).onConflictDoNothing();
    await tx
      .insert(projects)
      .values([
        { id: DEMO.defaultProjectId, orgId: DEMO.orgId, name: "Default Project", isDefault: true },
        { id: DEMO.searchProdId, orgId: DEMO.orgId, name: "Search Prod" },
      ])
      .onConflictDoNothing();
    await tx
      .insert(organizationMemberships)
      .values(PEOPLE.map((p) => ({ orgId: DEMO.orgId, userId: idOf(p.email), role: p.orgRole })))
      .onConflictDoNothing();
    await tx
      .insert(projectMemberships)
      .values([
        { orgId: DEMO.orgId, projectId: DEMO.defaultProjectId, userId: idOf("owner@acme.test"), role: "admin" as const },
        ...PEOPLE.filter((p) => p.searchProd).map((p) => ({
          orgId: DEMO.orgId,
          projectId: DEMO.searchProdId,
          userId: idOf(p.email),
          role: p.searchProd!,
        })),
      ])
      .onConflictDoNothing();
  });
}

/** Whether the database holds no organization yet (a fresh embedded database). */
export async function isEmpty(db: Db): Promise<boolean> {
  const [row] = await db.select({ n: count() }).from(organizations);
  return (row?.n ?? 0) === 0;
}
