/**
 * Renders every email template with sample data (`npm run email:preview`) into
 * .data/email-preview/<kind>.html and .txt, for a look in a browser or a text editor.
 */
import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import type { EmailKind, EmailPayloads } from "@/lib/email/messages";
import { renderEmail } from "@/lib/email/render";

const OUT_DIR = path.resolve(process.cwd(), ".data/email-preview");

async function main(): Promise<void> {
  const now = new Date();
  const hours = (h: number) => new Date(now.getTime() + h * 3_600_000).toISOString();
  const samples: { [K in EmailKind]: EmailPayloads[K] } = {
    invitation: {
      url: "http://localhost:3000/invitations/accept?token=preview-invitation-token",
      inviterName: "Ada Lovelace",
      inviterEmail: "ada@acme.test",
      organizationName: "Acme Vectors",
      projectName: "Embeddings Prod",
      roleLabel: "Project Read-Write",
      expiresAt: hours(48),
    },
    added_to_project: {
      url: "http://localhost:3000/projects/3f1c2a",
      inviterName: "Grace Hopper",
      inviterEmail: "grace@acme.test",
      organizationName: "Acme Vectors",
      projectName: "Search Staging",
      roleLabel: "Project Admin",
    },
    sign_in: { url: "http://localhost:3000/api/auth/callback/resend?token=preview-sign-in-token", expiresAt: hours(24) },
    webhook_failing: {
      url: "http://localhost:3000/orgs/3f1c2a/settings/webhooks",
      organizationName: "Acme Vectors",
      endpointUrl: "https://hooks.acme.test/console",
    },
  };

  await mkdir(OUT_DIR, { recursive: true });
  for (const kind of Object.keys(samples) as EmailKind[]) {
    const email = await renderEmail(kind, samples[kind], { now });
    const base = path.join(OUT_DIR, kind.replaceAll("_", "-"));
    await writeFile(`${base}.html`, email.html);
    await writeFile(`${base}.txt`, `Subject: ${email.subject}\n\n${email.text}\n`);
    console.log(`${kind}: "${email.subject}"\n  ${base}.html\n  ${base}.txt`);
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
