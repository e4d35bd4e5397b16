import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { emailOutbox } from "@/db/schema";
import { claimDue, deliverIds } from "@/lib/email/deliver";
import type { Transport } from "@/lib/email/transport";
import { inviteUsers, resendInvitation, revokeInvitation } from "@/lib/membership";
import { testTargets, useTestDatabase } from "../db";
import { BASE_URL, buildWorld, uniqueEmail } from "./fixtures";

describe.each(testTargets())("superseded invitation emails on %s", (kind) => {
  const database = useTestDatabase(kind);

  async function invite() {
    const w = await buildWorld(database.db);
    const email = uniqueEmail("late");
    const t0 = new Date();
    const [outcome] = await inviteUsers(
      database.db,
      w.actors.admin,
      { orgId: w.org.id, projectId: w.project.id, emails: [email], role: "read_only" },
      { now: t0, baseUrl: BASE_URL },
    );
    if (outcome?.outcome !== "invited") throw new Error("expected an invitation");
    const ids = { orgId: w.org.id, projectId: w.project.id, invitationId: outcome.invitationId };
    return { w, ids, t0, rows: () => database.db.select().from(emailOutbox).where(eq(emailOutbox.invitationId, outcome.invitationId)) };
  }

  it("a resend cancels the undelivered earlier email, so a dead link is never sent late", async () => {
    const { w, ids, t0, rows } = await invite();
    await resendInvitation(database.db, w.actors.admin, ids, { now: new Date(t0.getTime() + 61_000), baseUrl: BASE_URL });
    const emails = await rows();
    expect(emails).toHaveLength(2);
    const [older, newer] = [...emails].sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime());
    expect(older).toMatchObject({ status: "cancelled", lastError: "Cancelled: a newer invitation email replaced it" });
    expect(older!.payload).not.toHaveProperty("url");
    expect(newer).toMatchObject({ status: "pending" });
    expect(newer!.payload).toHaveProperty("url");
  });

  it("a revoke cancels the undelivered email", async () => {
    const { w, ids, rows } = await invite();
    await revokeInvitation(database.db, w.actors.owner, ids);
    const [email] = await rows();
    expect(email).toMatchObject({ status: "cancelled", lastError: "Cancelled: the invitation was revoked" });
    expect(email!.payload).not.toHaveProperty("url");
  });

  it("a revoke also cancels the email a sender is sending right now; a lapsed claim does not revive it", async () => {
    const { w, ids, t0, rows } = await invite();
    const claimed = await claimDue(database.db, { now: t0, limit: 1000 });
    const [email] = await rows();
    expect(claimed.map((c) => c.id)).toContain(email!.id);
    expect(email!.status).toBe("sending");
    await revokeInvitation(database.db, w.actors.owner, ids, { now: t0 });
    expect((await rows())[0]).toMatchObject({ status: "cancelled", lastError: "Cancelled: the invitation was revoked" });
    // Long after the claim lapsed, a sweep finds nothing of it to send.
    const later = await claimDue(database.db, { now: new Date(t0.getTime() + 3_600_000), limit: 1000 });
    expect(later.map((c) => c.id)).not.toContain(email!.id);
  });

  it("a message the provider accepted while it was being cancelled stays sent, with its own send time", async () => {
    const { w, ids, t0, rows } = await invite();
    const [email] = await rows();
    let sends = 0;
    const transport: Transport = {
      name: "test",
      async send() {
        sends++;
        // The revoke lands while the request is at the provider, which then accepts it.
        await revokeInvitation(database.db, w.actors.owner, ids, { now: t0 });
        expect((await rows())[0]).toMatchObject({ status: "cancelled" });
        return { providerMessageId: "accepted-1" };
      },
    };
    const result = await deliverIds(database.db, transport, [email!.id], { now: t0 });
    expect(result).toMatchObject({ sent: 1 });
    expect(sends).toBe(1);
    const [after] = await rows();
    expect(after).toMatchObject({ status: "sent", providerMessageId: "accepted-1" });
    expect(after!.sentAt!.getTime()).toBeGreaterThanOrEqual(t0.getTime());
  });

  it("a message whose send failed after it was cancelled stays cancelled (no retry revives it)", async () => {
    const { w, ids, t0, rows } = await invite();
    const [email] = await rows();
    const transport: Transport = {
      name: "test",
      async send() {
        await revokeInvitation(database.db, w.actors.owner, ids, { now: t0 });
        throw new Error("connection reset");
      },
    };
    expect(await deliverIds(database.db, transport, [email!.id], { now: t0 })).toMatchObject({ sent: 0 });
    expect((await rows())[0]).toMatchObject({ status: "cancelled" });
  });
});
