"use client";

import { ClientForm } from "@/components/ui/client-form";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { inputClass } from "@/components/ui/field";
import { useAction } from "@/components/ui/use-action";
import type { ScimGroupSummary } from "@/lib/membership/scim/list-scim-group-mappings";
import { PROJECT_ROLES, roleLabel, type ProjectRole } from "@/lib/membership/roles";
import { mapScimGroupAction, unmapScimGroupAction } from "../scim-group-actions";

/**
 * "SCIM groups" (issue 20): the groups the identity provider pushed, each with the project roles
 * its members get; an Owner adds a mapping (project + role) or removes one.
 */
export function ScimGroupMappings({
  orgId,
  groups,
  projects,
}: {
  orgId: string;
  groups: ScimGroupSummary[];
  projects: { id: string; name: string }[];
}) {
  return (
    <section aria-labelledby="scim-groups-heading" className="mt-6 rounded-lg border border-slate-200 p-4">
      <h2 id="scim-groups-heading" className="text-lg font-semibold">
        SCIM groups
      </h2>
      <p className="mt-1 text-sm text-slate-600">
        Give a group pushed by your identity provider a role on a project: its members get that role, and lose it when they leave the group.
        A person keeps the higher of the role given here and the one given in the console.
      </p>
      {groups.length === 0 ? (
        <p className="mt-3 text-sm text-slate-600">No groups yet. Push groups from your identity provider to map them to project roles.</p>
      ) : (
        <ul className="mt-3 space-y-4">
          {groups.map((g) => (
            <li key={g.id} aria-label={`Group ${g.displayName}`} className="rounded-md border border-slate-200 p-3">
              <p className="font-medium">
                <bdi>{g.displayName}</bdi>{" "}
                <span className="text-sm font-normal text-slate-600">
                  · {g.memberCount.toLocaleString("en-US")} {g.memberCount === 1 ? "member" : "members"}
                </span>
              </p>
              {g.mappings.length === 0 ? (
                <p className="mt-1 text-sm text-slate-600">Gives no project role.</p>
              ) : (
                <ul className="mt-2 space-y-1 text-sm">
                  {g.mappings.map((mp) => (
                    <li key={mp.projectId} className="flex flex-wrap items-center justify-between gap-2">
                      <span>
                        {roleLabel(mp.role)} on <bdi className="font-medium">{mp.projectName}</bdi>
                      </span>
                      <RemoveMappingButton orgId={orgId} groupId={g.id} groupName={g.displayName} mapping={mp} />
                    </li>
                  ))}
                </ul>
              )}
              <AddMappingForm orgId={orgId} group={g} projects={projects} />
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

function AddMappingForm({ orgId, group, projects }: { orgId: string; group: ScimGroupSummary; projects: { id: string; name: string }[] }) {
  const [projectId, setProjectId] = useState(projects[0]?.id ?? "");
  const [role, setRole] = useState<ProjectRole>("read_only");
  const map = useAction(mapScimGroupAction, {
    success: (data) => (
      <>
        Members of <bdi>{group.displayName}</bdi> now get {roleLabel(data.role)} on{" "}
        <bdi>{projects.find((p) => p.id === projectId)?.name ?? "the project"}</bdi>
      </>
    ),
  });
  if (projects.length === 0) return null;
  const id = (what: string) => `scim-map-${what}-${group.id}`;
  return (
    <ClientForm
      className="mt-3 flex flex-wrap items-end gap-2 text-sm"
      aria-label={`Add a mapping for ${group.displayName}`}
      onSubmit={() => map.run({ orgId, groupId: group.id, projectId, role })}
    >
      <div className="flex flex-col gap-1">
        <label htmlFor={id("project")}>Project</label>
        <select id={id("project")} className={`${inputClass} w-auto`} value={projectId} onChange={(e) => setProjectId(e.target.value)}>
          {projects.map((p) => (
            <option key={p.id} value={p.id} dir="auto">
              {p.name}
            </option>
          ))}
        </select>
      </div>
      <div className="flex flex-col gap-1">
        <label htmlFor={id("role")}>Role</label>
        <select id={id("role")} className={`${inputClass} w-auto`} value={role} onChange={(e) => setRole(e.target.value as ProjectRole)}>
          {PROJECT_ROLES.map((r) => (
            <option key={r} value={r}>
              {roleLabel(r)}
            </option>
          ))}
        </select>
      </div>
      <Button type="submit" size="sm" variant="secondary" pending={map.isPending}>
        Add mapping
      </Button>
    </ClientForm>
  );
}

function RemoveMappingButton({
  orgId,
  groupId,
  groupName,
  mapping,
}: {
  orgId: string;
  groupId: string;
  groupName: string;
  mapping: { projectId: string; projectName: string; role: ProjectRole };
}) {
  const unmap = useAction(unmapScimGroupAction, {
    success: () => (
      <>
        <bdi>{groupName}</bdi> no longer gives a role on <bdi>{mapping.projectName}</bdi>
      </>
    ),
  });
  return (
    <ConfirmDialog
      trigger={
        <Button variant="ghost" size="sm" aria-label={`Remove ${roleLabel(mapping.role)} on ${mapping.projectName} from ${groupName}`}>
          Remove
        </Button>
      }
      title={
        <>
          Stop giving {roleLabel(mapping.role)} on <bdi>{mapping.projectName}</bdi> to <bdi>{groupName}</bdi>?
        </>
      }
      description={
        <p>
          Members lose the role only this group gave them. A role given in the console or by another group stays, and a project keeps its
          last Project Admin.
        </p>
      }
      confirmLabel="Remove mapping"
      onConfirm={async () => (await unmap.run({ orgId, groupId, projectId: mapping.projectId })).ok}
    />
  );
}
