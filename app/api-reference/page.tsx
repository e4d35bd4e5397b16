import type { Metadata } from "next";
import { buildOpenApiDocument } from "@/lib/api/openapi";

export const metadata: Metadata = { title: "API reference" };

type Schema = Record<string, unknown>;
interface Parameter {
  name: string;
  in: string;
  required: boolean;
  description?: string;
  schema: Schema;
}
interface Operation {
  operationId: string;
  summary: string;
  tags: string[];
  parameters: Parameter[];
  requestBody?: { content: { "application/json": { schema: Schema } } };
  responses: Record<string, { description: string; content?: Record<string, { schema: Schema }> }>;
}

const METHOD_STYLE: Record<string, string> = {
  get: "bg-sky-100 text-sky-900",
  post: "bg-emerald-100 text-emerald-900",
  patch: "bg-amber-100 text-amber-900",
  delete: "bg-rose-100 text-rose-900",
};

/** A readable reference of /api/v1, rendered on our own origin from the served OpenAPI document (no CDN script). */
export default function ApiReferencePage() {
  const doc = buildOpenApiDocument() as { info: { title: string; description: string }; paths: Record<string, Record<string, Operation>> };
  const operations = Object.entries(doc.paths).flatMap(([path, methods]) => Object.entries(methods).map(([method, op]) => ({ path, method, op })));
  return (
    <main id="main" className="mx-auto max-w-4xl px-4 py-10">
      <h1 className="text-2xl font-semibold">{doc.info.title}</h1>
      <p className="mt-3 text-slate-700">{doc.info.description}</p>
      <p className="mt-2 text-slate-700">
        The machine-readable description is at{" "}
        <a className="text-brand-700 underline" href="/api/v1/openapi.json">
          /api/v1/openapi.json
        </a>{" "}
        (OpenAPI 3.1). Every POST accepts an <code>Idempotency-Key</code> header.
      </p>
      <nav aria-label="Endpoints" className="mt-6">
        <ul className="space-y-1 text-sm">
          {operations.map(({ path, method, op }) => (
            <li key={op.operationId}>
              <a className="font-mono text-brand-700 underline" href={`#${op.operationId}`}>
                {method.toUpperCase()} <ApiPath path={path} />
              </a>{" "}
              — {op.summary}
            </li>
          ))}
        </ul>
      </nav>
      {operations.map(({ path, method, op }) => {
        const success = Object.entries(op.responses).find(([status]) => status.startsWith("2"));
        const errors = Object.keys(op.responses).filter((status) => !status.startsWith("2"));
        return (
          <section key={op.operationId} id={op.operationId} className="mt-10 border-t border-slate-200 pt-6">
            <h2 className="flex flex-wrap items-center gap-2 text-lg font-semibold">
              <span className={`rounded px-2 py-0.5 font-mono text-sm ${METHOD_STYLE[method] ?? ""}`}>{method.toUpperCase()}</span>
              <span className="font-mono text-base">
                <ApiPath path={`/api/v1${path}`} />
              </span>
            </h2>
            <p className="mt-2 text-slate-700">{op.summary}</p>
            {op.parameters.length > 0 && (
              <>
                <h3 className="mt-4 font-medium">Parameters</h3>
                <ul className="mt-1 space-y-1 text-sm">
                  {op.parameters.map((p) => (
                    <li key={`${p.in}-${p.name}`}>
                      <code className="whitespace-nowrap font-mono">{p.name}</code>{" "}
                      <span className="text-slate-600">
                        (in {p.in}
                        {p.required ? "" : ", optional"})
                      </span>{" "}
                      {p.description ?? (typeof p.schema.pattern === "string" ? `Matches ${p.schema.pattern}` : "")}
                    </li>
                  ))}
                </ul>
              </>
            )}
            {op.requestBody && (
              <>
                <h3 className="mt-4 font-medium">Request body (application/json)</h3>
                <pre tabIndex={0} aria-label={`Request body of ${op.operationId}`} className="mt-1 overflow-x-auto rounded bg-slate-50 p-3 text-xs">{JSON.stringify(op.requestBody.content["application/json"].schema, null, 2)}</pre>
              </>
            )}
            {success && (
              <>
                <h3 className="mt-4 font-medium">Response {success[0]}</h3>
                <pre tabIndex={0} aria-label={`Response of ${op.operationId}`} className="mt-1 max-h-96 overflow-auto rounded bg-slate-50 p-3 text-xs">{JSON.stringify(success[1].content?.["application/json"]?.schema ?? {}, null, 2)}</pre>
              </>
            )}
            <p className="mt-3 text-sm text-slate-600">Errors (application/problem+json): {errors.join(", ")}.</p>
          </section>
        );
      })}
    </main>
  );
}

/** A long path that may wrap only between its segments, never inside one. */
function ApiPath({ path }: { path: string }) {
  return path
    .split(/(?=\/)/)
    .map((segment, i) => (
      <span key={i}>
        {i > 0 && <wbr />}
        <span className="whitespace-nowrap">{segment}</span>
      </span>
    ));
}
