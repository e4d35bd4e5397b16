"use client";

import { useRouter } from "next/navigation";
import { useEffect, useTransition } from "react";
import { Button } from "@/components/ui/button";

const EVERY_MS = 1_000;

/** "Refresh": the delivery log read again; while a delivery is under way, every second on its own. */
export function DeliveryLogRefresh({ underWay }: { underWay: boolean }) {
  const router = useRouter();
  const [isPending, startTransition] = useTransition();
  useEffect(() => {
    if (!underWay) return;
    const timer = setInterval(() => router.refresh(), EVERY_MS);
    return () => clearInterval(timer);
  }, [underWay, router]);
  return (
    <div className="flex items-center gap-2 text-sm text-slate-600">
      {underWay && <span>Deliveries under way; this log updates itself.</span>}
      <Button size="sm" variant="secondary" pending={isPending} onClick={() => startTransition(() => router.refresh())}>
        Refresh log
      </Button>
    </div>
  );
}
