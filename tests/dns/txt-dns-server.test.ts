import { createServer, type Server } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { startTxtDnsServer, type TxtDnsServer } from "./txt-dns-server";

/**
 * The tests' DNS server listens on UDP and TCP on one port. On a busy run the TCP twin of the UDP
 * port it got may be taken: starting must then fail cleanly (or move on), never hang its
 * caller's hook until a timeout while an uncaught EADDRINUSE crashes the worker.
 */
describe("the tests' DNS server", () => {
  const opened: { close(): unknown }[] = [];
  afterEach(async () => {
    for (const thing of opened.splice(0)) await thing.close();
  });

  async function occupyTcpPort(): Promise<number> {
    const holder: Server = createServer();
    await new Promise<void>((resolve) => holder.listen(0, "127.0.0.1", () => resolve()));
    opened.push({ close: () => new Promise<void>((resolve) => holder.close(() => resolve())) });
    const address = holder.address();
    if (!address || typeof address === "string") throw new Error("no TCP port");
    return address.port;
  }

  it("refuses a port whose TCP twin is taken with EADDRINUSE, as a rejected promise", async () => {
    const port = await occupyTcpPort();
    await expect(startTxtDnsServer({ port })).rejects.toMatchObject({ code: "EADDRINUSE" });
  });

  it("starts on a free port for both transports and can be started again beside itself", async () => {
    const first: TxtDnsServer = await startTxtDnsServer();
    opened.push(first);
    const second = await startTxtDnsServer();
    opened.push(second);
    expect(second.port).not.toBe(first.port);
    expect(first.address).toBe(`127.0.0.1:${first.port}`);
  });
});
