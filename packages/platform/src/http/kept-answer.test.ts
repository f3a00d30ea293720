import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { replayStored, storedAnswer, type AnswerSealer, type StoredResponse } from './idempotency-key';
import { COMPRESS_ABOVE_CHARS, KEPT_BODY_MAX_CHARS } from './kept-answer';

/** A toy sealer (reversible, bound to the record id) that shows what it was given to seal. */
const sealer: AnswerSealer = {
  seal: (body, recordId) => `${recordId}:${Buffer.from(body).toString('base64')}`,
  open: (sealed, recordId) => {
    if (!sealed.startsWith(`${recordId}:`)) throw new Error('not sealed for this record');
    return Buffer.from(sealed.slice(recordId.length + 1), 'base64').toString();
  },
};

const recordId = 'idempotency#key#abc';
const answer = (body: string): StoredResponse => ({ status: 200, headers: { 'content-type': 'application/json', etag: '"1"' }, body });
/** A push answer of `n` applied expenses, each with a 500-character description of prose. */
const pushAnswer = (n: number) =>
  JSON.stringify({ results: Array.from({ length: n }, (_, i) => ({ status: 'applied', expense: { id: `e${i}`, amount: 100 + i, description: `Groceries and snacks ${i}. `.repeat(25) } })) });
const completed = (response: StoredResponse) => ({ pk: recordId, fingerprint: 'fp', state: 'completed', response });

describe('an Idempotency-Key answer as its record keeps it', () => {
  it('keeps a small answer (a typical POST expense) plain, as records always held it', () => {
    const body = JSON.stringify({ id: '01JDZZ00000000000000000001', amount: 1234, occurredOn: '2026-11-20', description: 'Weekly groceries' });
    expect(body.length).toBeLessThanOrEqual(COMPRESS_ABOVE_CHARS);
    expect(storedAnswer(answer(body), recordId, undefined)).toEqual(answer(body));
  });

  it('keeps a large answer compressed, and replays it equal to the original', async () => {
    const body = pushAnswer(700);
    expect(body.length).toBeGreaterThan(400 * 1024);
    const kept = storedAnswer(answer(body), recordId, undefined);
    expect(kept.encoding).toBe('br');
    expect(kept.body.length).toBeLessThan(body.length / 10);
    const replay = replayStored(completed(kept), 'fp');
    expect(replay.status).toBe(200);
    expect(replay.headers.get('etag')).toBe('"1"');
    expect(replay.headers.get('idempotent-replayed')).toBe('true');
    expect(await replay.text()).toBe(body);
  });

  it('replays non-ASCII text (é, emoji, a lone surrogate escaped in JSON) byte for byte, plain or sealed', async () => {
    const body = JSON.stringify({ description: `Café 😀 ${'\ud800'} `.repeat(200), note: 'ñ'.repeat(500) });
    expect(body).toContain('\\ud800');
    expect(body.length).toBeGreaterThan(COMPRESS_ABOVE_CHARS);
    for (const s of [undefined, sealer]) {
      const kept = storedAnswer(answer(body), recordId, s);
      expect(kept.encoding).toBe('br');
      const replayed = new Uint8Array(await replayStored(completed(kept), 'fp', s).arrayBuffer());
      expect(Buffer.from(replayed).equals(Buffer.from(body, 'utf8'))).toBe(true);
    }
  });

  it('replays a record written before answers were compressed (no encoding) as it is', async () => {
    const body = pushAnswer(50);
    const replay = replayStored(completed(answer(body)), 'fp');
    expect(await replay.text()).toBe(body);
  });

  it('seals the compressed text (a sealed answer stays small) and opens then decompresses it on replay', async () => {
    const body = pushAnswer(300);
    let sealedInput = '';
    const spy: AnswerSealer = { seal: (b, id) => ((sealedInput = b), sealer.seal(b, id)), open: sealer.open };
    const kept = storedAnswer(answer(body), recordId, spy);
    expect(kept).toMatchObject({ sealed: true, encoding: 'br' });
    expect(sealedInput.length).toBeLessThan(body.length / 10);
    expect(kept.body).not.toContain('Groceries');
    expect(await replayStored(completed(kept), 'fp', sealer).text()).toBe(body);
    // Bound to its record still: another record's id does not open it.
    expect(() => replayStored({ ...completed(kept), pk: 'idempotency#key#other' }, 'fp', sealer)).toThrow('not sealed for this record');
  });

  it('keeps only the status of an answer too large even compressed, and answers its replay 409 idempotent-answer-not-kept', () => {
    // Random text compresses to ~3/4; its base64 is then larger than the original.
    const body = JSON.stringify({ results: [randomBytes(KEPT_BODY_MAX_CHARS).toString('base64url')] });
    const kept = storedAnswer(answer(body), recordId, undefined);
    expect(kept).toEqual({ status: 200, headers: answer('').headers, body: '', notKept: true });
    try {
      replayStored(completed(kept), 'fp');
      expect.unreachable();
    } catch (err) {
      expect(err).toMatchObject({ status: 409, slug: 'idempotent-answer-not-kept' });
    }
    // Another body with the key is still a 422, a retry of one still running a 409 of its own.
    expect(() => replayStored(completed(kept), 'other')).toThrow(/different request body/);
  });

  it('counts a sealed answer at its sealed size (a seal over the limit is not kept either)', () => {
    const body = randomBytes(180 * 1024).toString('base64url');
    expect(storedAnswer(answer(body), recordId, undefined).notKept).toBeUndefined();
    // The toy seal is base64 of the compressed base64: ~4/3 of it again, over the limit.
    expect(storedAnswer(answer(body), recordId, sealer).notKept).toBe(true);
  });
});

describe('an Idempotency-Key answer larger than Lambda sends plain', () => {
  it('replays a bulk answer larger than Lambda sends plain (100 expenses of 3-byte characters, ~7.7 MB), which the handler sends compressed', async () => {
    const expense = (i: number) => ({ id: `e${i}`, description: '€'.repeat(500), merchant: '€'.repeat(200), splits: Array.from({ length: 50 }, () => ({ amount: 100, description: '€'.repeat(500) })) });
    const body = JSON.stringify({ succeeded: 100, results: Array.from({ length: 100 }, (_, i) => ({ status: 'updated', expense: expense(i) })) });
    expect(Buffer.byteLength(body)).toBeGreaterThan(7 * 1024 * 1024);
    const kept = storedAnswer(answer(body), recordId, undefined);
    expect(kept.notKept).toBeUndefined();
    const replay = replayStored(completed(kept), 'fp');
    expect(replay.status).toBe(200);
    expect(await replay.text()).toBe(body);
  });
});
