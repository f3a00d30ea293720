import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A tiny stand-in for the EventBridge API (PutEvents over the AWS JSON 1.1 protocol) on
 * 127.0.0.1, so the bundled handler's outbox relay can really send over HTTP with no AWS.
 * `reject` decides per entry whether EventBridge "fails" it, as a partial failure would.
 */
export interface PutEventsEntry {
  Source?: string;
  DetailType?: string;
  Detail?: string;
  EventBusName?: string;
  Time?: number;
}

export interface FakeEventBridge {
  endpoint: string;
  /** Every PutEvents request body received, in order. */
  requests: { Entries: PutEventsEntry[] }[];
  reject: (entry: PutEventsEntry) => boolean;
  close(): Promise<void>;
}

export async function startFakeEventBridge(): Promise<FakeEventBridge> {
  const fake: Omit<FakeEventBridge, 'endpoint' | 'close'> = { requests: [], reject: () => false };
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const target = req.headers['x-amz-target'];
      if (target !== 'AWSEvents.PutEvents') {
        res.writeHead(400, { 'content-type': 'application/x-amz-json-1.1' });
        res.end(JSON.stringify({ __type: 'UnknownOperationException', message: `unexpected ${String(target)}` }));
        return;
      }
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { Entries: PutEventsEntry[] };
      fake.requests.push(body);
      let failed = 0;
      const entries = body.Entries.map((entry, i) => {
        if (fake.reject(entry)) {
          failed += 1;
          return { ErrorCode: 'InternalFailure', ErrorMessage: 'fake EventBridge rejected the entry' };
        }
        return { EventId: `fake-${fake.requests.length}-${i}` };
      });
      res.writeHead(200, { 'content-type': 'application/x-amz-json-1.1' });
      res.end(JSON.stringify({ FailedEntryCount: failed, Entries: entries }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return Object.assign(fake, {
    endpoint: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  });
}
