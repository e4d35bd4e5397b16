import { vi } from "vitest";
import type { Actor } from "@/lib/membership";

/**
 * The framework around a server action (or route), replaced for the tests that call one directly,
 * as a request would reach it: who is signed in (`doubles.actor`), which database (`doubles.db`),
 * and the cache (the paths given to `revalidatePath` are kept in `doubles.revalidated`). The domain
 * runs for real. Import this module before the action's own module (which the test imports with
 * `await import(...)`), so the action is built with these in place.
 */
export const doubles = { actor: null as Actor | null, db: null as unknown, revalidated: [] as string[] };

vi.mock("@/lib/auth/session", () => ({ getActor: async () => doubles.actor }));
vi.mock("@/lib/server/database", () => ({ getDb: () => doubles.db }));
vi.mock("next/cache", () => ({ revalidatePath: (path: string) => void doubles.revalidated.push(path) }));
