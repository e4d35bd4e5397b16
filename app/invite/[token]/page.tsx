import type { Metadata } from "next";
import Link from "next/link";
import type { ReactNode } from "react";
import { Card, CenteredPage } from "@/components/ui/card";
import { getActor } from "@/lib/auth/session";
import { TOKEN_PAGE_REFERRER_POLICY } from "@/lib/http/security-headers";
import { getInvitationByToken } from "@/lib/membership";
import { getDb } from "@/lib/server/database";
import { InvitationAnswer } from "./invitation-answer";

export const metadata: Metadata = { title: "Invitation", referrer: TOKEN_PAGE_REFERRER_POLICY };
export const dynamic = "force-dynamic";

function Shell({ title, children }: { title: ReactNode; children: ReactNode }) {
  return (
    <CenteredPage>
      <Card>
        <h1 className="text-2xl font-semibold">{title}</h1>
        <div className="mt-3 space-y-3 text-slate-700">{children}</div>
      </Card>
    </CenteredPage>
  );
}

/**
 * The invitation landing page. Opening it changes nothing (mail scanners open links too);
 * accepting and declining are POSTs from the buttons.
 */
export default async function InvitationPage({ params }: { params: Promise<{ token: string }> }) {
  const { token } = await params;
  const actor = await getActor();
  const view = await getInvitationByToken(getDb(), token, actor);
  const here = `/invite/${encodeURIComponent(token)}`;

  if (view.state === "unknown") {
    return (
      <Shell title="This invitation link is not valid">
        <p>
          The link may be incomplete, or a newer invitation replaced it. Check the most recent email, or ask the person who invited you to
          resend it.
        </p>
        <Link href="/orgs" className="inline-block text-brand-700 underline">
          Go to the console
        </Link>
      </Shell>
    );
  }
  // A project invitation names its project; an organization invitation names the organization.
  const target = view.projectName ?? view.orgName;
  const what = view.projectName ? (
    <>
      <strong>
        <bdi>{view.projectName}</bdi>
      </strong>{" "}
      in{" "}
      <strong>
        <bdi>{view.orgName}</bdi>
      </strong>
    </>
  ) : (
    <strong>
      <bdi>{view.orgName}</bdi>
    </strong>
  );
  const inviter = (otherwise: string) => (view.inviterName ? <bdi>{view.inviterName}</bdi> : otherwise);
  const join = (
    <>
      Join <bdi>{target}</bdi>
    </>
  );
  const access =
    view.projectName === null && view.grants.length > 0 ? (
      <p>
        With access to:{" "}
        {view.grants.map((g, i) => (
          <span key={g.projectId}>
            {i > 0 && ", "}
            <strong>
              <bdi>{g.projectName}</bdi>
            </strong>{" "}
            as {g.roleLabel}
          </span>
        ))}
        .
      </p>
    ) : null;
  const home = view.projectId ? `/orgs/${view.orgId}/projects/${view.projectId}/members` : `/orgs/${view.orgId}/projects`;
  switch (view.state) {
    case "expired":
      return (
        <Shell title="This invitation has expired">
          <p>
            The invitation to {what} was valid for 48 hours. Ask {inviter("the person who invited you")} to resend it.
          </p>
        </Shell>
      );
    case "revoked":
      return (
        <Shell title="This invitation was revoked">
          <p>
            The invitation to {what} was withdrawn. If you still need access, ask {inviter("the person who invited you")}.
          </p>
        </Shell>
      );
    case "declined":
      return (
        <Shell title="This invitation was declined">
          <p>
            You declined the invitation to {what}. If that was a mistake, ask {inviter("the person who invited you")} to invite you again.
          </p>
        </Shell>
      );
    case "accepted":
      return (
        <Shell title="This invitation has already been accepted">
          <p>
            You can find {what} {view.projectName ? "among your projects" : "among your organizations"}.
          </p>
          <Link href={home} className="inline-block font-medium text-brand-700 underline">
            Open <bdi>{target}</bdi>
          </Link>
        </Shell>
      );
    case "sign_in":
      return (
        <Shell title={join}>
          <p>
            {inviter("Someone")} invited <strong>{view.email}</strong> to join {what} as <strong>{view.roleLabel}</strong>.
          </p>
          {access}
          <p>Sign in as {view.email} to accept. We will email you a sign-in link and bring you back here.</p>
          <Link
            href={`/sign-in?callbackUrl=${encodeURIComponent(here)}&email=${encodeURIComponent(view.email)}`}
            className="inline-block rounded-md bg-brand-600 px-4 py-2 font-medium text-white hover:bg-brand-700"
          >
            Sign in to accept
          </Link>
        </Shell>
      );
    case "wrong_account":
      return (
        <Shell title={`This invitation was sent to ${view.email}`}>
          <p>
            You are signed in as <strong>{actor?.email}</strong>. To join {what}, sign in as {view.email}.
          </p>
          <Link
            href={`/sign-in?callbackUrl=${encodeURIComponent(here)}&email=${encodeURIComponent(view.email)}`}
            className="inline-block rounded-md bg-brand-600 px-4 py-2 font-medium text-white hover:bg-brand-700"
          >
            Sign in as {view.email}
          </Link>
        </Shell>
      );
    case "valid":
      return (
        <Shell title={join}>
          <p>
            {inviter("Someone")} invited you to join {what} as <strong>{view.roleLabel}</strong>.
          </p>
          {access}
          <p className="text-sm text-slate-600">
            You will become {view.orgRole === "owner" ? "an Organization Owner" : "an Organization Member"} of <bdi>{view.orgName}</bdi>.
          </p>
          <InvitationAnswer token={token} projectName={target} />
        </Shell>
      );
  }
}
