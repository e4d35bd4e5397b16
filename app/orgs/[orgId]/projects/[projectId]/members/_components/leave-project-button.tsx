"use client";

import { useQueryClient } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { useAction } from "@/components/ui/use-action";
import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { LAST_ADMIN_MESSAGE } from "@/lib/membership/messages";
import { leaveProjectAction } from "../actions";

/** "Leave project" with its confirmation; in the page header and on your own row of Collaborators. */
export function LeaveProjectButton({
  orgId,
  projectId,
  projectName,
  isLastAdmin,
  size = "md",
}: {
  orgId: string;
  projectId: string;
  projectName: string;
  isLastAdmin: boolean;
  size?: "sm" | "md";
}) {
  const router = useRouter();
  const queryClient = useQueryClient();
  const [refusal, setRefusal] = useState<string | null>(null);
  const leave = useAction(leaveProjectAction, {
    // Said inside the confirmation, which stays open.
    onError: (failure) => setRefusal(failure.message),
    success: () => (
      <>
        You left <bdi>{projectName}</bdi>
      </>
    ),
    onSuccess: () => {
      queryClient.removeQueries({ queryKey: ["project", projectId] });
      // The action revalidated the projects page, so it is drawn fresh.
      router.push(`/orgs/${orgId}/projects`);
    },
  });
  return (
    <ConfirmDialog
      trigger={
        <Button variant="secondary" size={size} onClick={() => setRefusal(null)}>
          Leave project
        </Button>
      }
      title={
        <>
          Leave <bdi>{projectName}</bdi>?
        </>
      }
      description={
        <p>
          Your access to <bdi>{projectName}</bdi> and its resources ends at once. To come back, a Project Admin has to add you again.
        </p>
      }
      blocked={isLastAdmin ? LAST_ADMIN_MESSAGE : (refusal ?? undefined)}
      confirmLabel="Leave project"
      onConfirm={async () => (await leave.run({ orgId, projectId })).ok}
    />
  );
}
