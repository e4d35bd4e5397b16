import { describe, expect, it } from "vitest";
import { renderEmail, renderStoredEmail } from "@/lib/email/render";
import { expiryLabel } from "@/lib/membership/invitations/invitation-rules";
import { addedPayload, after, invitationPayload, signInPayload, T0 } from "./helpers";

describe("renderEmail", () => {
  it("renders an invitation with inviter, organization, project, role, expiry and link", async () => {
    const payload = invitationPayload(T0);
    const email = await renderEmail("invitation", payload, { now: T0 });
    expect(email.subject).toBe("You're invited to join Embeddings Prod on Acme Vectors");
    for (const body of [email.html, email.text]) {
      expect(body).toContain("Ada Lovelace");
      expect(body).toContain("ada@acme.test");
      expect(body).toContain("Acme Vectors");
      expect(body).toContain("Embeddings Prod");
      expect(body).toContain("Project Read-Write");
      expect(body).toContain("This invitation expires in 48 hours");
      expect(body).toMatch(/not expecting this invitation/);
    }
    expect(email.html).toContain(`href="${payload.url}"`);
    expect(email.text).toContain(payload.url);
  });

  it("counts the invitation's expiry from the moment it is rendered", async () => {
    const email = await renderEmail("invitation", invitationPayload(T0), { now: after(T0, 6 * 3_600_000) });
    expect(email.text).toContain("This invitation expires in 42 hours");
    const late = await renderEmail("invitation", invitationPayload(T0), { now: after(T0, 49 * 3_600_000) });
    expect(late.text).toContain("This invitation has expired");
  });

  it("says the time left in the pending list's words: 110 minutes before expiry both say 2 hours", async () => {
    const now = after(T0, 48 * 3_600_000 - 110 * 60_000);
    const email = await renderEmail("invitation", invitationPayload(T0), { now });
    expect(email.text).toContain("This invitation expires in 2 hours");
    expect(expiryLabel(after(T0, 48 * 3_600_000), now)).toBe("Expires in 2 hours");
  });

  it("escapes names instead of injecting markup, and keeps subjects on one line", async () => {
    const email = await renderEmail("invitation", invitationPayload(T0, { projectName: "<b>x</b>\r\nBcc: evil@example.test" }), {
      now: T0,
    });
    expect(email.html).not.toContain("<b>x</b>");
    expect(email.subject).toBe("You're invited to join <b>x</b> Bcc: evil@example.test on Acme Vectors");
  });

  it("renders the added-to-project notice with a link to the project", async () => {
    const payload = addedPayload();
    const email = await renderEmail("added_to_project", payload);
    expect(email.subject).toBe("You were added to Search Staging");
    expect(email.html).toContain(`href="${payload.url}"`);
    expect(email.text).toContain(payload.url);
    expect(email.text).toContain("Project Admin");
  });

  it("renders the sign-in link with its expiry", async () => {
    const payload = signInPayload(T0);
    const email = await renderEmail("sign_in", payload, { now: T0 });
    expect(email.subject).toBe("Sign in to Acme Console");
    expect(email.html).toContain(`href="${payload.url.replaceAll("&", "&amp;")}"`);
    expect(email.text).toContain(payload.url);
    expect(email.text).toContain("This link expires in 24 hours");
  });

  it("refuses a stored payload that lacks a field", async () => {
    // projectName may be absent (an organization invitation); roleLabel never.
    const { roleLabel: _omit, ...rest } = invitationPayload(T0);
    await expect(renderStoredEmail("invitation", rest)).rejects.toThrow(/Invalid invitation email payload: roleLabel/);
  });
});
