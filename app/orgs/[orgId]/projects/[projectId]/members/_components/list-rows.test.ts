import { describe, expect, it } from "vitest";
import { packPage, unpackPage } from "./list-rows";

const page = { total: 3, start: 0, next: null, prev: null, pageSize: 50 };
const invitation = (id: string, email: string, extra: object = {}) => ({
  id,
  email,
  role: "read_only",
  expiryLabel: "Expires in 48 hours",
  resendInSeconds: 0,
  delivery: "sent",
  deliveryLabel: "Sent",
  invitedBy: "Owner",
  isExpired: false,
  ...extra,
});

describe("a list's first page packed for the browser", () => {
  it("carries a text repeated down a column once, and unpacks to the rows without their empty fields", () => {
    const items = [
      invitation("i1", "a@x.test"),
      invitation("i2", "b@x.test", { role: "admin", invitedBy: null, isExpired: true, resendInSeconds: 12 }),
      invitation("i3", "c@x.test", { deliveryReason: "The address was refused", delivery: "failed", deliveryLabel: "Sent" }),
    ];
    const packed = packPage("invitations", { ...page, items });
    // The ids and addresses differ on every row: sent as they are; the roles and labels repeat.
    expect(packed.rows[0]).toEqual(["i1", "a@x.test", 0, 0, 0, 0, 0, 0]);
    expect(packed.texts).toEqual({
      2: ["read_only", "admin"],
      3: ["Expires in 48 hours"],
      5: ["sent", "failed"],
      6: ["Sent"],
      7: ["Owner"],
    });
    expect(JSON.parse(JSON.stringify(unpackPage("invitations", packed)))).toEqual({
      ...page,
      items: [
        invitation("i1", "a@x.test", { isExpired: undefined }),
        invitation("i2", "b@x.test", { role: "admin", invitedBy: undefined, isExpired: true, resendInSeconds: 12 }),
        invitation("i3", "c@x.test", { deliveryReason: "The address was refused", delivery: "failed", isExpired: undefined }),
      ].map((row) => JSON.parse(JSON.stringify(row)) as object),
    });
  });

  it("leaves a page without repeats as plain rows", () => {
    const packed = packPage("collaborators", {
      ...page,
      total: 1,
      items: [{ userId: "u1", email: "a@x.test", role: "admin", joinedAt: new Date("2026-01-02T03:04:05.000Z"), name: null }],
    });
    expect(packed).toEqual({ ...page, total: 1, rows: [["u1", "a@x.test", "admin", "2026-01-02T03:04:05.000Z"]] });
    expect(unpackPage("collaborators", packed).items).toEqual([
      { userId: "u1", email: "a@x.test", role: "admin", joinedAt: "2026-01-02T03:04:05.000Z" },
    ]);
  });
});
