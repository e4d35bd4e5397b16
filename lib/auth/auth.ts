import "server-only";
import NextAuth from "next-auth";
import type { EmailConfig } from "next-auth/providers/email";
import { DrizzleAdapter } from "@auth/drizzle-adapter";
import { accounts, sessions, users, verificationTokens } from "@/db/schema";
import { enqueueEmails } from "@/lib/email/outbox";
import { getEnv } from "@/lib/env";
import { safeCallbackPath } from "./callback-path";
import { SESSION_MAX_AGE_SECONDS, SESSION_UPDATE_AGE_SECONDS } from "./database-session";
import { normalizeEmail } from "@/lib/membership/email-list";
import { deliverAfterResponse } from "@/lib/server/mailer";
import { getDb } from "@/lib/server/database";
import { getAppSecret } from "@/lib/secret";
import { emailLinkPolicy } from "@/lib/membership/sso/email-link-policy";
import { recordActivity } from "@/lib/membership/activity/record-activity";

export const SIGN_IN_LINK_MAX_AGE_SECONDS = 15 * 60;

// Our own email provider: the sign-in link goes through the same outbox as every other email.
const emailProvider: EmailConfig = {
  id: "email",
  type: "email",
  name: "Email",
  from: "",
  maxAge: SIGN_IN_LINK_MAX_AGE_SECONDS,
  options: {},
  normalizeIdentifier: (identifier: string) => normalizeEmail(identifier),
  async sendVerificationRequest({ identifier, url, expires }) {
    // The link must point at this app: a forged Host or X-Forwarded-Host must never send a
    // sign-in token to someone else's site.
    if (new URL(url).origin !== new URL(getEnv().APP_URL).origin) {
      throw new Error(`Refusing a sign-in link for another origin (${new URL(url).origin}); set APP_URL to this app's address`);
    }
    // The email links to a page whose button signs in, never to the callback itself: mail
    // scanners fetch links, and a GET must not use the token up.
    const link = new URL("/sign-in/confirm", getEnv().APP_URL);
    link.search = new URL(url).search;
    const ids = await enqueueEmails(getDb(), [
      { to: identifier, kind: "sign_in", payload: { url: link.toString(), expiresAt: expires.toISOString() } },
    ]);
    deliverAfterResponse(ids);
  },
};

export const { handlers, auth, signIn, signOut } = NextAuth(() => {
  // Links in emails are built from AUTH_URL, never from request headers a client controls.
  process.env.AUTH_URL ??= getEnv().APP_URL;
  return {
    adapter: DrizzleAdapter(getDb(), {
      usersTable: users,
      accountsTable: accounts,
      sessionsTable: sessions,
      verificationTokensTable: verificationTokens,
    }),
    session: { strategy: "database", maxAge: SESSION_MAX_AGE_SECONDS, updateAge: SESSION_UPDATE_AGE_SECONDS },
    secret: getAppSecret(),
    trustHost: true,
    providers: [emailProvider],
    pages: { signIn: "/sign-in", verifyRequest: "/sign-in/check-email", error: "/sign-in/error" },
    callbacks: {
      // "Require SSO": an address of an enforced domain may not get or use an email link, unless it
      // belongs to an Owner of that organization (break-glass), whose use of the link is recorded.
      // Checked when the link is asked for and again when it is used (a link sent before the rule).
      async signIn({ user, account, email }) {
        if (account?.provider !== "email" || !user.email) return true;
        const policy = await emailLinkPolicy(getDb(), user.email);
        if (!policy.allowed) return "/sign-in/error?error=SSO&reason=sso_required";
        if (policy.breakGlass && !email?.verificationRequest)
          await recordActivity(
            getDb(),
            { id: policy.breakGlass.userId, email: normalizeEmail(user.email) },
            [{ orgId: policy.breakGlass.orgId, action: "sso.break_glass", targetEmail: normalizeEmail(user.email) }],
            new Date(),
          );
        return true;
      },
      // Behind proxies the origin Auth.js sees can differ from the browser's, so the redirect after
      // sign-in is a same-site path, never another origin (no open redirect either).
      redirect({ url, baseUrl }) {
        const allowed = new Set([new URL(baseUrl).origin, new URL(getEnv().APP_URL).origin]);
        try {
          const target = new URL(url, baseUrl);
          if (url.startsWith("/") || allowed.has(target.origin)) return safeCallbackPath(target.pathname + target.search);
        } catch {
          // fall through
        }
        return "/orgs";
      },
      session({ session, user }) {
        session.user.id = user.id;
        return session;
      },
    },
  };
});
