import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A real HTTP receiver on loopback, as a customer's endpoint: it records every request (raw
 * body and headers, as the signature covers them) and answers what `answer` says per path
 * (default 204), e.g. 500 three times and then 200.
 */
export interface Received {
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
  answeredWith: number;
  at: number;
}

export interface Receiver {
  url(path: string): string;
  received: Received[];
  /** The status to answer the n-th (1-based) request on `path` with. */
  answer: (path: string, n: number) => number;
  on(path: string): Received[];
  close(): Promise<void>;
}

export async function startReceiver(): Promise<Receiver> {
  const received: Received[] = [];
  const counts = new Map<string, number>();
  const receiver: Receiver = {
    url: (path) => `http://127.0.0.1:${(server.address() as AddressInfo).port}${path}`,
    received,
    answer: () => 204,
    on: (path) => received.filter((r) => r.path === path),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const path = req.url ?? '/';
      const n = (counts.get(path) ?? 0) + 1;
      counts.set(path, n);
      const status = receiver.answer(path, n);
      received.push({ path, headers: req.headers, body: Buffer.concat(chunks).toString('utf8'), answeredWith: status, at: Date.now() });
      res.statusCode = status;
      res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  return receiver;
}
