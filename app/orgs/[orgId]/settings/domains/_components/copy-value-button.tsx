"use client";

import { toast } from "sonner";
import { Button } from "@/components/ui/button";

/** Copies one value of the TXT record to the clipboard, saying so. */
export function CopyValueButton({ value, label }: { value: string; label: string }) {
  return (
    <Button
      size="sm"
      variant="ghost"
      aria-label={label}
      onClick={() =>
        navigator.clipboard.writeText(value).then(
          () => toast.success("Copied"),
          () => toast.error("Could not copy; select the text and copy it."),
        )
      }
    >
      Copy
    </Button>
  );
}
