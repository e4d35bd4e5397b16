import "server-only";
import type { Db } from "@/db/client";
import { ssoConnections } from "@/db/schema";
import { eq } from "drizzle-orm";
import type { SsoConnection } from "@/lib/sso/types";
import { isUuid } from "../access";

/** A connection by id (no actor: the sign-in routes read it), or null for an unknown or malformed id. */
export async function loadSsoConnection(db: Db, connectionId: string): Promise<SsoConnection | null> {
  if (!isUuid(connectionId)) return null;
  const [row] = await db.select().from(ssoConnections).where(eq(ssoConnections.id, connectionId));
  return row ?? null;
}
