import "server-only";
import type { Db } from "@/db/client";
import { getEnv } from "@/lib/env";
import { startDomainRechecker, type DomainRechecker } from "@/lib/membership/domains/domain-rechecker";

const store = globalThis as unknown as { __domainRechecker?: DomainRechecker };

/**
 * Re-checks due domains inside the app process, as the outbox sweeper delivers there (also done
 * by `npm run worker`; rows are claimed, so both may run). DOMAIN_RECHECK_MS=0 leaves it to the worker.
 */
export function startDomainRechecks(db: Db): void {
  const intervalMs = getEnv().DOMAIN_RECHECK_MS;
  if (store.__domainRechecker || intervalMs === 0) return;
  store.__domainRechecker = startDomainRechecker(db, { intervalMs });
}
