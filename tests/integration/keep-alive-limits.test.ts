import { Agent, request, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { serve, type ServerType } from '@hono/node-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestSystem, type TestSystem } from '../support/test-system';

/**
 * Refusing a body must not break the client's keep-alive connection: through the real local
 * server (@hono/node-server), a refused 2 MB body (413) and a 600 KB body refused for another
 * reason (401) are followed by a second request on the SAME connection, which gets its answer.
 * A body without a declared length that must be cut off says `Connection: close`.
 */
let t: TestSystem;
let server: ServerType;
let port: number;
let connections = 0;

beforeAll(async () => {
  t = await createTestSystem();
  server = serve({ fetch: t.app.fetch, port: 0, hostname: '127.0.0.1' });
  await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  server.on('connection', () => connections++);
  port = (server.address() as AddressInfo).port;
});
afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
  await t.destroy();
});

interface Answer {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
}

function send(agent: Agent, method: string, path: string, body?: Buffer, headers: Record<string, string> = {}): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, method, path, agent, headers }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => (text += d));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: text }));
      res.on('error', reject);
    });
    req.on('error', reject);
    // The server may answer before the body is sent; it must still read (drain) the rest.
    req.on('response', () => undefined);
    if (body) req.write(body);
    req.end();
  });
}

const json = (size: number) => Buffer.from(JSON.stringify({ email: 'a@b.co', password: 'x'.repeat(size) }));

describe('refused bodies and keep-alive', () => {
  it('answers a 2 MB body with 413, then the next request on the same connection', async () => {
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    const before = connections;
    const big = json(2 * 1024 * 1024);
    const refused = await send(agent, 'POST', '/v1/auth/login', big, { 'content-type': 'application/json', 'content-length': String(big.length) });
    expect(refused.status).toBe(413);
    expect(refused.headers['content-type']).toBe('application/problem+json');
    // Give the server the time in which it used to destroy the connection (about 500 ms).
    await new Promise((r) => setTimeout(r, 800));
    const next = await send(agent, 'GET', '/health');
    expect(next.status).toBe(200);
    expect(connections - before).toBe(1);
    agent.destroy();
  });

  it('answers a 600 KB body refused for another reason (401), then the next request on the same connection', async () => {
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    const before = connections;
    const body = Buffer.from(JSON.stringify({ name: 'x'.repeat(600 * 1024) }));
    const refused = await send(agent, 'POST', '/v1/budgets', body, { 'content-type': 'application/json', 'content-length': String(body.length) });
    expect(refused.status).toBe(401);
    await new Promise((r) => setTimeout(r, 800));
    const next = await send(agent, 'GET', '/health');
    expect(next.status).toBe(200);
    expect(connections - before).toBe(1);
    agent.destroy();
  });

  it('cuts off an over-long body of undeclared length with 413 and Connection: close; the client goes on', async () => {
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    const refused = await send(agent, 'POST', '/v1/auth/login', json(2 * 1024 * 1024), { 'content-type': 'application/json', 'transfer-encoding': 'chunked' });
    expect(refused.status).toBe(413);
    expect(refused.headers.connection).toBe('close');
    const next = await send(agent, 'GET', '/health');
    expect(next.status).toBe(200);
    agent.destroy();
  });
});
