import type { Metadata } from "next";
import { ScalarReference } from "./_components/scalar-reference";
import { SCALAR_VERSION } from "./scalar-bundle";

export const metadata: Metadata = { title: "API reference" };

/** The interactive reference of /api/v1 (Scalar, served from our origin) over the served OpenAPI document. */
export default function ApiReferencePage() {
  return (
    // Scalar renders its own <main>; this is only the skip link's target.
    <div id="main">
      <noscript>
        <p className="mx-auto max-w-4xl px-4 py-10">
          The interactive reference needs JavaScript. The OpenAPI 3.1 document is at <a href="/api/v1/openapi.json">/api/v1/openapi.json</a>
          .
        </p>
      </noscript>
      <ScalarReference src={`/api-reference/scalar/${SCALAR_VERSION}/standalone.esm.js`} />
    </div>
  );
}
