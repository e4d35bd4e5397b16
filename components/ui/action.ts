import type { ActionResult } from "@/lib/server/action-result";
import { NETWORK_ERROR } from "@/components/sentences";

/**
 * The one way the console calls a server action: the result's data, or an Error carrying the
 * server's sentence (a refusal) or the network sentence. Callers show `error.message` in a toast
 * or, inside a dialog, where the dialog says it.
 */
export async function unwrap<T>(promise: Promise<ActionResult<T>>): Promise<T> {
  let result: ActionResult<T>;
  try {
    result = await promise;
  } catch {
    throw new Error(NETWORK_ERROR);
  }
  if (!result.ok) throw new Error(result.message);
  return result.data;
}

/** For a confirmation dialog: runs the action, closes on success, and on refusal shows the sentence and keeps the dialog open. */
export async function confirmed(run: () => Promise<unknown>, onError: (message: string) => void): Promise<boolean> {
  try {
    await run();
    return true;
  } catch (err) {
    onError((err as Error).message);
    return false;
  }
}
