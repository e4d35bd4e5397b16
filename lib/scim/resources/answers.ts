import { listResponse } from "../discovery";
import type { ScimAnswer } from "../types";

/** One page of a resource list as a list answer (RFC 7644 §3.4.2), each item as `toJson` writes it. */
export function listed<T>(page: { items: T[]; total: number }, toJson: (item: T) => unknown, startIndex: number): ScimAnswer {
  return { status: 200, body: listResponse(page.items.map(toJson), page.total, startIndex) };
}

/** A resource just created: 201 with its JSON, and its address in Location. */
export function created(json: { meta: { location: string } }): ScimAnswer {
  return { status: 201, body: json, headers: { location: json.meta.location } };
}
