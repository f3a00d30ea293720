import { createServer, type IncomingHttpHeaders } from 'node:http';

/** What a floor's POST answers. */
export interface FloorAnswer {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/**
 * The bare node:http server both HTTP floors run (serve-raw.ts, serve-same-items.ts): no
 * framework, no auth, no validation; each POST's JSON body goes to `handle`, a failure answers
 * 500 with its message. Prints `{"port"}` once listening, and ends normally on SIGINT so a
 * process run under `node --cpu-prof` writes its profile.
 */
export function serveFloor(port: number, handle: (input: { amount: number; occurredOn: string }, headers: IncomingHttpHeaders, body: string) => Promise<FloorAnswer>): void {
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk));
    req.on('end', async () => {
      try {
        const answer = await handle(JSON.parse(body) as { amount: number; occurredOn: string }, req.headers, body);
        res.writeHead(answer.status, answer.headers).end(answer.body);
      } catch (err) {
        res.writeHead(500).end(String((err as Error).message));
      }
    });
  });
  server.listen(port, () => process.stdout.write(`${JSON.stringify({ port })}\n`));
  process.once('SIGINT', () => process.exit(0));
}
