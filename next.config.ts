import type { NextConfig } from "next";
import { PHASE_PRODUCTION_SERVER } from "next/constants";
import { parseEnv } from "./lib/env";

const nextConfig: NextConfig = {
  // PGlite ships WASM and resolves files by URL at run time; bundling it breaks every query.
  serverExternalPackages: ["@electric-sql/pglite", "pg"],
  poweredByHeader: false,
  // A self-contained server (.next/standalone) for the container image: only the files it needs.
  output: "standalone",
  // No page uses next/image: without the optimizer the image also leaves out sharp and libvips (~20 MB).
  images: { unoptimized: true },
  outputFileTracingExcludes: { "*": ["node_modules/sharp/**", "node_modules/@img/**"] },
  // /api-reference serves Scalar's browser build itself (app/api-reference/scalar-bundle.ts): only
  // these files, not the source maps or the rest of the package (Vue sources, its dependencies).
  outputFileTracingIncludes: {
    "/api-reference{,/**}": [
      "./node_modules/@scalar/api-reference/package.json",
      "./node_modules/@scalar/api-reference/dist/browser/standalone.esm.js",
      "./node_modules/@scalar/api-reference/dist/browser/chunks/*.js",
    ],
  },
  // `npm run typecheck` checks the whole repository (tests included) as its own CI step.
  typescript: { ignoreBuildErrors: true },
  // Same as ACTION_BODY_LIMIT_BYTES in lib/http/security-headers.ts (proxy.ts answers 413 first).
  experimental: { serverActions: { bodySizeLimit: "256kb" } },
  // Static files skip proxy.ts (which sets every other response's headers, CSP included).
  async headers() {
    return [
      {
        source: "/_next/:path*",
        headers: [
          { key: "X-Content-Type-Options", value: "nosniff" },
          { key: "X-Frame-Options", value: "DENY" },
          { key: "Referrer-Policy", value: "strict-origin-when-cross-origin" },
          { key: "Content-Security-Policy", value: "default-src 'none'; frame-ancestors 'none'" },
        ],
      },
    ];
  },
};

export default function config(phase: string): NextConfig {
  if (phase === PHASE_PRODUCTION_SERVER) {
    // `next start` loads this before it listens: a bad environment stops it here, every problem
    // listed, instead of a server that answers 500 (instrumentation.ts checks again for other starts).
    try {
      parseEnv(process.env);
    } catch (err) {
      console.error(err instanceof Error ? err.message : err);
      process.exit(1);
    }
  }
  return nextConfig;
}
