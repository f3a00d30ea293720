import { randomBytes } from 'node:crypto';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { answeringAsLambda } from '../local/answer-fit';
import { acceptedCoding, fitAnswer, type HttpResult } from './answer-fit';

const LIMIT = 6_291_456;
const json = (body: string, headers: Record<string, string> = {}): HttpResult => ({
  statusCode: 200,
  headers: { 'content-type': 'application/json', 'x-request-id': 'req-1', ...headers },
  body,
  isBase64Encoded: false,
});
const get = (acceptEncoding?: string) => ({ method: 'GET', acceptEncoding, idempotencyKey: false });
const sentBytes = (result: HttpResult) => Buffer.byteLength(JSON.stringify(result));
/** A JSON list whose texts are backslashes: each `\\` of the body takes 4 bytes in the result. */
const backslashList = (chars: number) => JSON.stringify({ items: [{ description: '\\'.repeat(chars) }] });

describe('acceptedCoding', () => {
  it.each([
    ['gzip, deflate, br', 'gzip'],
    ['br', 'br'],
    ['gzip;q=0, br;q=0.5', 'br'],
    ['*', 'gzip'],
    ['identity', undefined],
    ['gzip;q=0', undefined],
    ['deflate', undefined],
    [undefined, undefined],
  ] as const)('%s: %s', (header, coding) => {
    expect(acceptedCoding(header)).toBe(coding);
  });
});

describe('fitAnswer', () => {
  it('leaves a small answer alone, the same object, whatever the client accepts', () => {
    const result = json('{"id":"e1","amount":1250}');
    expect(fitAnswer(result, get('gzip, br'))).toBe(result);
  });

  it('compresses an answer over 256 KiB for a client that accepts gzip, with Vary, and leaves it plain for one that does not', () => {
    const result = json(JSON.stringify({ items: Array.from({ length: 5000 }, (_, i) => ({ id: `e${i}`, description: 'Groceries at the market' })) }), { vary: 'Origin', 'content-length': '1' });
    expect(sentBytes(result)).toBeGreaterThan(256 * 1024);
    expect(fitAnswer(result, get())).toBe(result);
    const fitted = fitAnswer(result, get('gzip'));
    expect(fitted.isBase64Encoded).toBe(true);
    expect(fitted.headers).toMatchObject({ 'content-encoding': 'gzip', vary: 'Origin, Accept-Encoding', 'content-type': 'application/json', 'x-request-id': 'req-1' });
    expect(fitted.headers?.['content-length']).toBeUndefined();
    expect(gunzipSync(Buffer.from(fitted.body!, 'base64')).toString('utf8')).toBe(result.body);
    const br = fitAnswer(result, get('br'));
    expect(br.headers?.['content-encoding']).toBe('br');
    expect(brotliDecompressSync(Buffer.from(br.body!, 'base64')).toString('utf8')).toBe(result.body);
  });

  it('compresses a body that was base64 already (a binary type) from its bytes', () => {
    const text = 'D2026-11-03\r\nT-4.50\r\n^\r\n'.repeat(20_000);
    const result: HttpResult = { statusCode: 200, headers: { 'content-type': 'application/qif' }, body: Buffer.from(text).toString('base64'), isBase64Encoded: true };
    const fitted = fitAnswer(result, get('gzip'));
    expect(gunzipSync(Buffer.from(fitted.body!, 'base64')).toString('utf8')).toBe(text);
  });

  it('answers a too-large GET with a 406 problem that keeps the request id and drops the body fields', () => {
    const result = json(backslashList(1_600_000), { etag: 'W/"3"', 'cache-control': 'private, max-age=60' });
    expect(sentBytes(result)).toBeGreaterThan(LIMIT);
    const fitted = fitAnswer(result, get());
    expect(sentBytes(fitted)).toBeLessThan(LIMIT);
    expect(fitted.statusCode).toBe(406);
    expect(fitted.headers).toEqual({ 'content-type': 'application/problem+json', 'x-request-id': 'req-1', 'cache-control': 'no-store', vary: 'Accept-Encoding' });
    const problem = JSON.parse(fitted.body!);
    expect(problem).toMatchObject({ type: 'https://budgeting.dev/problems/answer-too-large', status: 406, answerStatus: 200 });
    expect(problem.detail).toContain('Accept-Encoding: gzip');
  });

  it('answers text that does not compress enough with the 406 even when gzip is accepted, saying so', () => {
    const result = json(JSON.stringify({ items: [randomBytes(4_800_000).toString('base64')] }));
    expect(sentBytes(result)).toBeGreaterThan(LIMIT);
    const fitted = fitAnswer(result, get('gzip'));
    expect(fitted.statusCode).toBe(406);
    expect(JSON.parse(fitted.body!).detail).toContain('even compressed');
  });

  it('sends a plain answer that fits when compressing would make it larger (base64 of text that does not compress)', () => {
    const result = json(JSON.stringify({ items: [randomBytes(3_000_000).toString('base64')] }));
    expect(fitAnswer(result, get('gzip'))).toBe(result);
  });

  it('a write whose answer is too large says it was applied and how to get the answer', () => {
    const result = json(backslashList(1_600_000));
    const keyed = JSON.parse(fitAnswer(result, { method: 'POST', idempotencyKey: true }).body!);
    expect(keyed.answerStatus).toBe(200);
    expect(keyed.detail).toMatch(/was applied.*same Idempotency-Key and Accept-Encoding: gzip/);
    const unkeyed = JSON.parse(fitAnswer(result, { method: 'POST', idempotencyKey: false }).body!);
    expect(unkeyed.detail).toMatch(/was applied.*read the result/);
  });
});

describe('fitAnswer and ETags', () => {
  it("gives a compressed answer's strong ETag as weak: the identity answer's strong tag is not the gzip one's (RFC 9110 8.8.1, 8.8.3)", () => {
    // A calendar feed of a few daily bills passes 256 KiB (text/calendar travels base64: 4/3).
    const event = 'BEGIN:VEVENT\r\nUID:r1-2026-12-31@b1.budgeting\r\nSUMMARY:Lunch: 12.50 EUR\r\nEND:VEVENT\r\n';
    const ics = `BEGIN:VCALENDAR\r\n${event.repeat(4000)}END:VCALENDAR\r\n`;
    const feed: HttpResult = { statusCode: 200, headers: { 'content-type': 'text/calendar; charset=utf-8', etag: '"Xy9_q"', 'cache-control': 'private, max-age=300' }, body: Buffer.from(ics).toString('base64'), isBase64Encoded: true };
    expect(sentBytes(feed)).toBeGreaterThan(256 * 1024);
    // Sent as it is, the representation keeps its strong tag.
    expect(fitAnswer(feed, get()).headers?.etag).toBe('"Xy9_q"');
    // Compressed, it is another representation (its content coding is part of it): a strong tag must
    // differ, and a weak one may be shared by the two (semantically equivalent), so a calendar app's
    // If-None-Match still finds it (weak comparison, RFC 9110 13.1.2).
    for (const coding of ['gzip', 'br']) {
      const fitted = fitAnswer(feed, get(coding));
      expect(fitted.headers?.['content-encoding']).toBe(coding);
      expect(fitted.headers?.etag).toBe('W/"Xy9_q"');
    }
    // A weak tag stays as it is.
    expect(fitAnswer({ ...feed, headers: { ...feed.headers, etag: 'W/"Xy9_q"' } }, get('gzip')).headers?.etag).toBe('W/"Xy9_q"');
  });

  it('answers a conditional GET with the tag form its 200 carried: the weak one to a client revalidating the compressed answer (RFC 9110 15.4.5)', () => {
    const notModified: HttpResult = { statusCode: 304, headers: { etag: '"Xy9_q"', 'cache-control': 'private, max-age=300' }, body: '', isBase64Encoded: false };
    const revalidate = (acceptEncoding: string | undefined, ifNoneMatch: string) => fitAnswer(notModified, { ...get(acceptEncoding), ifNoneMatch }).headers?.etag;
    // It holds the compressed answer, whose 200 named it W/"Xy9_q": the 304 names it so too.
    expect(revalidate('gzip', 'W/"Xy9_q"')).toBe('W/"Xy9_q"');
    expect(revalidate('gzip, br', '"other", W/"Xy9_q"')).toBe('W/"Xy9_q"');
    // The plain answer's client keeps the strong tag its 200 carried.
    expect(revalidate('gzip', '"Xy9_q"')).toBe('"Xy9_q"');
    expect(revalidate(undefined, '"Xy9_q"')).toBe('"Xy9_q"');
  });
});

describe('answeringAsLambda (npm start)', () => {
  const large = backslashList(1_600_000);
  const app = (body: string, seen: unknown[] = []) =>
    answeringAsLambda(async (_request: Request, bindings: { incoming: string }) => {
      seen.push(bindings);
      const headers = new Headers({ 'content-type': 'application/json' });
      headers.append('set-cookie', 'a=1');
      headers.append('set-cookie', 'b=2');
      return new Response(body, { headers });
    });

  it('sends a large answer gzip-compressed to a client that accepts it, passing the bindings on', async () => {
    const seen: unknown[] = [];
    const res = await app(large, seen)(new Request('http://localhost/v1/x', { headers: { 'accept-encoding': 'gzip' } }), { incoming: 'socket' });
    expect(seen).toEqual([{ incoming: 'socket' }]);
    expect(res.headers.get('content-encoding')).toBe('gzip');
    expect(res.headers.getSetCookie()).toEqual(['a=1', 'b=2']);
    expect(gunzipSync(Buffer.from(await res.arrayBuffer())).toString('utf8')).toBe(large);
  });

  it('refuses it with the 406 problem when the client accepts no compression, as the Lambda does', async () => {
    const res = await app(large)(new Request('http://localhost/v1/x'), { incoming: 'socket' });
    expect(res.status).toBe(406);
    expect((await res.json()).type).toBe('https://budgeting.dev/problems/answer-too-large');
  });

  it('answers a 304 with the tag form the 200 carried, as the Lambda does', async () => {
    const notModified = answeringAsLambda(async () => new Response(null, { status: 304, headers: { etag: '"Xy9_q"', 'cache-control': 'private, max-age=300' } }));
    const revalidate = async (ifNoneMatch: string) => {
      const res = await notModified(new Request('http://localhost/v1/calendar/t.ics', { headers: { 'accept-encoding': 'gzip', 'if-none-match': ifNoneMatch } }));
      expect(res.status).toBe(304);
      expect(res.headers.get('cache-control')).toBe('private, max-age=300');
      return res.headers.get('etag');
    };
    expect(await revalidate('W/"Xy9_q"')).toBe('W/"Xy9_q"');
    expect(await revalidate('"Xy9_q"')).toBe('"Xy9_q"');
  });

  it('passes a small answer through unchanged', async () => {
    const res = await app('{"ok":true}')(new Request('http://localhost/v1/x', { headers: { 'accept-encoding': 'gzip' } }), { incoming: 'socket' });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-encoding')).toBeNull();
    expect(res.headers.getSetCookie()).toEqual(['a=1', 'b=2']);
    expect(await res.text()).toBe('{"ok":true}');
  });
});
