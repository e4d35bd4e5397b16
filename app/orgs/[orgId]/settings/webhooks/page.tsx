import type { Metadata } from "next";
import { requireActor } from "@/lib/auth/session";
import { getOrganizationOverview, listWebhookDeliveries, listWebhookEndpoints } from "@/lib/membership";
import { SECRET_OVERLAP_MS } from "@/lib/membership/webhooks/webhook-rules";
import { orNotFound } from "@/lib/server/or-not-found";
import { getDb } from "@/lib/server/database";
import { readClock } from "@/lib/time";
import { ItemListSection, SettingsHeader } from "../../_components/org-page-header";
import { AddEndpointForm } from "./_components/add-endpoint-form";
import { DeliveryLog } from "./_components/delivery-log";
import { EndpointItem } from "./_components/endpoint-item";

export const metadata: Metadata = { title: "Webhooks" };

/**
 * An organization's webhook endpoints: Organization Owners add, change, test, rotate and delete them
 * and read one endpoint's delivery log at a time (`?log=<endpoint id>`); everyone else gets "not found".
 */
export default async function WebhooksPage({
  params,
  searchParams,
}: {
  params: Promise<{ orgId: string }>;
  searchParams: Promise<{ log?: string | string[] }>;
}) {
  const { orgId } = await params;
  const { log } = await searchParams;
  const actor = await requireActor();
  const db = getDb();
  const overview = await orNotFound(getOrganizationOverview(db, actor, { orgId }));
  const endpoints = await orNotFound(listWebhookEndpoints(db, actor, { orgId }));
  const open = endpoints.find((e) => e.id === log) ?? null;
  const deliveries = open ? await orNotFound(listWebhookDeliveries(db, actor, { orgId, endpointId: open.id })) : [];
  const renderedAt = readClock();
  return (
    <>
      <SettingsHeader orgId={orgId} orgName={overview.org.name} title="Webhooks">
        An endpoint receives the membership changes it asks for (invitations, roles, removals, keys, single sign-on) as JSON POSTs signed
        per Standard Webhooks. A delivery that gets no 2xx answer is retried with backoff for 24 hours; then the endpoint is marked failing
        and the Owners get an email. The payloads are described in the{" "}
        <a className="underline" href="/api-reference">
          API reference
        </a>
        .
      </SettingsHeader>
      <AddEndpointForm orgId={orgId} />
      <ItemListSection id="endpoints-heading" title="Endpoints">
        {endpoints.length === 0 ? (
          <p className="mt-3 rounded-lg border border-dashed border-slate-300 bg-white px-4 py-6 text-center text-slate-600">
            No endpoints yet. Add one above to have the organization&apos;s membership changes sent to it.
          </p>
        ) : (
          <ul aria-label="Endpoints" className="mt-3 space-y-3">
            {endpoints.map((e) => (
              <EndpointItem
                key={e.id}
                orgId={orgId}
                endpoint={e}
                overlapHours={SECRET_OVERLAP_MS / 3_600_000}
                isLogOpen={open?.id === e.id}
              >
                {open?.id === e.id && (
                  <DeliveryLog orgId={orgId} endpointId={e.id} url={e.url} deliveries={deliveries} renderedAt={renderedAt} />
                )}
              </EndpointItem>
            ))}
          </ul>
        )}
      </ItemListSection>
    </>
  );
}
