import { createServer, type Server } from 'node:http';
import { connect } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { PROBLEM_TYPE_BASE } from '@budgeting/platform';
import { answerMalformedRequestsWithProblems, problemForClientError } from '../../../packages/app/src/local/malformed-request-answer';

/**
 * The 'clientError' listener `npm start` installs (tests/e2e/start-malformed-http.test.ts checks it
 * in the started process), on a bare node:http server for the cases npm start's routes cannot
 * stage: a refusal in the body of a request whose answer has begun, and the chunk-extension limit.
 */
let server: Server | undefined;
afterEach(() => new Promise<void>((r) => (server ? server.close(() => r()) : r())));

async function listening(handler: Parameters<typeof createServer>[1]): Promise<number> {
  server = createServer(handler);
  answerMalformedRequestsWithProblems(server);
  await new Promise<void>((r) => server!.listen(0, '127.0.0.1', () => r()));
  return (server.address() as { port: number }).port;
}

/** Sends `first`, then (once the server has answered something) `then`; resolves with all it read until close. */
function exchange(port: number, first: string, then?: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port });
    let text = '';
    socket.setTimeout(10_000, () => socket.destroy(new Error('no answer within 10 s')));
    socket.on('data', (chunk: Buffer) => {
      const before = text;
      text += chunk.toString('latin1');
      if (then !== undefined && before === '') socket.end(then);
    });
    socket.on('error', (err: NodeJS.ErrnoException) => (err.code === 'ECONNRESET' || err.code === 'EPIPE' ? undefined : reject(err)));
    socket.on('close', () => resolve(text));
    if (then === undefined) socket.end(first);
    else socket.write(first);
  });
}

describe('answerMalformedRequestsWithProblems', () => {
  it('chunk extensions over the limit: 413 payload-too-large', async () => {
    const port = await listening((req, res) => req.resume().on('end', () => res.end('read')));
    const text = await exchange(port, `POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n5;${'a'.repeat(20_000)}\r\nhello\r\n0\r\n\r\n`);
    expect(text).toMatch(/^HTTP\/1\.1 413 Payload Too Large\r\n/);
    expect(text).toContain('\r\nContent-Type: application/problem+json\r\n');
    expect(JSON.parse(text.slice(text.indexOf('\r\n\r\n') + 4))).toMatchObject({ type: `${PROBLEM_TYPE_BASE}payload-too-large`, status: 413 });
  });

  it('a refusal after the answer began: the connection is closed, no second answer is written into the first', async () => {
    const port = await listening((req, res) => {
      req.on('error', () => undefined);
      res.writeHead(200, { 'Content-Type': 'text/plain' });
      res.flushHeaders();
    });
    const text = await exchange(port, 'POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n', 'zz\r\nhello\r\n0\r\n\r\n');
    expect(text).toMatch(/^HTTP\/1\.1 200 OK\r\n/);
    expect(text.match(/HTTP\/1\.1 /g)).toHaveLength(1);
    expect(text).not.toContain('problem+json');
  });

  it('a connection error is not answered (nothing to answer: the client is gone)', () => {
    expect(problemForClientError(Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' }))).toBeUndefined();
    expect(problemForClientError(Object.assign(new Error('Parse Error'), { code: 'HPE_INVALID_METHOD' }))?.status).toBe(400);
  });
});
