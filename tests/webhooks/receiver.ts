import http from "node:http";
import type { AddressInfo } from "node:net";
import { Webhook } from "standardwebhooks";

export interface Received {
  id: string;
  body: string;
  payload: { id: string; type: string; [k: string]: unknown };
  /** Which of the receiver's secrets verified it (standardwebhooks' Webhook.verify). */
  verifiedWith: number[];
}

/**
 * A webhook receiver on 127.0.0.1, started by a test: it verifies every request with the
 * `standardwebhooks` package against the secrets it is given, keeps what arrived, and answers as
 * its mode says ("down" 503, "redirect" 302 to loopback, "hang" never answers).
 */
export interface Receiver {
  url: string;
  secrets: string[];
  mode: "up" | "down" | "redirect" | "hang";
  received: Received[];
  /** Requests whose signature no secret verified (must stay empty). */
  unverified: string[];
  /** Every request, whatever the answer. */
  requests: number;
  /** Resolves once `n` requests were verified and answered 2xx. */
  waitFor(n: number): Promise<void>;
  close(): Promise<void>;
}

export async function startReceiver(path = "/hook"): Promise<Receiver> {
  const waiters: { n: number; resolve: () => void }[] = [];
  const state: Receiver = {
    url: "",
    secrets: [],
    mode: "up",
    received: [],
    unverified: [],
    requests: 0,
    waitFor: (n) =>
      new Promise<void>((resolve) => {
        if (state.received.length >= n) resolve();
        else waiters.push({ n, resolve });
      }),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      state.requests += 1;
      if (state.mode === "hang") return;
      if (state.mode === "down") return void res.writeHead(503).end("down");
      if (state.mode === "redirect") return void res.writeHead(302, { location: "http://127.0.0.1:9/elsewhere" }).end();
      const body = Buffer.concat(chunks).toString("utf8");
      const headers = {
        "webhook-id": String(req.headers["webhook-id"]),
        "webhook-timestamp": String(req.headers["webhook-timestamp"]),
        "webhook-signature": String(req.headers["webhook-signature"]),
      };
      const verifiedWith = state.secrets.flatMap((secret, i) => {
        try {
          new Webhook(secret).verify(body, headers);
          return [i];
        } catch {
          return [];
        }
      });
      if (verifiedWith.length === 0) {
        state.unverified.push(body);
        return void res.writeHead(401).end("bad signature");
      }
      state.received.push({ id: headers["webhook-id"], body, payload: JSON.parse(body) as Received["payload"], verifiedWith });
      res.writeHead(204).end();
      for (const w of waiters.splice(0)) {
        if (state.received.length >= w.n) w.resolve();
        else waiters.push(w);
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  state.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}${path}`;
  return state;
}
