import type { Socket } from "node:dgram";
import type { Server } from "node:net";
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
  /** Name → milliseconds the server waits before answering a question about it (read when the question arrives). */
  delays: Map<string, number>;
  /** Octets per character-string of a TXT value (at most 255): smaller splits one record into more chunks. */
  chunkSize: number;
  close(): Promise<void>;
}

// TXT character-strings hold at most 255 octets: a longer value is sent in chunks, as real zones do.
function chunks(value: string, size: number): string[] {
  const out: string[] = [];
  for (let i = 0; i < value.length; i += size) out.push(value.slice(i, i + size));
  return out.length ? out : [""];
}

/**
 * A real DNS server on 127.0.0.1 that answers TXT questions from a map the test changes, or from
 * `lookup` (the end-to-end run reads records from files). UDP, and TCP on the same port for
 * answers too long for UDP (a resolver retries those over TCP). Port 0 picks a free one.
 */
export async function startTxtDnsServer(
  options: { port?: number; lookup?: (name: string) => TxtAnswer | undefined } = {},
): Promise<TxtDnsServer> {
  const records = new Map<string, TxtAnswer>();
  const queries: string[] = [];
  const delays = new Map<string, number>();
  const state = { chunkSize: 255 };
  const handle: dns2.DnsHandler = (request, send) => {
    const response = Packet.createResponseFromRequest(request);
    const question = request.questions[0];
    if (!question) return void send(response);
    const name = question.name.toLowerCase().replace(/\.$/, "");
    if (question.type === Packet.TYPE.TXT) queries.push(name);
    const answer = records.get(name) ?? options.lookup?.(name);
    if (answer === "silent") return;
    const delay = delays.get(name) ?? 0;
    if (answer === "servfail") response.header.rcode = Packet.RCODE.SERVFAIL;
    else if (answer === undefined) response.header.rcode = Packet.RCODE.NXDOMAIN;
    else if (question.type === Packet.TYPE.TXT)
      for (const value of answer) {
        const data = chunks(value, state.chunkSize);
        response.answers.push({ name: question.name, type: Packet.TYPE.TXT, class: Packet.CLASS.IN, ttl: 1, data } as never);
      }
    if (delay > 0) setTimeout(() => void send(response), delay);
    else void send(response);
  };
  const { server, port } = await listenOnOnePort(handle, options.port);
  return {
    address: `127.0.0.1:${port}`,
    port,
    records,
    queries,
    delays,
    get chunkSize() {
      return state.chunkSize;
    },
    set chunkSize(size: number) {
      state.chunkSize = size;
    },
    close: () => server.close(),
  };
}

/** How many free UDP ports to try before giving up on one whose TCP twin is free too. */
const PORT_ATTEMPTS = 20;

/**
 * Starts the server on UDP and TCP on one port. Port 0 lets UDP pick a free port, but TCP may
 * already use the same number (an outgoing connection's ephemeral port, say, on a busy test run):
 * then it starts again on another. dns2 re-emits a transport's error on the server, so the server
 * must have an error listener while it starts, or a refused listen is an uncaught exception.
 */
async function listenOnOnePort(handle: dns2.DnsHandler, wanted: number | undefined): Promise<{ server: dns2.DnsServer; port: number }> {
  for (let attempt = 1; ; attempt++) {
    const server = dns2.createServer({ udp: true, tcp: true, handle });
    server.on("requestError", () => {});
    // The typings leave out the transports.
    const { udp, tcp } = (server as unknown as { servers: { udp: Socket; tcp: Server } }).servers;
    let failed: (error: Error) => void = () => {};
    const onError = (error: Error) => failed(error);
    server.on("error", onError);
    try {
      await new Promise<void>((resolve, reject) => {
        failed = reject;
        udp.bind(wanted ?? 0, "127.0.0.1", () => resolve());
      });
      const port = udp.address().port;
      await new Promise<void>((resolve, reject) => {
        failed = reject;
        tcp.listen(port, "127.0.0.1", () => resolve());
      });
      server.off("error", onError);
      return { server, port };
    } catch (error) {
      udp.close();
      const inUse = (error as NodeJS.ErrnoException).code === "EADDRINUSE";
      if (wanted !== undefined || !inUse || attempt >= PORT_ATTEMPTS) throw error;
    }
  }
}
