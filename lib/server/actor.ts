import { getActor } from "@/lib/auth/session";

export { getActor };
export { deliverAfterResponse } from "./mailer";
