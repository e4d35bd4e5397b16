"use client";

import { useQueryClient } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { toast } from "sonner";
import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { LAST_ADMIN_MESSAGE } from "@/lib/membership/messages";
import { leaveProjectAction } from "../actions";

export function LeaveProjectButton({ orgId, projectId, projectName, isLastAdmin }: { orgId: string; projectId: string; projectName: string; isLastAdmin: boolean }) {
  const router = useRouter();
  const queryClient = useQueryClient();
  const [refusal, setRefusal] = useState<string | null>(null);
  return (
    <ConfirmDialog
      trigger={
        <Button variant="secondary" onClick={() => setRefusal(null)}>
          Leave project
        </Button>
      }
      title={`Leave ${projectName}?`}
      description={<p>Your access to {projectName} and its resources ends at once. To come back, a Project Admin has to add you again.</p>}
      blocked={isLastAdmin ? LAST_ADMIN_MESSAGE : (refusal ?? undefined)}
      confirmLabel="Leave project"
      onConfirm={async () => {
        const result = await leaveProjectAction({ orgId, projectId }).catch(() => null);
        if (!result) {
          toast.error("Could not reach the server. Nothing was changed; please try again.");
          return false;
        }
        if (!result.ok) {
          setRefusal(result.message);
          return false;
        }
        queryClient.removeQueries({ queryKey: ["project", projectId] });
        toast.success(`You left ${projectName}`);
        router.push(`/orgs/${orgId}/projects`);
        router.refresh();
        return true;
      }}
    />
  );
}
