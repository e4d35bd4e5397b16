import { and, count, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { emailOutbox, webhookDeliveries, webhookEndpoints, webhookEvents } from "@/db/schema";
import * as m from "@/lib/membership";
import { deliverDueWebhooks } from "@/lib/webhooks/deliver-webhooks";
import { testTargets, useTestDatabase } from "../db";
import { BASE_URL, buildWorld, type World } from "../membership/fixtures";
import { deliverAll, deliveriesOf, expectDocumented, LIMITS } from "./helpers";
import { startReceiver, type Receiver } from "./receiver";

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

describe.each(testTargets())("webhook delivery on %s", (kind) => {
  const database = useTestDatabase(kind);
  let receiver: Receiver;
  beforeAll(async () => {
    receiver = await startReceiver();
  });
  afterAll(async () => {
    await receiver.close();
  });

  async function endpointFor(w: World, eventTypes: string[], url = receiver.url) {
    const created = await m.createWebhookEndpoint(database.db, w.actors.owner, { orgId: w.org.id, url, eventTypes }, { now: w.now });
    return created;
  }

  /** A new world whose endpoint (for `eventTypes`) is the receiver, which knows its secret, has received nothing and is down. */
  async function worldWithReceiverDown(eventTypes: string[]) {
    const db = database.db;
    const w = await buildWorld(db);
    const { endpoint, secret } = await endpointFor(w, eventTypes);
    receiver.secrets = [secret];
    receiver.received = [];
    receiver.mode = "down";
    return { db, w, endpoint };
  }

  it("an invite, a role change and a removal each arrive signed (standardwebhooks verifies) and as the OpenAPI webhooks section documents", async () => {
    const db = database.db;
    const w = await buildWorld(db);
    const { endpoint, secret } = await endpointFor(w, ["invitation.created", "collaborator.role_changed", "member.removed"]);
    expect(secret).toMatch(/^whsec_/);
    receiver.secrets = [secret];
    receiver.received = [];
    const invitee = `new.${w.tag}@example.test`;
    await m.inviteUsers(
      db,
      w.actors.owner,
      { orgId: w.org.id, projectId: w.project.id, emails: [invitee], role: "read_only" },
      { now: w.now, baseUrl: BASE_URL, limits: LIMITS },
    );
    await m.changeRole(
      db,
      w.actors.owner,
      { orgId: w.org.id, projectId: w.project.id, userId: w.target.id, role: "read_write" },
      { now: w.now },
    );
    await m.removeOrganizationMember(db, w.actors.owner, { orgId: w.org.id, userId: w.actors.member.id }, { now: w.now });
    // Not subscribed: a project's plain collaborator removal is collaborator.removed.
    await m.removeCollaborator(
      db,
      w.actors.owner,
      { orgId: w.org.id, projectId: w.project.id, userId: w.actors.readOnly.id },
      { now: w.now },
    );

    await deliverAll(db, w.now);

    expect(receiver.unverified).toEqual([]);
    const byType = new Map(receiver.received.map((r) => [r.payload.type, r]));
    expect([...byType.keys()].sort()).toEqual(["collaborator.role_changed", "invitation.created", "member.removed"]);
    for (const r of receiver.received) {
      expectDocumented(r);
      expect(r.payload.id).toBe(r.id);
      expect(r.payload.organizationId).toBe(w.org.id);
    }
    expect(byType.get("invitation.created")!.payload.data).toMatchObject({
      email: invitee,
      newRole: "read_only",
      project: { id: w.project.id, name: w.project.name },
      actor: { type: "user", id: w.actors.owner.id, email: w.actors.owner.email },
    });
    expect(byType.get("collaborator.role_changed")!.payload.data).toMatchObject({
      email: w.target.email,
      userId: w.target.id,
      oldRole: "read_only",
      newRole: "read_write",
      project: { id: w.project.id, name: w.project.name },
    });
    expect(byType.get("member.removed")!.payload.data).toMatchObject({ email: w.actors.member.email, userId: w.actors.member.id });
    // No secret in any body.
    for (const r of receiver.received) expect(r.body).not.toContain("whsec_");
    const log = await m.listWebhookDeliveries(db, w.actors.owner, { orgId: w.org.id, endpointId: endpoint.id });
    expect(log.map((d) => [d.status, d.attempts, d.responseCode])).toEqual(log.map(() => ["delivered", 1, 204]));
  });

  it("a change that rolls back writes no event; an organization without endpoints writes none", async () => {
    const db = database.db;
    const w = await buildWorld(db);
    const before = await db.select({ n: count() }).from(webhookEvents);
    await m.changeRole(
      db,
      w.actors.owner,
      { orgId: w.org.id, projectId: w.project.id, userId: w.target.id, role: "admin" },
      { now: w.now },
    );
    await endpointFor(w, ["collaborator.role_changed"]);
    await expect(
      db.transaction(async (tx) => {
        await m.changeRole(
          tx,
          w.actors.owner,
          { orgId: w.org.id, projectId: w.project.id, userId: w.target.id, role: "read_write" },
          { now: w.now },
        );
        throw new Error("roll back");
      }),
    ).rejects.toThrow("roll back");
    const after = await db.select({ n: count() }).from(webhookEvents);
    expect(after[0]!.n).toBe(before[0]!.n);
  });

  it("with the receiver down for 10 minutes of simulated time, every event arrives once it is up", async () => {
    const { db, w, endpoint } = await worldWithReceiverDown(["invitation.created"]);
    const T0 = w.now;
    const emails = [1, 2, 3].map((i) => `down${i}.${w.tag}@example.test`);
    for (const email of emails) {
      await m.inviteUsers(
        db,
        w.actors.owner,
        { orgId: w.org.id, projectId: w.project.id, emails: [email], role: "read_only" },
        { now: T0, baseUrl: BASE_URL, limits: LIMITS },
      );
    }
    const requestsBefore = receiver.requests;
    let t = T0.getTime();
    for (; t <= T0.getTime() + 10 * MINUTE; t += 15_000) await deliverAll(db, new Date(t));
    expect(receiver.requests - requestsBefore).toBeGreaterThanOrEqual(3 * 4);
    expect(receiver.received).toEqual([]);
    expect((await deliveriesOf(db, endpoint.id)).every((d) => d.status === "pending" && d.responseCode === 503)).toBe(true);

    receiver.mode = "up";
    for (; receiver.received.length < 3 && t <= T0.getTime() + 2 * HOUR; t += 15_000) await deliverAll(db, new Date(t));
    expect(receiver.received.map((r) => (r.payload.data as { email: string }).email).sort()).toEqual([...emails].sort());
    expect(new Set(receiver.received.map((r) => r.id)).size).toBe(3);
    expect((await deliveriesOf(db, endpoint.id)).map((d) => d.status)).toEqual(["delivered", "delivered", "delivered"]);
  });

  it("after a day of failures the delivery has failed, the endpoint is failing and its Owners are emailed once; Redeliver sends the same id", async () => {
    const { db, w, endpoint } = await worldWithReceiverDown(["collaborator.role_changed"]);
    const T0 = w.now;
    await m.changeRole(
      db,
      w.actors.owner,
      { orgId: w.org.id, projectId: w.project.id, userId: w.target.id, role: "read_write" },
      { now: T0 },
    );
    await m.changeRole(
      db,
      w.actors.owner,
      { orgId: w.org.id, projectId: w.project.id, userId: w.target.id, role: "read_only" },
      { now: T0 },
    );
    for (let t = T0.getTime(); t <= T0.getTime() + 25 * HOUR; t += 10 * MINUTE) await deliverAll(db, new Date(t));
    const deliveries = await deliveriesOf(db, endpoint.id);
    expect(deliveries.map((d) => d.status)).toEqual(["failed", "failed"]);
    // 30 s doubling, capped at an hour: about 30 attempts in the day.
    expect(deliveries[0]!.attempts).toBeGreaterThan(20);
    const [row] = await db.select().from(webhookEndpoints).where(eq(webhookEndpoints.id, endpoint.id));
    expect(row!.status).toBe("failing");
    const mails = await db
      .select()
      .from(emailOutbox)
      .where(and(eq(emailOutbox.kind, "webhook_failing"), eq(emailOutbox.to, w.actors.owner.email)));
    expect(mails).toHaveLength(1);

    receiver.mode = "up";
    const again = await m.redeliverWebhook(
      db,
      w.actors.owner,
      { orgId: w.org.id, endpointId: endpoint.id, deliveryId: deliveries[0]!.id },
      { now: new Date(T0.getTime() + 26 * HOUR) },
    );
    expect(again.eventId).toBe(deliveries[0]!.eventId);
    await deliverAll(db, new Date(T0.getTime() + 26 * HOUR));
    expect(receiver.received.map((r) => r.id)).toEqual([deliveries[0]!.eventId]);
    const [recovered] = await db.select().from(webhookEndpoints).where(eq(webhookEndpoints.id, endpoint.id));
    expect(recovered!.status).toBe("active");
  });

  it("a rotated secret: both sign during the 24-hour overlap, then only the new one", async () => {
    const db = database.db;
    const w = await buildWorld(db);
    const { endpoint, secret: oldSecret } = await endpointFor(w, ["member.role_changed"]);
    const { secret: newSecret } = await m.rotateWebhookSecret(
      db,
      w.actors.owner,
      { orgId: w.org.id, endpointId: endpoint.id },
      { now: w.now },
    );
    receiver.secrets = [oldSecret, newSecret];
    receiver.received = [];
    await m.sendTestWebhook(db, w.actors.owner, { orgId: w.org.id, endpointId: endpoint.id }, { now: w.now });
    await deliverAll(db, w.now);
    const later = new Date(w.now.getTime() + 25 * HOUR);
    await m.sendTestWebhook(db, w.actors.owner, { orgId: w.org.id, endpointId: endpoint.id }, { now: later });
    await deliverAll(db, later);
    expect(receiver.received.map((r) => r.verifiedWith)).toEqual([[0, 1], [1]]);
    expectDocumented(receiver.received[0]!);
  });

  it("a 3xx answer is a failed attempt; the redirect is not followed", async () => {
    const db = database.db;
    const w = await buildWorld(db);
    const { endpoint, secret } = await endpointFor(w, ["member.role_changed"]);
    receiver.secrets = [secret];
    receiver.mode = "redirect";
    const before = receiver.requests;
    await m.sendTestWebhook(db, w.actors.owner, { orgId: w.org.id, endpointId: endpoint.id }, { now: w.now });
    await deliverAll(db, w.now);
    receiver.mode = "up";
    const [d] = await deliveriesOf(db, endpoint.id);
    expect(d).toMatchObject({ status: "pending", responseCode: 302, lastError: "redirects are not followed" });
    expect(receiver.requests - before).toBe(1);
  });

  it("one endpoint that never answers does not hold up another", async () => {
    const db = database.db;
    const w = await buildWorld(db);
    const slow = await startReceiver();
    slow.mode = "hang";
    try {
      const a = await endpointFor(w, ["member.role_changed"], slow.url);
      const b = await endpointFor(w, ["member.role_changed"]);
      receiver.secrets = [b.secret];
      receiver.received = [];
      receiver.mode = "up";
      await m.sendTestWebhook(db, w.actors.owner, { orgId: w.org.id, endpointId: a.endpoint.id }, { now: w.now });
      await m.sendTestWebhook(db, w.actors.owner, { orgId: w.org.id, endpointId: b.endpoint.id }, { now: w.now });
      let passDone = false;
      // 2 s: ample for the fast endpoint's local answer, even on a busy machine.
      const pass = deliverDueWebhooks(db, { now: w.now, allowLoopback: true, timeoutMs: 2_000 }).then((r) => {
        passDone = true;
        return r;
      });
      await receiver.waitFor(1);
      // The fast endpoint got its event while the slow one was still being waited for.
      expect(passDone).toBe(false);
      const result = await pass;
      expect(result).toMatchObject({ claimed: 2, delivered: 1, retrying: 1 });
      const [slowDelivery] = await deliveriesOf(db, a.endpoint.id);
      expect(slowDelivery!.lastError).toContain("no answer within 2 s");
    } finally {
      await slow.close();
    }
  });

  it("deleting an endpoint takes its deliveries; nothing more is sent to it", async () => {
    const db = database.db;
    const w = await buildWorld(db);
    const { endpoint } = await endpointFor(w, ["member.role_changed"]);
    await m.sendTestWebhook(db, w.actors.owner, { orgId: w.org.id, endpointId: endpoint.id }, { now: w.now });
    await m.deleteWebhookEndpoint(db, w.actors.owner, { orgId: w.org.id, endpointId: endpoint.id });
    expect(await db.select().from(webhookDeliveries).where(eq(webhookDeliveries.endpointId, endpoint.id))).toEqual([]);
  });
});
