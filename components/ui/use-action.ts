"use client";

import { QueryClientContext, type QueryKey } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useContext, useState, type ReactNode } from "react";
import { toast } from "sonner";
import { NETWORK_ERROR } from "@/components/sentences";
import type { ActionRefusal, ActionResult } from "@/lib/server/action-result";

interface ActionOptions<I, T> {
  /** The success toast, if the outcome is said in one. */
  success?: (data: T, input: I) => ReactNode;
  /** Where a refusal is said: a toast unless a dialog or a form says it itself. */
  onError?: (refusal: ActionRefusal, input: I) => void;
  onSuccess?: (data: T, input: I) => void;
  /** Shows the change at once; the function it returns puts things back if the server refuses. */
  optimistic?: (input: I) => Promise<(() => void) | undefined> | (() => void) | undefined;
  /**
   * The TanStack lists the change touches, refetched in the background once the call settles.
   * Server-rendered views need nothing: the action's `revalidatePath` redraws them in its response.
   */
  invalidate?: QueryKey;
  /** Only for an action that revalidates nothing (declining an invitation) but whose page shows the outcome. */
  refresh?: boolean;
}

/**
 * The one way the console calls a server action and shows its outcome: pending state, the
 * server's sentence (or the network sentence) in a toast or where the caller says it, optimistic
 * change and rollback, and the one refresh: invalidating TanStack lists (server-rendered pages are
 * redrawn by the action's own `revalidatePath`). `run` resolves to the result, never throws.
 */
export function useAction<I, T>(action: (input: I) => Promise<ActionResult<T>>, options: ActionOptions<I, T> = {}) {
  const queryClient = useContext(QueryClientContext);
  const router = useRouter();
  const [running, setRunning] = useState<{ input: I } | null>(null);

  async function run(input: I): Promise<ActionResult<T>> {
    const call = { input };
    setRunning(call);
    const rollback = await options.optimistic?.(input);
    let result: ActionResult<T>;
    try {
      result = await action(input);
    } catch {
      result = { ok: false, code: "NETWORK", message: NETWORK_ERROR };
    }
    if (result.ok) {
      if (options.success) toast.success(options.success(result.data, input));
      options.onSuccess?.(result.data, input);
      if (options.refresh) router.refresh();
    } else {
      rollback?.();
      if (options.onError) options.onError(result, input);
      else toast.error(result.message);
    }
    // Not awaited: the refetch runs in the background and never holds a control busy.
    if (options.invalidate && queryClient) void queryClient.invalidateQueries({ queryKey: options.invalidate });
    setRunning((current) => (current === call ? null : current));
    return result;
  }

  return { run, isPending: running !== null, input: running?.input };
}
