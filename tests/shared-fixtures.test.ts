import { describe, expect, it } from "vitest";
import { hashInvitationToken, isWellFormedToken } from "@/lib/membership/tokens";
import { invitationToken } from "./shared-fixtures";

describe("the fixtures tests/ and e2e/ share", () => {
  it("make an invitation token and its hash exactly as the domain does", () => {
    const { token, tokenHash } = invitationToken();
    expect(isWellFormedToken(token)).toBe(true);
    expect(tokenHash).toBe(hashInvitationToken(token));
  });
});
