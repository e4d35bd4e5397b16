"use server";

import { z } from "zod";
import { saveSamlConnection, ZId, zName, type SavedSamlConnection } from "@/lib/membership";
import { defineAction, type Action } from "@/lib/server/define-action";

// A server action body is at most 256 KiB (next.config.ts): larger metadata is given by its URL.
const MAX_PASTED_METADATA = 250_000;

const ZSaveSaml = z.discriminatedUnion("source", [
  z.object({
    orgId: ZId,
    name: zName("connection"),
    source: z.literal("url"),
    metadataUrl: z.string().trim().min(1, "Enter the metadata URL").max(2048, "A URL has at most 2,048 characters"),
  }),
  z.object({
    orgId: ZId,
    name: zName("connection"),
    source: z.literal("xml"),
    metadataXml: z
      .string()
      .trim()
      .min(1, "Paste the identity provider's metadata XML")
      .max(MAX_PASTED_METADATA, "Metadata this large cannot be pasted: give its URL instead"),
  }),
]);

/** Connects the organization to a SAML 2.0 identity provider from its metadata URL or XML (Organization Owners only). */
export const saveSamlConnectionAction: Action<SavedSamlConnection> = defineAction("saveSamlConnection", {
  schema: ZSaveSaml,
  run: (db, actor, input) =>
    saveSamlConnection(db, actor, {
      orgId: input.orgId,
      name: input.name,
      metadataUrl: input.source === "url" ? input.metadataUrl : null,
      metadataXml: input.source === "xml" ? input.metadataXml : null,
    }),
  revalidate: (input) => `/orgs/${input.orgId}/settings/sso`,
});
