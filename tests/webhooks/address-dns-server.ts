import type { Socket } from "node:dgram";
import { Resolver } from "node:dns/promises";
import dns2 from "dns2";
import type { HostResolver } from "@/lib/webhooks/address-guard";

const { Packet } = dns2;

/**
 * A DNS server on 127.0.0.1 (dns2, UDP) that answers A and AAAA questions from a map the test
 * fills, and a HostResolver that asks only it: so a test can make any name resolve to any address
 * (10.0.0.1, 169.254.169.254 …) without the machine's resolver or network.
 */
export async function startAddressDnsServer(records: Record<string, { a?: string[]; aaaa?: string[] }>) {
  const server = dns2.createServer({
    udp: true,
    handle: (request, send) => {
      const response = Packet.createResponseFromRequest(request);
      const question = request.questions[0];
      if (!question) return void send(response);
      const entry = records[question.name.toLowerCase().replace(/\.$/, "")];
      if (!entry) response.header.rcode = Packet.RCODE.NXDOMAIN;
      else if (question.type === Packet.TYPE.A)
        for (const address of entry.a ?? [])
          response.answers.push({ name: question.name, type: Packet.TYPE.A, class: Packet.CLASS.IN, ttl: 1, address } as never);
      else if (question.type === Packet.TYPE.AAAA)
        for (const address of entry.aaaa ?? [])
          response.answers.push({ name: question.name, type: Packet.TYPE.AAAA, class: Packet.CLASS.IN, ttl: 1, address } as never);
      void send(response);
    },
  });
  server.on("requestError", () => {});
  const { udp } = (server as unknown as { servers: { udp: Socket } }).servers;
  await new Promise<void>((resolve, reject) => udp.once("error", reject).bind(0, "127.0.0.1", () => resolve()));
  const address = `127.0.0.1:${udp.address().port}`;
  const resolve: HostResolver = async (hostname) => {
    const r = new Resolver({ timeout: 2_000, tries: 1 });
    r.setServers([address]);
    const [v4, v6] = await Promise.all([r.resolve4(hostname).catch(() => []), r.resolve6(hostname).catch(() => [])]);
    return [...v4.map((a) => ({ address: a, family: 4 as const })), ...v6.map((a) => ({ address: a, family: 6 as const }))];
  };
  return { address, resolve, close: () => server.close() };
}
