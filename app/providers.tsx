"use client";

import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { useState, type ReactNode } from "react";
import { Toaster } from "sonner";

export function Providers({ children }: { children: ReactNode }) {
  const [client] = useState(() => new QueryClient({ defaultOptions: { queries: { staleTime: 10_000, retry: 1, refetchOnWindowFocus: true } } }));
  return (
    <QueryClientProvider client={client}>
      {children}
      {/* Bottom right: a toast never covers the header (address, organization switcher, Sign out). */}
      <Toaster closeButton position="bottom-right" toastOptions={{ classNames: { toast: "!text-slate-900", description: "!text-slate-700" } }} />
    </QueryClientProvider>
  );
}
