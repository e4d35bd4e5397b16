import { eq, sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { emailOutbox, mailboxMessages } from "@/db/schema";
import { deliverDue, type DeliverOptions, type DeliverResult } from "@/lib/email/deliver";
import type { AddedToProjectPayload, InvitationPayload, SignInPayload } from "@/lib/email/messages";
import { enqueueEmails, type OutboxMessage } from "@/lib/email/outbox";
import type { Transport } from "@/lib/email/transport";

export const T0 = new Date("2030-01-07T09:00:00.000Z");

/** `ms` after `date`. */
export function after(date: Date, ms: number): Date {
  return new Date(date.getTime() + ms);
}

export function invitationPayload(now: Date, overrides: Partial<InvitationPayload> = {}): InvitationPayload {
  return {
    url: "https://console.acme.test/invitations/accept?token=inv-secret-token",
    inviterName: "Ada Lovelace",
    inviterEmail: "ada@acme.test",
    organizationName: "Acme Vectors",
    projectName: "Embeddings Prod",
    roleLabel: "Project Read-Write",
    expiresAt: after(now, 48 * 3_600_000).toISOString(),
    ...overrides,
  };
}

export function addedPayload(overrides: Partial<AddedToProjectPayload> = {}): AddedToProjectPayload {
  return {
    url: "https://console.acme.test/projects/3f1c",
    inviterName: "Grace Hopper",
    inviterEmail: "grace@acme.test",
    organizationName: "Acme Vectors",
    projectName: "Search Staging",
    roleLabel: "Project Admin",
    ...overrides,
  };
}

export function signInPayload(now: Date): SignInPayload {
  return {
    url: "https://console.acme.test/api/auth/callback/resend?token=sign-in-secret",
    expiresAt: after(now, 24 * 3_600_000).toISOString(),
  };
}

/** `count` messages of all three kinds, to distinct recipients. */
export function sampleMessages(count: number, now: Date): OutboxMessage[] {
  return Array.from({ length: count }, (_, i): OutboxMessage => {
    const to = `user${i}@example.test`;
    if (i % 3 === 0)
      return {
        to,
        kind: "invitation",
        payload: invitationPayload(now, { url: `https://console.acme.test/invitations/accept?token=t${i}` }),
      };
    if (i % 3 === 1) return { to, kind: "added_to_project", payload: addedPayload() };
    return { to, kind: "sign_in", payload: signInPayload(now) };
  });
}

/** Enqueues in a committed transaction, as the app does. */
export async function enqueue(db: Db, messages: OutboxMessage[], now: Date): Promise<string[]> {
  return db.transaction((tx) => enqueueEmails(tx, messages, now));
}

/** Repeats deliverDue until a pass claims nothing; returns the summed counts. */
export async function drain(db: Db, transport: Transport, options: DeliverOptions): Promise<DeliverResult> {
  const total: DeliverResult = { claimed: 0, sent: 0, retrying: 0, failed: 0, released: 0, errors: 0 };
  for (;;) {
    const r = await deliverDue(db, transport, options);
    for (const k of Object.keys(total) as (keyof DeliverResult)[]) total[k] += r[k];
    if (r.claimed === 0) return total;
  }
}

export async function outboxRows(db: Db) {
  return db.select().from(emailOutbox).orderBy(emailOutbox.createdAt, emailOutbox.id);
}

export async function outboxRow(db: Db, id: string) {
  const [row] = await db.select().from(emailOutbox).where(eq(emailOutbox.id, id));
  if (!row) throw new Error(`no outbox row ${id}`);
  return row;
}

export async function clearEmailTables(db: Db): Promise<void> {
  await db.execute(sql`delete from ${mailboxMessages}`);
  await db.execute(sql`delete from ${emailOutbox}`);
}

/** Counts how often each value occurs. */
export function tally(values: (string | null)[]): Map<string | null, number> {
  const counts = new Map<string | null, number>();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  return counts;
}

/**
 * Resolves on the next sweeper pass that claimed nothing (the sweep is over), so a test can
 * wait for the sweeper to settle instead of sleeping.
 */
export function idleSignal() {
  let waiters: ((r: DeliverResult) => void)[] = [];
  const passes: DeliverResult[] = [];
  return {
    passes,
    onPass(result: DeliverResult) {
      passes.push(result);
      if (result.claimed !== 0) return;
      const ready = waiters;
      waiters = [];
      for (const w of ready) w(result);
    },
    next(): Promise<DeliverResult> {
      return new Promise((resolve) => waiters.push(resolve));
    },
  };
}
