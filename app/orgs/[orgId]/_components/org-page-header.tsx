import Link from "next/link";
import type { ReactNode } from "react";

/** "<organization> / <page>": the organization's name links back to its projects. */
export function OrgBreadcrumb({ orgId, orgName, page }: { orgId: string; orgName: string; page: string }) {
  return (
    <nav aria-label="Breadcrumb" className="text-sm text-slate-600">
      <Link href={`/orgs/${orgId}/projects`} className="underline">
        <bdi>{orgName}</bdi>
      </Link>{" "}
      / <span aria-current="page">{page}</span>
    </nav>
  );
}

/** A settings page's top: the breadcrumb, the page's heading and what the page is for (`children`). */
export function SettingsHeader({
  orgId,
  orgName,
  title,
  children,
}: {
  orgId: string;
  orgName: string;
  title: string;
  children: ReactNode;
}) {
  return (
    <>
      <OrgBreadcrumb orgId={orgId} orgName={orgName} page={title} />
      <h1 className="mt-2 text-2xl font-semibold">{title}</h1>
      <p className="mt-1 text-sm text-slate-600">{children}</p>
    </>
  );
}

/** A titled section listing a settings page's items (`id` names its heading for the section's label). */
export function ItemListSection({ id, title, children }: { id: string; title: string; children: ReactNode }) {
  return (
    <section aria-labelledby={id} className="mt-8">
      <h2 id={id} className="text-lg font-semibold">
        {title}
      </h2>
      {children}
    </section>
  );
}
