import { connect, type AddressInfo } from 'node:net';
import { serve, type ServerType } from '@hono/node-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signUp, type Actor } from '../support/actors';
import { createTestSystem, type TestSystem } from '../support/test-system';

/**
 * `curl -X POST <url>` without `-d`: over HTTP/1.1 a request with neither Content-Length nor
 * Transfer-Encoding has no body (RFC 9112, section 6.3). Through the real local server
 * (@hono/node-server, as `npm start` serves), which still gives such a request an empty body
 * stream, it must be treated as body-less: not a 415 for a body of no type.
 */
let t: TestSystem;
let server: ServerType;
let port: number;
let owner: Actor;

beforeAll(async () => {
  t = await createTestSystem();
  server = serve({ fetch: t.app.fetch, port: 0, hostname: '127.0.0.1' });
  await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  port = (server.address() as AddressInfo).port;
  owner = await signUp(t.app, 'owner');
});
afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
  await t.destroy();
});

/**
 * Sends exactly these headers over a raw socket, as curl does: Node's own HTTP client would
 * add `Content-Length: 0` to a request that writes no body. The server closes after its answer (`Connection: close`); the client never half-closes first, which Node's server may take as an abort.
 */
function post(path: string, headers: Record<string, string>, body?: string): Promise<{ status: number; type: string | undefined; text: string }> {
  return new Promise((resolve, reject) => {
    const lines = [`POST ${path} HTTP/1.1`, `Host: 127.0.0.1:${port}`, 'Connection: close', ...Object.entries(headers).map(([k, v]) => `${k}: ${v}`)];
    const socket = connect(port, '127.0.0.1', () => socket.write(`${lines.join('\r\n')}\r\n\r\n${body ?? ''}`));
    let raw = '';
    socket.setEncoding('utf8');
    socket.on('data', (d: string) => (raw += d));
    socket.on('error', reject);
    socket.on('close', () => {
      const [head = '', ...rest] = raw.split('\r\n\r\n');
      const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(head)?.[1]);
      const type = /\r\ncontent-type: ([^\r]*)/i.exec(head)?.[1];
      resolve({ status, type, text: rest.join('\r\n\r\n') });
    });
  });
}

describe('a POST without a body on the local server', () => {
  it('runs a route that needs no body (no Content-Length, no Content-Type)', async () => {
    const res = await post('/v1/notifications/read-all', { authorization: `Bearer ${owner.token}` });
    expect(res.status, res.text).toBe(200);
    expect(res.text).toContain('"readUpTo"');
  });

  it('answers a route that needs a body with a 400 naming it, not a 415', async () => {
    const res = await post('/v1/auth/login', {});
    expect(res.status, res.text).toBe(400);
    expect(res.type).toContain('application/problem+json');
  });

  it('still refuses a body of another type (chunked, so without Content-Length)', async () => {
    const res = await post('/v1/auth/login', { 'content-type': 'text/plain', 'transfer-encoding': 'chunked' }, '5\r\nhello\r\n0\r\n\r\n');
    expect(res.status, res.text).toBe(415);
  });
});
