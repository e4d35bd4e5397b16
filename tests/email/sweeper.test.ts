import { describe, expect, it, vi } from "vitest";
import type { Db } from "@/db/client";
import { startSweeper } from "@/lib/email/sweeper";
import type { Transport } from "@/lib/email/transport";

describe("startSweeper", () => {
  it("logs a failing sweep and keeps going until stopped", async () => {
    let calls = 0;
    // Stands in for a database that is down: every claim throws.
    const brokenDb = new Proxy(
      {},
      {
        get: () => () => {
          calls += 1;
          throw new Error("connection refused");
        },
      },
    ) as Db;
    const transport: Transport = { name: "none", send: () => Promise.reject(new Error("unreachable")) };
    const logged: unknown[][] = [];
    let onLogged: (() => void) | undefined;
    const logger = {
      warn: vi.fn(),
      error: (...args: unknown[]) => {
        logged.push(args);
        onLogged?.();
      },
    };
    const nextLog = () => new Promise<void>((resolve) => (onLogged = resolve));

    const first = nextLog();
    const sweeper = startSweeper(brokenDb, transport, { intervalMs: 3_600_000, logger });
    await first;
    const second = nextLog();
    sweeper.wake();
    await second;
    await sweeper.stop();

    expect(calls).toBe(2);
    expect(logged).toHaveLength(2);
    expect(String(logged[0]?.[1])).toContain("connection refused");
  });
});
