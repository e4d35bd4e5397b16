"use server";

import { z } from "zod";
import { MAX_CONSOLE_SAML_METADATA, saveSamlConnection, ZId, zName, ZSamlMetadataUrl, type SavedSamlConnection } from "@/lib/membership";
import { defineAction, type Action } from "@/lib/server/define-action";

const ZSaveSaml = z.discriminatedUnion("source", [
  z.object({
    orgId: ZId,
    name: zName("connection"),
    source: z.literal("url"),
    metadataUrl: ZSamlMetadataUrl.min(1, "Enter the metadata URL"),
  }),
  z.object({
    orgId: ZId,
    name: zName("connection"),
    source: z.literal("xml"),
    metadataXml: z
      .string()
      .trim()
      .min(1, "Paste the identity provider's metadata XML")
      .max(MAX_CONSOLE_SAML_METADATA, "Metadata this large cannot be pasted: give its URL instead"),
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
