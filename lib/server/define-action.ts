import "server-only";
import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import type { z } from "zod";
import type { Db } from "@/db/client";
import { getActor } from "@/lib/auth/session";
import type { Actor } from "@/lib/membership/types";
import { invalidInput, runDomain, type ActionRefusal, type ActionResult } from "./action-result";
import { getDb } from "./database";
import { deliverAfterResponse } from "./mailer";

/** A server action as the client calls it: any argument, one result shape. */
export type Action<T> = (raw: unknown) => Promise<ActionResult<T>>;
/** A form's server action (useActionState): the previous result and the form; a success redirects. */
export type FormAction<T> = (prev: ActionResult<T> | null, formData: FormData) => Promise<ActionResult<T>>;

/** What a success makes stale: a path, or a path with "layout" for everything below it. */
export type Revalidation = string | [path: string, type: "layout" | "page"];

export interface ActionSpec<S extends z.ZodType, T> {
  /** The zod schema of the argument; a refusal is answered with its messages, nothing changed. */
  schema: S;
  /** The domain verb, with the signed-in actor (or null: the verb's guard refuses). */
  run: (db: Db, actor: Actor | null, input: z.output<S>) => Promise<T>;
  /** Whether a success may have queued emails, delivered once the response has gone out. */
  sendsEmail?: boolean;
  /** Pages a success changes, re-rendered for the next request. */
  revalidate?: (input: z.output<S>, data: T) => Revalidation | null;
}

async function perform<S extends z.ZodType, T>(
  name: string,
  spec: ActionSpec<S, T>,
  actor: Actor | null,
  raw: unknown,
): Promise<ActionRefusal | { ok: true; input: z.output<S>; data: T }> {
  const input = spec.schema.safeParse(raw);
  if (!input.success) return invalidInput(input.error);
  const result = await runDomain(name, () => spec.run(getDb(), actor, input.data));
  if (!result.ok) return result;
  if (spec.sendsEmail) deliverAfterResponse();
  const stale = spec.revalidate?.(input.data, result.data);
  if (typeof stale === "string") revalidatePath(stale);
  else if (stale) revalidatePath(...stale);
  return { ok: true, input: input.data, data: result.data };
}

/**
 * The one way a server action runs: session → zod → domain verb (its refusals become their
 * sentence) → after-response mail → revalidation. `name` labels the log line of an unexpected failure.
 */
export function defineAction<S extends z.ZodType, T>(name: string, spec: ActionSpec<S, T>): Action<T> {
  return async (raw) => {
    const actor = await getActor();
    const done = await perform(name, spec, actor, raw);
    if (!done.ok) return done;
    return { ok: true, data: done.data };
  };
}

/**
 * A form action: the same steps over the fields `read` takes from the form, then a redirect to
 * where the success leads. Anyone can call an action with arguments of their choosing: when
 * `notAForm` is given, anything but a form is refused with it.
 */
export function defineFormAction<S extends z.ZodType, T>(
  name: string,
  spec: ActionSpec<S, T> & { read: (form: FormData) => unknown; notAForm?: string; redirect: (input: z.output<S>, data: T) => string },
): FormAction<T> {
  return async (_prev, formData) => {
    const actor = await getActor();
    if (spec.notAForm !== undefined && !(formData instanceof FormData)) return { ok: false, code: "INVALID", message: spec.notAForm };
    const raw = spec.read(formData);
    const done = await perform(name, spec, actor, raw);
    if (!done.ok) return { ...done, values: typedValues(raw) };
    redirect(spec.redirect(done.input, done.data));
  };
}

/** The text fields of what `read` took from a form (an uploaded file or a missing field is left out). */
function typedValues(raw: unknown): Record<string, string> {
  if (!raw || typeof raw !== "object") return {};
  return Object.fromEntries(Object.entries(raw).filter((entry): entry is [string, string] => typeof entry[1] === "string"));
}
