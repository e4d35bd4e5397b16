"use client";

import { ListSearch, useUrlFilter } from "@/components/ui/list-search";
import { ORG_ROLES, roleLabel } from "@/lib/membership/roles";

const ROLE_OPTIONS = ORG_ROLES.map((r) => ({ value: r, label: roleLabel(r) }));

/** The Members list's search and role filter: the shared ListSearch, its filter in the address (`q`, `role`), read by the server. */
export function MembersSearch() {
  const { filter, setFilter } = useUrlFilter("", "cursor");
  // Unnamed landmark, as before: "Search members" names the field alone, which people and tests look for.
  return (
    <ListSearch
      what="members"
      formLabel={null}
      placeholder="Search by name or email"
      roles={ROLE_OPTIONS}
      filter={filter}
      onFilter={setFilter}
    />
  );
}
