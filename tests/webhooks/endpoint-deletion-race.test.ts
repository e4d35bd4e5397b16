import { and, count, eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { activity, webhookDeliveries, webhookEndpoints } from "@/db/schema";
import * as m from "@/lib/membership";
import { lockWaiters, testTargets, until, useTestDatabase } from "../db";
import { attempt, buildWorld } from "../membership/fixtures";
import { startReceiver, type Receiver } from "./receiver";

/**
 * A change reads its organization's webhook endpoints FOR KEY SHARE, in the statement that writes
 * its activity, and writes the events and deliveries after it. An endpoint deleted in between
 * must wait for the change to commit (its deliveries then go with it), not vanish under it and fail
 * the change on the deliveries' foreign key. Server only: PGlite runs one transaction at a time.
 */
describe.each(testTargets().filter((k) => k === "postgres"))(
  "deleting a webhook endpoint while a change records its event, on %s",
  (kind) => {
    const database = useTestDatabase(kind, { max: 4 });
    let receiver: Receiver;
    beforeAll(async () => {
      receiver = await startReceiver();
    });
    afterAll(async () => {
      await receiver.close();
    });

    it("the deletion waits for the change, which commits with its activity; the endpoint's deliveries go with the endpoint", async () => {
      const w = await buildWorld(database.db);
      const { endpoint } = await m.createWebhookEndpoint(
        database.db,
        w.actors.owner,
        { orgId: w.org.id, url: receiver.url, eventTypes: ["collaborator.role_changed"] },
        { now: w.now },
      );
      const blocker = database.connectAgain(1);
      const changer = database.connectAgain(2);
      const deleter = database.connectAgain(2);

      // A third session holds webhook_events, so the change stops just after its endpoints read, at
      // the insert of its event.
      let release!: () => void;
      const released = new Promise<void>((resolve) => (release = resolve));
      let holdingNow!: () => void;
      const held = new Promise<void>((resolve) => (holdingNow = resolve));
      const holding = blocker.db.transaction(async (tx) => {
        await tx.execute(sql`lock table webhook_events in share mode`);
        holdingNow();
        await released;
      });
      await held;

      const change = attempt(() =>
        m.changeRole(
          changer.db,
          w.actors.owner,
          { orgId: w.org.id, projectId: w.project.id, userId: w.target.id, role: "read_write" },
          { now: w.now },
        ),
      );
      await until(database.db, async () => (await lockWaiters(database.db, 'insert into "webhook_events"%')) > 0);

      let deletionDone = false;
      const deletion = attempt(() =>
        m.deleteWebhookEndpoint(deleter.db, w.actors.owner, { orgId: w.org.id, endpointId: endpoint.id }),
      ).finally(() => (deletionDone = true));
      await until(database.db, async () => deletionDone || (await lockWaiters(database.db, '%"webhook_endpoints"%')) > 0);
      expect(deletionDone, "the deletion went through while the change that read the endpoint was still open").toBe(false);

      release();
      await holding;
      const changed = await change;
      expect(changed.ok, changed.ok ? "" : String(changed.error)).toBe(true);
      expect((await deletion).ok).toBe(true);
      const [recorded] = await database.db
        .select({ n: count() })
        .from(activity)
        .where(and(eq(activity.orgId, w.org.id), eq(activity.action, "member.role_changed")));
      expect(recorded!.n).toBe(1);
      expect(await database.db.select().from(webhookEndpoints).where(eq(webhookEndpoints.id, endpoint.id))).toEqual([]);
      expect(await database.db.select().from(webhookDeliveries).where(eq(webhookDeliveries.endpointId, endpoint.id))).toEqual([]);
    });
  },
);
