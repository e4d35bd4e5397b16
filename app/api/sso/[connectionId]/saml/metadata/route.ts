import type { NextRequest } from "next/server";
import { loadSsoConnection } from "@/lib/membership/sso/load-sso-connection";
import { getDb } from "@/lib/server/database";
import { samlSpMetadata } from "@/lib/sso/saml";

export const dynamic = "force-dynamic";

/**
 * This console's SAML service provider metadata for one connection (its URL is also our entity
 * id): what an identity provider imports. Public, as metadata is; unknown ids are 404.
 */
export async function GET(_request: NextRequest, { params }: { params: Promise<{ connectionId: string }> }): Promise<Response> {
  const { connectionId } = await params;
  const connection = await loadSsoConnection(getDb(), connectionId);
  if (!connection || connection.kind !== "saml")
    return new Response("No SAML connection has this address.", { status: 404, headers: { "content-type": "text/plain; charset=utf-8" } });
  return new Response(samlSpMetadata(connection), {
    headers: { "content-type": "application/samlmetadata+xml; charset=utf-8", "cache-control": "public, max-age=300" },
  });
}
