import type { Metadata } from "next";
import Link from "next/link";
import { requireActor } from "@/lib/auth/session";
import { listProjects, roleLabel } from "@/lib/membership";
import { orNotFound } from "@/lib/server/or-not-found";
import { getDb } from "@/lib/server/database";
import { NewProjectForm } from "./new-project-form";
import { ProjectSettings } from "./project-settings";

export const metadata: Metadata = { title: "Projects" };

export default async function ProjectsPage({ params }: { params: Promise<{ orgId: string }> }) {
  const { orgId } = await params;
  const actor = await requireActor();
  const { org, projects } = await orNotFound(listProjects(getDb(), actor, { orgId }));
  return (
    <>
      <nav aria-label="Breadcrumb" className="text-sm text-slate-600">
        <Link href="/orgs" className="underline">
          Organizations
        </Link>{" "}
        /{" "}
        <span aria-current="page">
          <bdi>{org.name}</bdi>
        </span>
      </nav>
      <h1 className="mt-2 text-2xl font-semibold">
        <bdi>{org.name}</bdi>
      </h1>
      <p className="text-sm text-slate-600">
        Your role: {roleLabel(org.role)}
        {" · "}
        <Link href={`/orgs/${org.id}/members`} className="underline">
          Organization users
        </Link>
        {org.role === "owner" && (
          <>
            {" · "}
            <Link href={`/orgs/${org.id}/activity`} className="underline">
              Organization activity
            </Link>
            {" · "}
            <Link href={`/orgs/${org.id}/settings/api-keys`} className="underline">
              API keys
            </Link>
            {" · "}
            <Link href={`/orgs/${org.id}/settings/domains`} className="underline">
              Domains
            </Link>
            {" · "}
            <Link href={`/orgs/${org.id}/settings/sso`} className="underline">
              Single sign-on
            </Link>
            {" · "}
            <Link href={`/orgs/${org.id}/settings/webhooks`} className="underline">
              Webhooks
            </Link>
          </>
        )}
      </p>
      <h2 className="mt-6 text-lg font-semibold">Projects</h2>
      {projects.length === 0 ? (
        <p className="mt-2 text-slate-600">
          You are not a collaborator on any project of <bdi>{org.name}</bdi> yet.
        </p>
      ) : (
        <ul className="mt-3 grid gap-3 sm:grid-cols-2" aria-label="Projects">
          {projects.map((project) => (
            <li key={project.id}>
              <Link
                href={`/orgs/${org.id}/projects/${project.id}/members`}
                className="block rounded-lg border border-slate-200 bg-white p-4 shadow-sm hover:border-brand-600"
              >
                <bdi className="block break-words font-medium">{project.name}</bdi>
                <span className="text-sm text-slate-600">{project.role ? roleLabel(project.role) : "Organization Owner access"}</span>
              </Link>
              {org.role === "owner" && <ProjectSettings orgId={org.id} project={project} />}
            </li>
          ))}
        </ul>
      )}
      {org.role === "owner" ? (
        <NewProjectForm orgId={org.id} />
      ) : (
        <p className="mt-6 text-sm text-slate-600">Only an Organization Owner can create projects.</p>
      )}
    </>
  );
}
