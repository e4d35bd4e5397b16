import { readScalarFile, SCALAR_VERSION } from "@/app/api-reference/scalar-bundle";

/**
 * Scalar's browser files for /api-reference. The version is in the path and chunk names carry a
 * content hash, so each URL always answers the same bytes and browsers may keep them for a year.
 */
export async function GET(_request: Request, { params }: { params: Promise<{ version: string; file: string[] }> }) {
  const { version, file } = await params;
  const bytes = version === SCALAR_VERSION ? readScalarFile(file.join("/")) : null;
  if (!bytes)
    return new Response("Not found.", {
      status: 404,
      headers: { "content-type": "text/plain; charset=utf-8", "cache-control": "no-store" },
    });
  return new Response(new Uint8Array(bytes), {
    headers: { "content-type": "text/javascript; charset=utf-8", "cache-control": "public, max-age=31536000, immutable" },
  });
}
