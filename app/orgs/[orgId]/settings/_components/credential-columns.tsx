import type { ReactNode } from "react";
import { RevokeButton } from "@/components/ui/revoke-button";
import { Ellipsis, Table, type Column } from "@/components/ui/table";
import type { ActionResult } from "@/lib/server/action-result";
import { formatDateTimeUtc } from "@/lib/time";

/** What an API key and a SCIM token have in common: a name, a shown prefix, who made it, when it was used and revoked. */
interface Credential {
  id: string;
  name: string;
  prefix: string;
  createdAt: Date;
  createdByEmail: string | null;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
}

export const when = (d: Date | null) => (d ? formatDateTimeUtc(d) : "Never");

/**
 * The columns of a credentials table: Name, the prefix (`secret` is its header), `extra` columns,
 * Created, Last used, Status and a "Revoke" button (for one not revoked yet) that runs `revoke.action`.
 */
interface CredentialColumns<T> {
  secret: string;
  extra?: Column<T>[];
  status: (row: T) => ReactNode;
  revoke: { what: string; consequence: string; action: (input: unknown) => Promise<ActionResult<unknown>>; input: (row: T) => unknown };
}

export function credentialColumns<T extends Credential>({ secret, extra = [], status, revoke }: CredentialColumns<T>): Column<T>[] {
  return [
    { header: "Name", cell: (c) => <Ellipsis text={c.name} className="font-medium" /> },
    { header: secret, width: "w-32", cell: (c) => <span className="whitespace-nowrap font-mono">{c.prefix}…</span> },
    ...extra,
    {
      header: "Created",
      cell: (c) => (
        <>
          {when(c.createdAt)}
          <Ellipsis text={`by ${c.createdByEmail ?? "a former member"}`} className="text-slate-600" />
        </>
      ),
    },
    { header: "Last used", width: "w-36", cell: (c) => when(c.lastUsedAt) },
    { header: "Status", cell: status },
    {
      header: "Actions",
      srOnlyHeader: true,
      width: "w-24",
      className: "lg:text-right",
      cell: (c) =>
        !c.revokedAt && (
          <RevokeButton what={revoke.what} name={c.name} consequence={revoke.consequence} action={revoke.action} input={revoke.input(c)} />
        ),
    },
  ];
}

/** A table of credentials (`rows`), with the columns of `credentialColumns`. */
export function CredentialsTable<T extends Credential>({
  label,
  rows,
  empty,
  ...columns
}: { label: string; rows: T[]; empty: string } & CredentialColumns<T>) {
  return <Table label={label} rows={rows} rowKey={(c) => c.id} empty={empty} columns={credentialColumns(columns)} />;
}
