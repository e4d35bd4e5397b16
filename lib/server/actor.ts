import { after } from "next/server";
import { getActor } from "@/lib/auth/session";
import { deliverNow } from "./mailer";

export { getActor };

/** Delivers the emails a committed change wrote, once the response has gone out. */
export function deliverAfterResponse(): void {
  after(deliverNow);
}
