import { describe, expect, it } from "vitest";
import { inviteUsers } from "@/lib/membership";
import { testTargets, useTestDatabase } from "../db";
import { addCollaborators, addOrgMembers, BASE_URL, buildWorld, createUser, pendingInvitationsFor } from "./fixtures";

describe.each(testTargets())("an address with a pending invitation to another project, on %s", (kind) => {
  const database = useTestDatabase(kind);

  it("is skipped with the other project named, and still has exactly one pending invitation", async () => {
    const w = await buildWorld(database.db);
    const email = w.strangerInvitation.email;
    const outcomes = await inviteUsers(
      database.db,
      w.actors.owner,
      { orgId: w.org.id, projectId: w.sideProject.id, emails: [email], role: "admin" },
      { baseUrl: BASE_URL },
    );
    expect(outcomes).toEqual([{ email, outcome: "already_invited", otherProject: w.project.name }]);
    const same = await inviteUsers(
      database.db,
      w.actors.owner,
      { orgId: w.org.id, projectId: w.project.id, emails: [email.toUpperCase()], role: "admin" },
      { baseUrl: BASE_URL },
    );
    expect(same).toEqual([{ email, outcome: "already_invited" }]);
    expect(await pendingInvitationsFor(database.db, w.org.id, email)).toHaveLength(1);
  });

  it("does not name a project the inviter cannot see", async () => {
    const w = await buildWorld(database.db);
    const sideAdmin = await createUser(database.db, "sideadmin");
    await addOrgMembers(database.db, w.org.id, [{ user: sideAdmin, role: "member" }]);
    await addCollaborators(database.db, { orgId: w.org.id, projectId: w.sideProject.id }, [{ user: sideAdmin, role: "admin" }]);
    const email = w.strangerInvitation.email;
    const outcomes = await inviteUsers(
      database.db,
      sideAdmin,
      { orgId: w.org.id, projectId: w.sideProject.id, emails: [email], role: "read_only" },
      { baseUrl: BASE_URL },
    );
    expect(outcomes).toEqual([{ email, outcome: "already_invited", otherProject: null }]);
    expect(JSON.stringify(outcomes)).not.toContain(w.project.name);
  });
});
