import { ProvisionedThroughputExceededException } from '@aws-sdk/client-dynamodb';
import { GetCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { fixedClock } from '@budgeting/platform';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSystem } from '../../../packages/app/src/system';
import { as, createBudget, signUp, type Actor } from '../../support/actors';
import { withFirstAnswerLost } from '../../support/answer-lost';
import { call } from '../../support/http';
import { expectProblem } from '../../support/problem';
import { createTestSystem, type TestSystem } from '../../support/test-system';

/**
 * The per-caller rate limit through HTTP on DynamoDB Local, at 5 requests a minute (so every
 * request is shared at once: flushEvery = max(1, floor(5 / 20)) = 1). Every authenticated
 * route goes through requireAuth, the summary shortcut included; two systems on one table
 * are two containers sharing the count.
 */
const clock = fixedClock('2026-11-24T12:00:15Z'); // 45 s before the minute's window ends
const WINDOW_START = Date.parse('2026-11-24T12:00:00Z') / 1000;
let t: TestSystem;

beforeAll(async () => {
  t = await createTestSystem({ clock, env: { API_RATE_LIMIT_PER_MINUTE: '5' } });
});
afterAll(() => t.destroy());

/** Another container: its own system (its own local counts) on the same table. */
function secondContainer(doc: DynamoDBDocumentClient = t.doc) {
  return createSystem({ config: t.system.config, clock, doc }).app;
}

describe('the per-caller rate limit', () => {
  it('answers the 6th authenticated request of a minute with 429 problem+json, Retry-After and RateLimit; another user is unaffected', async () => {
    const ada = await signUp(t.app, 'ada');
    const bob = await signUp(t.app, 'bob');
    const budget = await createBudget(t.app, ada, { name: 'Home' }); // 1
    const answers = [
      await as(t.app, ada)('GET', `/v1/budgets/${budget.id}/summary`), // 2: the summary shortcut
      await as(t.app, ada)('GET', '/v1/me'), // 3
      await as(t.app, ada)('GET', '/v1/budgets'), // 4
      await as(t.app, ada)('GET', `/v1/budgets/${budget.id}/expenses`), // 5
    ];
    expect(answers.map((r) => r.status)).toEqual([200, 200, 200, 200]);
    expect(answers.map((r) => r.headers.get('ratelimit'))).toEqual(['"user";r=3;t=45', '"user";r=2;t=45', '"user";r=1;t=45', '"user";r=0;t=45']);
    expect(answers[0]!.headers.get('ratelimit-policy')).toBe('"user";q=5;w=60');

    const refused = await as(t.app, ada)('GET', `/v1/budgets/${budget.id}/summary`);
    expectProblem(refused, 429);
    expect(refused.json).toMatchObject({ type: 'https://budgeting.dev/problems/too-many-requests', title: 'Too many requests' });
    expect(refused.headers.get('retry-after')).toBe('45');
    expect(refused.headers.get('ratelimit')).toBe('"user";r=0;t=45');
    expect(refused.headers.get('ratelimit-policy')).toBe('"user";q=5;w=60');
    expect((await as(t.app, ada)('GET', '/v1/me')).status).toBe(429);

    const other = await as(t.app, bob)('GET', '/v1/me');
    expect(other.status).toBe(200);
    expect(other.headers.get('ratelimit')).toBe('"user";r=4;t=45');

    // The shared counter: one item per user and window, its end as TTL, under the kernel's prefix.
    const item = await t.doc.send(new GetCommand({ TableName: t.tableName, Key: { pk: `ratelimit#user#${ada.id}`, sk: `ratelimit#window#${WINDOW_START}` } }));
    expect(item.Item).toMatchObject({ requests: 6, expiresAt: WINDOW_START + 60, kind: 'rate-limit' });
  });

  it('admits again when the window ends', async () => {
    const cy = await signUp(t.app, 'cy');
    for (let i = 0; i < 5; i++) expect((await as(t.app, cy)('GET', '/v1/me')).status).toBe(200);
    expect((await as(t.app, cy)('GET', '/v1/me')).status).toBe(429);
    clock.set('2026-11-24T12:01:00Z');
    try {
      const next = await as(t.app, cy)('GET', '/v1/me');
      expect(next.status).toBe(200);
      expect(next.headers.get('ratelimit')).toBe('"user";r=4;t=60');
    } finally {
      clock.set('2026-11-24T12:00:15Z');
    }
  });

  it('counts a user across two containers (two systems on one table)', async () => {
    const dee = await signUp(t.app, 'dee');
    const other = secondContainer();
    for (let i = 0; i < 3; i++) expect((await as(t.app, dee)('GET', '/v1/me')).status).toBe(200);
    const there = await as(other, dee)('GET', '/v1/me');
    expect(there.status).toBe(200);
    expect(there.headers.get('ratelimit')).toBe('"user";r=1;t=45'); // it knows the first container's 3
    expect((await as(other, dee)('GET', '/v1/me')).status).toBe(200); // 5th
    expectProblem(await as(t.app, dee)('GET', '/v1/me'), 429); // 6th, back in the first container
    expectProblem(await as(other, dee)('GET', '/v1/me'), 429);
  });

  it('a flush whose ADD committed but whose answer was lost (the SDK sent it again) counts its requests once: the user still has the minute\'s five', async () => {
    const eve = await signUp(t.app, 'eve');
    const flush = (name: string, input: string) => name === 'UpdateItemCommand' && input.includes(`ratelimit#user#${eve.id}`);
    const { result: first, resent } = await withFirstAnswerLost(t.doc, flush, () => as(t.app, eve)('GET', '/v1/me'));
    expect(resent).toBe(true);
    expect(first.status).toBe(200);
    const item = await t.doc.send(new GetCommand({ TableName: t.tableName, Key: { pk: `ratelimit#user#${eve.id}`, sk: `ratelimit#window#${WINDOW_START}` }, ConsistentRead: true }));
    expect(item.Item?.requests).toBe(1);
    const rest = [];
    for (let i = 0; i < 4; i++) rest.push((await as(t.app, eve)('GET', '/v1/me')).status);
    expect(rest).toEqual([200, 200, 200, 200]);
    expect((await as(t.app, eve)('GET', '/v1/me')).status).toBe(429);
  });

  it('admits the request when the shared counter fails (fail open), and counts locally still', async () => {
    const eve = await signUp(t.app, 'eve');
    let refusedWrites = 0;
    const failing = {
      send(command: unknown) {
        if (command instanceof UpdateCommand && String(command.input.Key?.pk).startsWith('ratelimit#')) {
          refusedWrites++;
          return Promise.reject(new ProvisionedThroughputExceededException({ message: 'slow down', $metadata: {} }));
        }
        return t.doc.send(command as never);
      },
    } as unknown as DynamoDBDocumentClient;
    const app = secondContainer(failing);
    const first = await as(app, eve)('GET', '/v1/me');
    expect(first.status, first.text).toBe(200);
    expect(refusedWrites).toBe(1);
    // What the container counted itself still applies: 4 more, then the 6th is refused.
    for (let i = 0; i < 4; i++) expect((await as(app, eve)('GET', '/v1/me')).status).toBe(200);
    expect((await as(app, eve)('GET', '/v1/me')).status).toBe(429);
  });

  it('does not count public requests (sign-in) or requests whose token is refused', async () => {
    const fay: Actor = await signUp(t.app, 'fay');
    for (let i = 0; i < 6; i++) {
      expect((await call(t.app, 'POST', '/v1/auth/login', { body: { email: fay.email, password: fay.password } })).status).toBe(200);
      expect((await as(t.app, { token: 'not-a-token' })('GET', '/v1/me')).status).toBe(401);
    }
    expect((await as(t.app, fay)('GET', '/v1/me')).headers.get('ratelimit')).toBe('"user";r=4;t=45');
  });
});
