import { beforeEach, describe, expect, it, vi } from "vitest";
import { emailOutbox } from "@/db/schema";
import { deliverDue } from "@/lib/email/deliver";
import { sealContext, sealLink } from "@/lib/email/sealed";
import { createLocalMailboxTransport } from "@/lib/email/transport";
import { testTargets, useTestDatabase } from "../db";
import { after, clearEmailTables, enqueue, invitationPayload, outboxRow, signInPayload, T0 } from "./helpers";

const quiet = { error: vi.fn(), warn: vi.fn() };

describe.each(testTargets())("delivery safety on %s", (kind) => {
  const database = useTestDatabase(kind);

  beforeEach(async () => {
    await clearEmailTables(database.db);
  });

  it("does not send a sign-in link that expired while queued", async () => {
    const [id] = await enqueue(database.db, [{ to: "late@example.test", kind: "sign_in", payload: signInPayload(T0) }], T0);
    const result = await deliverDue(database.db, createLocalMailboxTransport(database.db), {
      now: after(T0, 25 * 3_600_000),
      logger: quiet,
    });
    expect(result).toMatchObject({ sent: 0, failed: 1 });
    const row = await outboxRow(database.db, id!);
    expect(row).toMatchObject({ status: "failed", lastError: "Expired before it could be delivered" });
    expect(row.payload).not.toHaveProperty("url");
  });

  it("keeps a link sealed with another secret for a sender that has the right one, instead of losing it", async () => {
    const payload = invitationPayload(T0);
    const [row] = await database.db
      .insert(emailOutbox)
      .values({
        to: "bob@example.test",
        kind: "invitation",
        payload: { ...payload, url: sealLink(payload.url, sealContext("invitation", "bob@example.test"), "another-secret") },
        nextAttemptAt: T0,
      })
      .returning({ id: emailOutbox.id });
    const result = await deliverDue(database.db, createLocalMailboxTransport(database.db), { now: T0, logger: quiet });
    expect(result).toMatchObject({ sent: 0, failed: 0, retrying: 1 });
    const stored = await outboxRow(database.db, row!.id);
    expect(stored.status).toBe("pending");
    expect(stored.lastError).toMatch(/different AUTH_SECRET/);
    expect(stored.payload).toHaveProperty("url");
  });
});
