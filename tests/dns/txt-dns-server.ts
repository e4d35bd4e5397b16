import dns2 from "dns2";

const { Packet } = dns2;

/** What the server answers for one name: TXT records, or a failure a real server can give. */
export type TxtAnswer = string[] | "servfail" | "silent";

export interface TxtDnsServer {
  /** "127.0.0.1:<port>", for DNS_SERVERS or setDnsServersForTests. */
  address: string;
  port: number;
  /** Name (lower-case, no trailing dot) → its answer. A name not here is NXDOMAIN; an empty list is NODATA. */
  records: Map<string, TxtAnswer>;
  /** Every TXT question asked, in order (lower-case names). */
  queries: string[];
  close(): Promise<void>;
}

// TXT character-strings hold at most 255 octets: a longer value is sent in chunks, as real zones do.
const chunks = (value: string) => value.match(/[\s\S]{1,255}/g) ?? [""];

/**
 * A real DNS server on 127.0.0.1 (UDP) that answers TXT questions from a map the test changes,
 * or from `lookup` (the end-to-end run reads records from files). Port 0 picks a free one.
 */
export async function startTxtDnsServer(
  options: { port?: number; lookup?: (name: string) => TxtAnswer | undefined } = {},
): Promise<TxtDnsServer> {
  const records = new Map<string, TxtAnswer>();
  const queries: string[] = [];
  const server = dns2.createServer({
    udp: true,
    handle: (request, send) => {
      const response = Packet.createResponseFromRequest(request);
      const question = request.questions[0];
      if (!question) return void send(response);
      const name = question.name.toLowerCase().replace(/\.$/, "");
      if (question.type === Packet.TYPE.TXT) queries.push(name);
      const answer = records.get(name) ?? options.lookup?.(name);
      if (answer === "silent") return;
      if (answer === "servfail") response.header.rcode = Packet.RCODE.SERVFAIL;
      else if (answer === undefined) response.header.rcode = Packet.RCODE.NXDOMAIN;
      else if (question.type === Packet.TYPE.TXT)
        for (const value of answer)
          response.answers.push({
            name: question.name,
            type: Packet.TYPE.TXT,
            class: Packet.CLASS.IN,
            ttl: 1,
            data: chunks(value),
          } as never);
      void send(response);
    },
  });
  server.on("requestError", () => {});
  const addresses = await server.listen({ udp: { port: options.port ?? 0, address: "127.0.0.1" } });
  const port = (addresses.udp as { port: number }).port;
  return { address: `127.0.0.1:${port}`, port, records, queries, close: () => server.close() };
}
