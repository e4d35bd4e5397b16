import { describe, expect, it } from "vitest";
import * as m from "@/lib/membership";
import { testTargets, useTestDatabase } from "../db";
import { addCollaborators, buildWorld, snapshot, uniqueEmail, worldOrgIds, type World } from "../membership/fixtures";
import { api } from "./helpers";

const ORG = (w: World) => `/organizations/${w.org.id}`;

/** A key sees what its grant lets it see, never what its creator sees beyond that. */
describe.each(testTargets())("a key's answers stay within its grant, on %s", (kind) => {
  const database = useTestDatabase(kind);

  const projectKey = async (w: World, grants: { projectId: string; role: m.ApiKeyRole }[], creator = w.actors.owner) =>
    (await m.createApiKey(database.db, creator, { orgId: w.org.id, name: "scoped", scope: "projects", projects: grants })).secret;

  it("an address invited to another project is skipped naming that project only when the key was given it", async () => {
    const w = await buildWorld(database.db);
    // The creator collaborates on the side project, as the founder does on the Default Project.
    await addCollaborators(database.db, { orgId: w.org.id, projectId: w.sideProject.id }, [{ user: w.actors.owner, role: "admin" }]);
    const email = (
      await m.inviteUsers(database.db, w.actors.owner, {
        orgId: w.org.id,
        projectId: w.sideProject.id,
        emails: [uniqueEmail("elsewhere", w.tag)],
        role: "read_only",
      })
    )[0]!.email;
    const invite = (key: string) =>
      api(database.db, key, "POST", `${ORG(w)}/projects/${w.project.id}/invitations`, { body: { emails: [email], role: "read_only" } });

    const outside = await invite(await projectKey(w, [{ projectId: w.project.id, role: "admin" }]));
    expect(outside.status).toBe(200);
    expect(outside.body.results).toEqual([{ email, outcome: "already_invited", otherProject: null }]);
    expect(JSON.stringify(outside.body)).not.toContain(w.sideProject.name);

    const inside = await invite(
      await projectKey(w, [
        { projectId: w.project.id, role: "admin" },
        { projectId: w.sideProject.id, role: "read_only" },
      ]),
    );
    expect(inside.body.results).toEqual([{ email, outcome: "already_invited", otherProject: w.sideProject.name }]);
  });

  it("the project list gives each project the role the key holds: the lower of its grant and its creator's", async () => {
    const w = await buildWorld(database.db);
    await addCollaborators(database.db, { orgId: w.org.id, projectId: w.project.id }, [{ user: w.actors.owner, role: "admin" }]);
    const roles = async (key: string) =>
      ((await api(database.db, key, "GET", `${ORG(w)}/projects`)).body.items as { id: string; role: string | null }[]).map((p) => [
        p.id,
        p.role,
      ]);

    expect(await roles(await projectKey(w, [{ projectId: w.project.id, role: "read_only" }]))).toEqual([[w.project.id, "read_only"]]);
    // An Owner counts as Project Admin where they are not listed: the key holds its grant.
    expect(await roles(await projectKey(w, [{ projectId: w.sideProject.id, role: "admin" }]))).toEqual([[w.sideProject.id, "admin"]]);
    // A Project Admin key of a Read-Only collaborator is Read-Only.
    await m.changeOrganizationRole(database.db, w.actors.owner, { orgId: w.org.id, userId: w.actors.readOnly.id, role: "owner" });
    const demotedCreatorKey = await projectKey(w, [{ projectId: w.project.id, role: "admin" }], w.actors.readOnly);
    await m.changeOrganizationRole(database.db, w.actors.owner, { orgId: w.org.id, userId: w.actors.readOnly.id, role: "member" });
    expect(await roles(demotedCreatorKey)).toEqual([[w.project.id, "read_only"]]);
  });

  it("renaming or deleting a project the key was not given is 404 and changes nothing; one it may see is 403", async () => {
    const w = await buildWorld(database.db);
    const sideOnly = await projectKey(w, [{ projectId: w.sideProject.id, role: "admin" }]);
    await api(database.db, sideOnly, "GET", "/organizations");
    const before = await snapshot(database.db, worldOrgIds(w));
    const rename = await api(database.db, sideOnly, "PATCH", `${ORG(w)}/projects/${w.project.id}`, { body: { name: "Taken over" } });
    const remove = await api(
      database.db,
      sideOnly,
      "DELETE",
      `${ORG(w)}/projects/${w.project.id}?confirmName=${encodeURIComponent(w.project.name)}`,
    );
    expect([rename.status, rename.body.code, remove.status, remove.body.code]).toEqual([404, "NOT_FOUND", 404, "NOT_FOUND"]);
    // The same answer as for a project that does not exist: nothing tells it apart.
    const missing = await api(database.db, sideOnly, "PATCH", `${ORG(w)}/projects/00000000-0000-4000-8000-000000000000`, {
      body: { name: "Taken over" },
    });
    expect(missing.body.detail).toBe(rename.body.detail);
    const own = await api(database.db, sideOnly, "PATCH", `${ORG(w)}/projects/${w.sideProject.id}`, { body: { name: "Taken over" } });
    expect([own.status, own.body.code]).toEqual([403, "FORBIDDEN"]);
    expect(await snapshot(database.db, worldOrgIds(w))).toEqual(before);
  });
});
