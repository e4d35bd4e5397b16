import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { handleApiRequest } from "@/lib/api/handler";
import { buildOpenApiDocument } from "@/lib/api/openapi";
import { OPERATIONS } from "@/lib/api/operations";
import { API_OPTIONS } from "./helpers";

const run = promisify(execFile);
type Doc = {
  openapi: string;
  paths: Record<string, Record<string, { operationId: string; requestBody?: { content: Record<string, { schema: unknown }> } }>>;
};

describe("the OpenAPI document", () => {
  const doc = buildOpenApiDocument() as unknown as Doc;

  it("is OpenAPI 3.1 with every operation, its request schema generated from the zod schema that validates it", () => {
    expect(doc.openapi).toBe("3.1.0");
    const ids = Object.values(doc.paths).flatMap((p) => Object.values(p).map((o) => o.operationId));
    expect(ids.sort()).toEqual(OPERATIONS.map((o) => o.id).sort());
    for (const op of OPERATIONS.filter((o) => o.body)) {
      const documented = doc.paths[op.path]![op.method.toLowerCase()]!.requestBody!.content["application/json"]!.schema;
      const { $schema: _s, ...generated } = z.toJSONSchema(op.body!, { io: "input" }) as Record<string, unknown>;
      expect(documented).toEqual(generated);
    }
  });

  it("is served at /api/v1/openapi.json without a key", async () => {
    const response = await handleApiRequest({} as never, new Request("http://console.test/api/v1/openapi.json"), API_OPTIONS);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual(JSON.parse(JSON.stringify(doc)));
  });

  it("passes Spectral's spectral:oas ruleset with no warning, hint or error, offline (.spectral.yaml)", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "openapi-"));
    try {
      const file = path.join(dir, "openapi.json");
      const report = path.join(dir, "spectral.json");
      writeFileSync(file, JSON.stringify(doc));
      const result = await run(
        path.resolve("node_modules/.bin/spectral"),
        ["lint", file, "--ruleset", path.resolve(".spectral.yaml"), "--format", "json", "--output", report, "--fail-severity", "hint"],
        {
          env: { ...process.env, NO_COLOR: "1" },
          timeout: 60_000,
        },
      ).catch((err: { stdout?: string; stderr?: string; code?: number }) => ({
        stdout: err.stdout ?? "",
        stderr: `${err.stderr ?? ""} (exit ${err.code})`,
      }));
      const findings = JSON.parse(readFileSync(report, "utf8")) as { code: string; message: string; path: string[] }[];
      expect(findings.map((f) => `${f.code} at ${f.path.join(".")}: ${f.message}`)).toEqual([]);
      expect(result.stderr).not.toMatch(/exit [1-9]/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("types `limit` as an integer from 1 to 50, and the API reads only plain digits as one", () => {
    const collaborators = OPERATIONS.find((o) => o.id === "listCollaborators")!;
    const documented = (
      doc.paths[collaborators.path]!.get as unknown as { parameters: { name: string; schema: unknown }[] }
    ).parameters.find((p) => p.name === "limit");
    expect(documented?.schema).toEqual({ type: "integer", minimum: 1, maximum: 50 });
    const parse = (limit: string) => collaborators.query!.safeParse({ limit });
    expect(parse("7")).toMatchObject({ success: true, data: { limit: 7 } });
    expect(parse("50")).toMatchObject({ success: true, data: { limit: 50 } });
    for (const bad of ["0", "51", "0x10", " 5", "5.0", "1e1", "", "abc", "-1"])
      expect({ bad, ok: parse(bad).success }).toEqual({ bad, ok: false });
  });

  it("passes Redocly's recommended-strict lint, offline", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "openapi-"));
    try {
      const file = path.join(dir, "openapi.json");
      writeFileSync(file, JSON.stringify(doc));
      const result = await run(
        path.resolve("node_modules/.bin/redocly"),
        ["lint", file, "--config", path.resolve("redocly.yaml"), "--format", "stylish"],
        {
          env: { ...process.env, REDOCLY_TELEMETRY: "off", REDOCLY_SUPPRESS_UPDATE_NOTICE: "true", NO_COLOR: "1" },
          timeout: 60_000,
        },
      ).catch((err: { stdout?: string; stderr?: string; code?: number }) => ({
        stdout: err.stdout ?? "",
        stderr: `${err.stderr ?? ""} (exit ${err.code})`,
      }));
      expect(`${result.stdout}\n${result.stderr}`).toContain("Your API description is valid");
      expect(`${result.stdout}\n${result.stderr}`).not.toMatch(/\b[1-9]\d* (problems?|warnings?|errors?)\b/i);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
