import * as Dialog from "@radix-ui/react-dialog";
import type { OutcomeLine } from "@/components/sentences";
import { Button } from "./button";
import { Sentence } from "./sentence";

const TONE = { good: "text-green-800", neutral: "text-slate-600", bad: "text-red-700" } as const;

/** "Invitation results": one line per address, shared by the project and organization invite dialogs. */
export function OutcomeList({ lines }: { lines: OutcomeLine[] }) {
  return (
    <ul aria-label="Invitation results" className="mt-2 divide-y divide-slate-100 rounded-md border border-slate-200">
      {lines.map((l) => (
        <li key={`${l.email}-${l.text}`} className="flex flex-wrap justify-between gap-x-3 gap-y-1 px-3 py-2 text-sm">
          <span className="min-w-0 max-w-full truncate font-medium" title={l.email}>
            {l.email}
          </span>
          <span className={`min-w-0 break-words ${TONE[l.tone]}`}>
            <Sentence text={l.text} />
          </span>
        </li>
      ))}
    </ul>
  );
}

/** What an invite dialog shows once its invitations are written: the results, "Invite more" and "Done". */
export function InviteResults({ lines, onInviteMore }: { lines: OutcomeLine[]; onInviteMore: () => void }) {
  return (
    <div className="mt-4">
      <h3 className="font-medium">Results</h3>
      <OutcomeList lines={lines} />
      <div className="mt-6 flex justify-end gap-2">
        <Button variant="secondary" onClick={onInviteMore}>
          Invite more
        </Button>
        <Dialog.Close asChild>
          <Button>Done</Button>
        </Dialog.Close>
      </div>
    </div>
  );
}
