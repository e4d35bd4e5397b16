import "server-only";
import { errorText } from "@/lib/error-text";
import { isDomainError } from "@/lib/membership/errors";
import type { z } from "zod";

/** The one result shape every server action returns. */
export type ActionResult<T> = { ok: true; data: T } | ActionRefusal;
/** An action's refusal: nothing was changed. */
export type ActionRefusal = {
  ok: false;
  message: string;
  code?: string;
  fieldErrors?: Record<string, string[]>;
  /**
   * A form action's fields as they were typed (`defineFormAction`), for its inputs' defaultValue:
   * React empties a form once its action returns, and a form the browser sent itself comes back
   * as a new page, so without them a refused name would have to be typed again.
   */
  values?: Record<string, string>;
};

/** Turns zod issues into a readable refusal; nothing was changed. */
export function invalidInput(error: z.ZodError): ActionRefusal {
  const fieldErrors: Record<string, string[]> = {};
  for (const issue of error.issues) {
    const key = String(issue.path[0] ?? "form");
    (fieldErrors[key] ??= []).push(issue.message);
  }
  const first = error.issues[0]?.message ?? "Check the form and try again.";
  return { ok: false, code: "INVALID", message: first, fieldErrors };
}

/**
 * Runs a domain call: expected refusals become their sentence; anything else is logged with
 * context and shown as a generic message, so no stack trace or SQL reaches the page.
 */
export async function runDomain<T>(context: string, fn: () => Promise<T>): Promise<ActionResult<T>> {
  try {
    return { ok: true, data: await fn() };
  } catch (err) {
    if (isDomainError(err)) return { ok: false, code: err.code, message: err.message, fieldErrors: err.fieldErrors };
    console.error(`[action] ${context} failed: ${errorText(err, { stack: true })}`);
    return { ok: false, code: "INTERNAL", message: "Something went wrong on our side. Nothing was changed; please try again." };
  }
}
