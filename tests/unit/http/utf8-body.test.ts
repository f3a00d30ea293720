import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { ProblemError, type AppEnv } from '@budgeting/platform';
import { requireUtf8Body } from '../../../packages/app/src/http/utf8-body';

/** A request that counts reads of its `body` stream (what turns the local server's lightweight request into a full one). */
class CountingRequest extends Request {
  bodyReads = 0;
  override get body() {
    this.bodyReads++;
    return super.body;
  }
}

function appEchoingText() {
  const app = new Hono<AppEnv>();
  app.onError((err) => (err instanceof ProblemError ? Response.json(err.toBody(), { status: err.status }) : new Response(String(err), { status: 500 })));
  app.use('*', requireUtf8Body());
  app.post('/echo', async (c) => c.text(await c.req.text()));
  return app;
}

const post = (body: Uint8Array<ArrayBuffer> | string, headers: Record<string, string>) =>
  new CountingRequest('http://local/echo', { method: 'POST', body, headers: { 'content-type': 'application/json', ...headers } });

describe('requireUtf8Body', () => {
  it('checks a body of declared length without touching the request body stream', async () => {
    const body = JSON.stringify({ note: 'café ☕' });
    const req = post(body, { 'content-length': String(Buffer.byteLength(body)) });
    const res = await appEchoingText().fetch(req);
    expect(res.status).toBe(200);
    expect(await res.text()).toBe(body);
    expect(req.bodyReads).toBe(0);
  });

  it('still refuses invalid UTF-8 in a body of declared length, naming the field', async () => {
    const bytes = new Uint8Array([...Buffer.from('{"note":"a'), 0xff, ...Buffer.from('b"}')]);
    const res = await appEchoingText().fetch(post(bytes, { 'content-length': String(bytes.length) }));
    expect(res.status).toBe(400);
    expect(JSON.stringify(await res.json())).toContain('"path":"note"');
  });

  it('looks at the body stream only when no header tells whether there is a body', async () => {
    const req = post('{"a":1}', {});
    const res = await appEchoingText().fetch(req);
    expect(res.status).toBe(200);
    expect(req.bodyReads).toBeGreaterThan(0);
  });
});
