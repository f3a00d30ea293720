import { randomBytes } from 'node:crypto';
import { ModuleStore, fixedClock, idempotency, ProblemError, problemResponse } from '@budgeting/platform';
import { createRouter } from '@budgeting/platform/routes';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestSystem, type TestSystem } from '../../support/test-system';

/**
 * A key's answer too large to keep (`notKept`, platform kept-answer.ts) met by the first attempt
 * of a lease taken over after its 60 s: the retry ran and stored the not-kept answer, then the
 * first attempt finishes. It can replay nothing, so it answers what every later retry gets: 409
 * `idempotent-answer-not-kept` (the request was applied, by the retry).
 */
let t: TestSystem;
let runs = 0;
let release: (() => void) | undefined;
/** Lets the held first attempt go on (a function: TypeScript does not see the handler set `release`). */
const releaseFirst = () => release?.();
const clock = fixedClock('2026-11-24T12:00:00Z');
/** Random text: ~530 KB, still over 300 KB brotli-compressed as base64. */
const large = randomBytes(400_000).toString('base64');

function app() {
  const router = createRouter();
  router.use('*', async (c, next) => {
    c.set('userId', 'u1');
    await next();
  });
  router.use('*', idempotency(new ModuleStore('idempotency', t.doc, t.tableName), clock));
  router.post('/things', async (c) => {
    const run = ++runs;
    const body = await c.req.json();
    if (run === 1) await new Promise<void>((r) => (release = r));
    if (body.refuseFirst && run === 1) return c.json({ error: 'refused' }, 400);
    return c.json({ run, large }, 201);
  });
  router.onError((err, c) => (err instanceof ProblemError ? problemResponse(err) : c.json({ error: String(err) }, 500)));
  return router;
}

const post = (a: ReturnType<typeof app>, body: unknown, key: string) =>
  a.request('/things', { method: 'POST', headers: { 'content-type': 'application/json', 'idempotency-key': key }, body: JSON.stringify(body) });

beforeAll(async () => {
  t = await createTestSystem();
});
afterAll(() => t.destroy());

async function takenOver(body: Record<string, unknown>, key: string) {
  const a = app();
  runs = 0;
  release = undefined;
  const first = post(a, body, key);
  while (!release) await new Promise((r) => setTimeout(r, 10));
  clock.advance(61_000);
  const retry = await post(a, body, key);
  expect(retry.status).toBe(201);
  expect((await retry.json()).run).toBe(2);
  releaseFirst();
  const firstAnswer = await first;
  const again = await post(a, body, key);
  return { firstAnswer, again };
}

describe('an answer not kept, met by the first attempt of a taken-over lease', () => {
  it('the first attempt answering 201 after the retry stored the not-kept answer answers 409 idempotent-answer-not-kept', async () => {
    const { firstAnswer, again } = await takenOver({ n: 1 }, 'not-kept-1');
    expect(firstAnswer.status).toBe(409);
    expect((await firstAnswer.json()).type).toBe('https://budgeting.dev/problems/idempotent-answer-not-kept');
    expect(again.status).toBe(409);
    expect(runs).toBe(2);
  });

  it('the first attempt refused (400) after the retry stored the not-kept answer answers 409 idempotent-answer-not-kept, not its own refusal', async () => {
    const { firstAnswer, again } = await takenOver({ refuseFirst: true }, 'not-kept-2');
    expect(firstAnswer.status).toBe(409);
    expect((await firstAnswer.json()).type).toBe('https://budgeting.dev/problems/idempotent-answer-not-kept');
    expect(again.status).toBe(409);
    expect(runs).toBe(2);
  });
});
