import { NextResponse, type NextRequest } from "next/server";
import { withDeliveryWords } from "@/components/ui/invitation-row";
import { listActivity, listCollaborators, listPendingInvitations } from "@/lib/membership";
import { runDomain } from "@/lib/server/action-result";
import { getActor } from "@/lib/auth/session";
import { getDb } from "@/lib/server/database";

type ListReader = (
  db: ReturnType<typeof getDb>,
  actor: Awaited<ReturnType<typeof getActor>>,
  input: { orgId: string; projectId: string; cursor?: string; q?: string; role?: string },
) => Promise<unknown>;

const LISTS: Record<string, ListReader> = {
  collaborators: listCollaborators,
  invitations: async (db, actor, input) => {
    const page = await listPendingInvitations(db, actor, input);
    return { ...page, items: page.items.map(withDeliveryWords) };
  },
  activity: listActivity,
};

// A damaged or forged cursor is the caller's mistake (400), never a reason to show something else.
const STATUS: Record<string, number> = { INVALID_CURSOR: 400, UNAUTHENTICATED: 401, FORBIDDEN: 403, NOT_FOUND: 404, INTERNAL: 500 };

/** The project's lists for the interactive page, 50 a page from `cursor`, `q` and `role` narrowing them, authorized like every other read. */
export async function GET(request: NextRequest, { params }: { params: Promise<{ orgId: string; projectId: string; list: string }> }) {
  const { orgId, projectId, list } = await params;
  const read = Object.hasOwn(LISTS, list) ? LISTS[list] : undefined;
  if (!read) return NextResponse.json({ ok: false, message: "Not found" }, { status: 404 });
  const search = request.nextUrl.searchParams;
  const cursor = search.get("cursor") ?? undefined;
  const filter = { q: search.get("q") ?? undefined, role: search.get("role") ?? undefined };
  const actor = await getActor();
  const result = await runDomain(`list ${list}`, () => read(getDb(), actor, { orgId, projectId, cursor, ...filter }));
  return NextResponse.json(result, {
    status: result.ok ? 200 : (STATUS[result.code ?? ""] ?? 400),
    headers: { "cache-control": "no-store" },
  });
}
