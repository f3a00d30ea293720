import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { corsMiddleware } from './cors';

const options = { allowHeaders: ['Authorization'], exposeHeaders: ['ETag', 'Location'], maxAge: 600 };

function appWith(origins: string[]) {
  const answers: Response[] = [];
  const app = new Hono();
  app.use('*', corsMiddleware({ origins, ...options }));
  app.get('/ok', (c) => {
    const answer = c.json({ ok: true }, 200, { ETag: '"1"' });
    answers.push(answer);
    return answer;
  });
  app.get('/fails', () => {
    throw new Error('boom');
  });
  app.onError((_err, c) => c.json({ status: 500 }, 500));
  return { app, answers };
}

describe('corsMiddleware', () => {
  it('puts Allow-Origin and Expose-Headers on the route answer itself, not on a copy of it', async () => {
    const { app, answers } = appWith(['*']);
    const res = await app.request('/ok', { headers: { origin: 'https://app.example' } });
    // hono/cors made Hono copy the answer into a new Response built from its body stream.
    expect(res).toBe(answers[0]);
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
    expect(res.headers.get('access-control-expose-headers')).toBe('ETag,Location');
    expect(res.headers.get('etag')).toBe('"1"');
    expect(res.headers.get('vary')).toBeNull();
    expect(await res.json()).toEqual({ ok: true });
  });

  it('sets them on error answers too', async () => {
    const { app } = appWith(['*']);
    const res = await app.request('/fails');
    expect(res.status).toBe(500);
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
  });

  it('echoes a listed origin with Vary: Origin and leaves Allow-Origin out for another', async () => {
    const { app } = appWith(['https://app.example']);
    const listed = await app.request('/ok', { headers: { origin: 'https://app.example' } });
    expect(listed.headers.get('access-control-allow-origin')).toBe('https://app.example');
    expect(listed.headers.get('vary')).toBe('Origin');
    const other = await app.request('/ok', { headers: { origin: 'https://evil.example' } });
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
    expect(other.headers.get('access-control-expose-headers')).toBe('ETag,Location');
    expect(other.headers.get('vary')).toBe('Origin');
  });

  it('answers preflights as hono/cors does', async () => {
    const { app } = appWith(['https://app.example']);
    const res = await app.request('/ok', { method: 'OPTIONS', headers: { origin: 'https://app.example', 'access-control-request-method': 'GET' } });
    expect(res.status).toBe(204);
    expect(res.headers.get('access-control-allow-origin')).toBe('https://app.example');
    expect(res.headers.get('access-control-allow-headers')).toBe('Authorization');
    expect(res.headers.get('access-control-max-age')).toBe('600');
  });
});
