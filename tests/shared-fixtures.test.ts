import { describe, expect, it } from "vitest";
import { hashInvitationToken, isWellFormedToken } from "@/lib/membership/tokens";
import { hashScimToken, isWellFormedScimToken } from "@/lib/membership/scim/scim-token-rules";
import { invitationToken, scimToken } from "./shared-fixtures";

describe("the fixtures tests/ and e2e/ share", () => {
  it("make an invitation token and its hash exactly as the domain does", () => {
    const { token, tokenHash } = invitationToken();
    expect(isWellFormedToken(token)).toBe(true);
    expect(tokenHash).toBe(hashInvitationToken(token));
  });

  it("make a SCIM token and its hash exactly as the domain does", () => {
    const { token, tokenHash } = scimToken();
    expect(isWellFormedScimToken(token)).toBe(true);
    expect(tokenHash).toBe(hashScimToken(token));
  });
});
