"use client";

import { useEffect, useRef, useState } from "react";

type ScalarApp = { destroy: () => void };
type ScalarModule = { createApiReference: (element: HTMLElement, configuration: Record<string, unknown>) => ScalarApp };

/**
 * Everything that would reach another site is off: Scalar's fonts (we use the page's), its
 * telemetry, the Agent, MCP, developer tools and hosted client, and the request proxy (no proxyUrl: "Try it"
 * calls this origin directly, which is where the document's relative server "/api/v1" points).
 * API keys typed into "Try it" stay in memory (persistAuth is off).
 */
const CONFIGURATION = {
  url: "/api/v1/openapi.json",
  _integration: "nextjs",
  withDefaultFonts: false,
  telemetry: false,
  agent: { disabled: true },
  mcp: { disabled: true },
  showDeveloperTools: "never",
  // Its "Open API Client" button links to Scalar's hosted client with our document's address.
  hideClientButton: true,
  persistAuth: false,
  documentDownloadType: "json",
  forceDarkModeState: "light",
  hideDarkModeToggle: true,
  // Scalar's muted grey (#8e8e8e) is under 4.5:1 on its white and off-white backgrounds (axe
  // color-contrast); this one is 5.3:1 on white.
  customCss: ".light-mode { --scalar-color-3: #6b6b6b; }",
  defaultHttpClient: { targetKey: "shell", clientKey: "curl" },
  authentication: { preferredSecurityScheme: "apiKey" },
};

/**
 * Loads Scalar's module from our origin (scripts a trusted script loads are allowed by the CSP's
 * 'strict-dynamic') and mounts it here. A module script, not an inline one: nothing needs the
 * nonce, and it also runs after a client-side navigation.
 */
export function ScalarReference({ src }: { src: string }) {
  const mount = useRef<HTMLDivElement>(null);
  const [failed, setFailed] = useState(false);
  useEffect(() => {
    let app: ScalarApp | undefined;
    let cancelled = false;
    import(/* webpackIgnore: true */ /* turbopackIgnore: true */ src).then(
      (scalar: ScalarModule) => {
        if (!cancelled && mount.current) app = scalar.createApiReference(mount.current, CONFIGURATION);
      },
      () => setFailed(true),
    );
    return () => {
      cancelled = true;
      app?.destroy();
    };
  }, [src]);
  return (
    <>
      {failed && (
        <p role="alert" className="mx-auto max-w-4xl px-4 py-10">
          The interactive reference could not load. The document itself is at{" "}
          <a className="text-brand-700 underline" href="/api/v1/openapi.json">
            /api/v1/openapi.json
          </a>
          .
        </p>
      )}
      <div ref={mount} />
    </>
  );
}
