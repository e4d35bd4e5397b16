import { getEnv } from "@/lib/env";

/** The cookie Auth.js reads its database session from (the "__Secure-" name when APP_URL is https). */
export function sessionCookieName(appUrl: string = getEnv().APP_URL): string {
  return new URL(appUrl).protocol === "https:" ? "__Secure-authjs.session-token" : "authjs.session-token";
}
