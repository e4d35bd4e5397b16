import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addressOptionsOf, assertAllowedAddress, ForbiddenAddressError, resolveAllowedAddress } from "@/lib/webhooks/address-guard";
import { postWebhook } from "@/lib/webhooks/post-webhook";
import { startAddressDnsServer } from "./address-dns-server";
import { startReceiver, type Receiver } from "./receiver";

// Only loopback is ever connected to here: every other address must be refused before a socket opens.
const REFUSED = [
  ["127.0.0.1", "loopback"],
  ["127.8.9.10", "loopback"],
  ["::1", "loopback"],
  ["::ffff:127.0.0.1", "loopback"],
  ["::ffff:7f00:1", "loopback"],
  ["169.254.169.254", "linkLocal"],
  ["fe80::1", "linkLocal"],
  ["10.0.0.1", "private"],
  ["172.16.5.4", "private"],
  ["192.168.1.1", "private"],
  ["::ffff:10.0.0.1", "private"],
  ["fd00:ec2::254", "uniqueLocal"],
  ["100.64.0.1", "carrierGradeNat"],
  ["224.0.0.1", "multicast"],
  ["ff02::1", "multicast"],
  ["0.0.0.0", "unspecified"],
  ["::", "unspecified"],
  ["64:ff9b::a00:1", "rfc6052"],
  ["2002:7f00:1::", "6to4"],
  ["255.255.255.255", "broadcast"],
] as const;

describe("the webhook address guard", () => {
  it.each(REFUSED)("refuses %s (%s)", (address, range) => {
    expect(() => assertAllowedAddress("h", address, { allowLoopback: false })).toThrow(ForbiddenAddressError);
    try {
      assertAllowedAddress("h", address, { allowLoopback: false });
    } catch (err) {
      expect((err as ForbiddenAddressError).range).toBe(range);
    }
  });

  it("lets public unicast through, and loopback only when the test setting allows it", () => {
    for (const a of ["8.8.8.8", "1.1.1.1", "2606:4700::1111"])
      expect(() => assertAllowedAddress("h", a, { allowLoopback: false })).not.toThrow();
    expect(() => assertAllowedAddress("h", "127.0.0.1", { allowLoopback: true })).not.toThrow();
    expect(() => assertAllowedAddress("h", "::1", { allowLoopback: true })).not.toThrow();
    // The setting is for loopback alone: private and metadata addresses stay refused.
    expect(() => assertAllowedAddress("h", "169.254.169.254", { allowLoopback: true })).toThrow(ForbiddenAddressError);
    expect(() => assertAllowedAddress("h", "10.0.0.1", { allowLoopback: true })).toThrow(ForbiddenAddressError);
  });

  describe("after DNS resolution (a test DNS server on loopback)", () => {
    let dns: Awaited<ReturnType<typeof startAddressDnsServer>>;
    let receiver: Receiver;
    beforeAll(async () => {
      dns = await startAddressDnsServer({
        "internal.example.test": { a: ["10.0.0.1"] },
        "metadata.example.test": { a: ["169.254.169.254"] },
        "mixed.example.test": { a: ["93.184.215.14", "10.0.0.1"] },
        "v6-loopback.example.test": { aaaa: ["::1"] },
        "public.example.test": { a: ["93.184.215.14"] },
      });
      receiver = await startReceiver();
    });
    afterAll(async () => {
      await receiver.close();
      await dns.close();
    });

    it("refuses a name that resolves to 10.0.0.1, the metadata address, ::1, or any private address among public ones", async () => {
      for (const name of ["internal.example.test", "metadata.example.test", "mixed.example.test", "v6-loopback.example.test"]) {
        await expect(resolveAllowedAddress(name, { allowLoopback: false, resolve: dns.resolve })).rejects.toBeInstanceOf(
          ForbiddenAddressError,
        );
      }
      await expect(resolveAllowedAddress("public.example.test", { allowLoopback: false, resolve: dns.resolve })).resolves.toEqual({
        address: "93.184.215.14",
        family: 4,
      });
    });

    it("postWebhook refuses before any connection: to a name resolving to 10.0.0.1, and to loopback itself without the test setting", async () => {
      const port = new URL(receiver.url).port;
      const before = receiver.requests;
      const internal = await postWebhook(`http://internal.example.test:${port}/hook`, {}, "{}", {
        allowLoopback: false,
        resolve: dns.resolve,
      });
      expect(internal).toMatchObject({ kind: "refused" });
      expect((internal as { error: string }).error).toContain("10.0.0.1 (private)");
      for (const url of [receiver.url, `http://[::1]:${port}/hook`, `http://[::ffff:127.0.0.1]:${port}/hook`]) {
        expect(await postWebhook(url, {}, "{}", { allowLoopback: false, resolve: dns.resolve })).toMatchObject({ kind: "refused" });
      }
      expect(await postWebhook(`http://169.254.169.254/latest/meta-data/`, {}, "{}", { allowLoopback: false })).toMatchObject({
        kind: "refused",
      });
      expect(receiver.requests).toBe(before);
    });

    it("connects to the checked address, never resolving the name again, and follows no redirect (to loopback or elsewhere)", async () => {
      const port = new URL(receiver.url).port;
      let lookups = 0;
      const counting = async (name: string) => {
        lookups += 1;
        return name === "receiver.example.test" ? [{ address: "127.0.0.1", family: 4 as const }] : [];
      };
      receiver.mode = "redirect";
      const before = receiver.requests;
      const answer = await postWebhook(`http://receiver.example.test:${port}/hook`, {}, "{}", { allowLoopback: true, resolve: counting });
      receiver.mode = "up";
      expect(answer).toMatchObject({ kind: "answered", status: 302 });
      expect(lookups).toBe(1);
      expect(receiver.requests - before).toBe(1);
    });
  });
  describe('in the "only" mode (WEBHOOK_ALLOW_LOOPBACK=only, the end-to-end app)', () => {
    const only = addressOptionsOf("only");
    let receiver: Receiver;
    beforeAll(async () => {
      receiver = await startReceiver();
    });
    afterAll(async () => {
      await receiver.close();
    });

    it("is what the setting asks for", () => {
      expect(only).toEqual({ allowLoopback: true, onlyLoopback: true });
      expect(addressOptionsOf("1")).toEqual({ allowLoopback: true, onlyLoopback: false });
      expect(addressOptionsOf("0")).toEqual({ allowLoopback: false, onlyLoopback: false });
    });

    it("refuses public addresses too, and every range refused anyway", () => {
      for (const a of ["8.8.8.8", "93.184.215.14", "2606:4700::1111", "169.254.169.254", "10.0.0.1", "::ffff:8.8.8.8"]) {
        expect(() => assertAllowedAddress("h", a, only), a).toThrow(ForbiddenAddressError);
      }
      for (const a of ["127.0.0.1", "127.8.9.10", "::1", "::ffff:127.0.0.1"])
        expect(() => assertAllowedAddress("h", a, only), a).not.toThrow();
    });

    it("refuses a public address and a host name before any lookup or connection, and delivers to loopback", async () => {
      const port = new URL(receiver.url).port;
      let lookups = 0;
      // Would send the name to a public address, were it ever asked.
      const resolve = async () => {
        lookups += 1;
        return [{ address: "93.184.215.14", family: 4 as const }];
      };
      const before = receiver.requests;
      for (const url of [`http://93.184.215.14:${port}/hook`, `https://[2606:4700::1111]/hook`, `https://hooks.example.com/hook`]) {
        const answer = await postWebhook(url, {}, "{}", { ...only, resolve });
        // "refused" is only answered before a request is made (post-webhook.ts).
        expect(answer, url).toMatchObject({ kind: "refused" });
        expect((answer as { error: string }).error).toContain("only loopback may be reached");
      }
      await expect(resolveAllowedAddress("hooks.example.com", { ...only, resolve })).rejects.toBeInstanceOf(ForbiddenAddressError);
      expect(lookups).toBe(0);
      expect(receiver.requests).toBe(before);

      // localhost is looked up, and every address it has must be loopback.
      await expect(resolveAllowedAddress("localhost", { ...only, resolve })).rejects.toBeInstanceOf(ForbiddenAddressError);
      expect(lookups).toBe(1);
      const loopback = async () => [{ address: "127.0.0.1", family: 4 as const }];
      await expect(resolveAllowedAddress("localhost", { ...only, resolve: loopback })).resolves.toEqual({
        address: "127.0.0.1",
        family: 4,
      });

      const delivered = await postWebhook(receiver.url, {}, "{}", only);
      expect(delivered).toMatchObject({ kind: "answered" });
      expect(receiver.requests - before).toBe(1);
    });
  });
});
