import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { Sentence } from "@/components/ui/sentence";
import { Ellipsis } from "@/components/ui/table";
import { renderEmail } from "@/lib/email/render";
import { describeActivity, outcomeLine } from "@/components/sentences";
import { addedPayload, invitationPayload, T0 } from "./helpers";

// A name stored before the rule refused text-direction characters: it must not reorder what is around it.
const RTL = "\u202eexe.txt";
// In a sentence a stored name cannot carry its own text-direction characters: they are shown as U+FFFD.
const SHOWN = RTL.replace("\u202e", "\ufffd");
const html = (element: Parameters<typeof renderToStaticMarkup>[0]) => renderToStaticMarkup(element);

describe("a user-supplied name is shown isolated from the words around it", () => {
  it("activity sentences isolate project and key names, and the page shows each in a <bdi> without the marks", () => {
    const base = { actorEmail: "owner@acme.test", targetEmail: null, oldRole: null, newRole: null };
    const renamed = describeActivity({ ...base, action: "project.renamed", detail: RTL, projectName: "بحث" });
    expect(renamed).toBe(`owner@acme.test renamed the project \u2068${SHOWN}\u2069 to \u2068بحث\u2069`);
    const markup = html(createElement(Sentence, { text: renamed }));
    expect(markup).toContain(`<bdi>${SHOWN}</bdi>`);
    expect(markup).toContain("<bdi>بحث</bdi>");
    expect(markup).not.toMatch(/[\u2068\u2069]/);
    const byKey = describeActivity({ ...base, action: "project.deleted", actorApiKeyName: RTL, projectName: "Search" });
    expect(html(createElement(Sentence, { text: byKey }))).toContain(`API key “<bdi>${SHOWN}</bdi>”`);
  });

  it("invitation results isolate the other project's name", () => {
    const line = outcomeLine({ email: "a@b.test", outcome: "already_invited", otherProject: RTL }, "project");
    expect(html(createElement(Sentence, { text: line.text }))).toContain(`already invited to <bdi>${SHOWN}</bdi> in this organization`);
  });

  it("a table cell's name or address is in a <bdi>", () => {
    expect(html(createElement(Ellipsis, { text: RTL }))).toContain(`<bdi>${RTL}</bdi>`);
  });

  it("emails mark the names people chose dir=auto", async () => {
    const invitation = await renderEmail(
      "invitation",
      invitationPayload(T0, { inviterName: RTL, organizationName: "شركة", projectName: "Prod" }),
      { now: T0 },
    );
    expect(invitation.html).toContain(`<span dir="auto">${RTL}</span>`);
    expect(invitation.html).toContain('<strong dir="auto">شركة</strong>');
    const added = await renderEmail("added_to_project", { ...addedPayload(), projectName: RTL });
    expect(added.html).toContain(`<strong dir="auto">${RTL}</strong>`);
  });
});
