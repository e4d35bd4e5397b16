import { eq } from "drizzle-orm";
import { Resend } from "resend";
import type { Db } from "@/db/client";
import { mailboxMessages } from "@/db/schema";
import { getEnv, isLocalMailbox } from "@/lib/env";

export interface OutgoingEmail {
  /** The outbox row id; doubles as the provider's idempotency key. */
  id: string;
  to: string;
  from: string;
  subject: string;
  html: string;
  text: string;
}

export interface Transport {
  /** Stored in email_outbox.provider ("resend", "local"). */
  readonly name: string;
  /** Hands one message to the provider; throws DeliveryError on failure. */
  send(msg: OutgoingEmail): Promise<{ providerMessageId: string }>;
}

/** A failed hand-off. `retryable` says whether trying the same message later can succeed. */
export class DeliveryError extends Error {
  readonly retryable: boolean;
  readonly status: number | null;
  /** The provider's Retry-After, when it sent one. */
  readonly retryAfterMs: number | null;

  constructor(message: string, options: { retryable: boolean; status?: number | null; retryAfterMs?: number | null; cause?: unknown }) {
    super(message, { cause: options.cause });
    this.name = "DeliveryError";
    this.retryable = options.retryable;
    this.status = options.status ?? null;
    this.retryAfterMs = options.retryAfterMs ?? null;
  }
}

/** Delivers into the local mailbox table (development, tests, offline e2e). */
export function createLocalMailboxTransport(db: Db): Transport {
  return {
    name: "local",
    async send(msg) {
      // A retried or reclaimed message must not show up twice in the mailbox: outbox_id is unique.
      const inserted = await db
        .insert(mailboxMessages)
        .values({ outboxId: msg.id, to: msg.to, subject: msg.subject, html: msg.html, text: msg.text })
        .onConflictDoNothing({ target: mailboxMessages.outboxId })
        .returning({ id: mailboxMessages.id });
      const id =
        inserted[0]?.id ??
        (await db.select({ id: mailboxMessages.id }).from(mailboxMessages).where(eq(mailboxMessages.outboxId, msg.id)))[0]?.id;
      if (!id) throw new DeliveryError("Local mailbox insert returned no row", { retryable: true });
      return { providerMessageId: id };
    },
  };
}

export interface ResendTransportOptions {
  apiKey: string;
  /** Defaults to the package's own default (RESEND_BASE_URL, else https://api.resend.com). */
  baseUrl?: string;
  /**
   * Per-request limit. Keep it well under the outbox claim (60 s): a send that outlives its
   * claim can be picked up and sent again by another instance.
   */
  timeoutMs?: number;
}

const DEFAULT_TIMEOUT_MS = 15_000;

/** Delivers through Resend's HTTP API, with the outbox id as the idempotency key. */
export function createResendTransport(options: ResendTransportOptions): Transport {
  const baseUrl = options.baseUrl?.replace(/\/+$/, "");
  const resend = new Resend(options.apiKey, baseUrl ? { baseUrl } : undefined);
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  return {
    name: "resend",
    async send(msg) {
      // The package never throws for HTTP or network failures: it returns { error } with
      // statusCode null when no response arrived (including our abort on timeout).
      const result = await resend.emails.send(
        { from: msg.from, to: msg.to, subject: msg.subject, html: msg.html, text: msg.text },
        // Resend keeps the key for 24 h: a retry after a timeout whose request did arrive
        // returns the first message instead of sending a second one.
        { idempotencyKey: msg.id, signal: AbortSignal.timeout(timeoutMs) },
      );
      if (result.error) {
        const status = typeof result.error.statusCode === "number" ? result.error.statusCode : null;
        const retryable = isRetryable(status, result.error.name);
        const what = status === null ? `no response within ${timeoutMs} ms or network error` : `HTTP ${status}`;
        throw new DeliveryError(`Resend: ${what}: ${result.error.message}`, {
          retryable,
          status,
          retryAfterMs: parseRetryAfter(result.headers?.["retry-after"]),
        });
      }
      if (!result.data?.id) throw new DeliveryError("Resend: response without a message id", { retryable: true });
      return { providerMessageId: result.data.id };
    },
  };
}

function isRetryable(status: number | null, name: string | undefined): boolean {
  if (status === null) return true; // timeout, connection refused, DNS: the provider may be fine later
  if (status === 429 || status >= 500) return true;
  // Two requests with one key overlapped (a reclaimed message): the first one decides; ask again.
  if (status === 409 && name === "concurrent_idempotent_requests") return true;
  // A bad or restricted API key is an operator's mistake that affects every message; retrying
  // (up to the attempt cap) gives time to fix it instead of failing every pending invitation.
  if (status === 401 || status === 403) return true;
  return false; // 400, 404, 422...: this message will never be accepted as it is
}

function parseRetryAfter(value: string | undefined): number | null {
  if (!value) return null;
  const seconds = Number(value);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const at = Date.parse(value);
  return Number.isNaN(at) ? null : Math.max(0, at - Date.now());
}

/** The transport the environment asks for: Resend with RESEND_API_KEY, else the local mailbox. */
export function createTransportFromEnv(db: Db): Transport {
  const env = getEnv();
  if (isLocalMailbox(env) || !env.RESEND_API_KEY) return createLocalMailboxTransport(db);
  return createResendTransport({ apiKey: env.RESEND_API_KEY, baseUrl: env.RESEND_BASE_URL });
}
