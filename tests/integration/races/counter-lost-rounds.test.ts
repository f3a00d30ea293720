import { ConditionalCheckFailedException, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { as, PASSWORD, signUp, uniqueEmail } from '../../support/actors';
import { withCommandMiddleware } from '../../support/command-middleware';
import { call, fromAddress } from '../../support/http';
import { expectProblem } from '../../support/problem';
import { createTestSystem, type TestSystem } from '../../support/test-system';
import { throttleKeysOf } from '../users/helpers';
import { startReceiver, type Receiver } from '../webhooks/receiver';

/**
 * The window counters that retry a lost conditional write a few rounds (a window replaced
 * under them, again and again) and then give up: the sign-in throttle's recordAttempt, the
 * password-reset's admitAttempt (users ThrottleRepository) and the webhook ping counter
 * (webhooks PingCounter). Until 2026-12-06 each threw its last condition failure: a 500. Here
 * every write of the one counter is refused as a failed condition (a middleware on the test
 * system's own client, removed after each case), so every round is lost, deterministically.
 *
 * What each answers then: the sign-in throttle and the reset limit fail CLOSED (429 with
 * Retry-After, as when over the limit: a throttle that cannot count must not let a guesser
 * through); the ping counter skips the count (the ping goes out).
 */
let t: TestSystem;
let receiver: Receiver;

beforeAll(async () => {
  receiver = await startReceiver();
  t = await createTestSystem({ env: { WEBHOOK_ALLOW_LOCAL_URLS: 'true' }, webhooks: { retry: { baseDelayMs: 20, maxDelayMs: 40 } } });
});
afterAll(async () => {
  await t?.system.webhooks.localQueue?.idle();
  await t?.destroy();
  await receiver?.close();
});

const meta = { $metadata: {} };

/**
 * Runs `work` with every write naming each of `markers` refused as a failed condition: a single
 * write with ConditionalCheckFailedException, a transaction with TransactionCanceledException
 * whose first item (the counter) failed. Answers `work`'s result and how many writes were refused.
 */
async function losingEveryRound<T>(markers: string[], work: () => Promise<T>): Promise<{ result: T; refused: number }> {
  let refused = 0;
  const result = await withCommandMiddleware(
    t.doc,
    'loseEveryCounterRound',
    (next, context) => async (args) => {
      const input = JSON.stringify(args.input);
      if (markers.every((m) => input.includes(m))) {
        if (context.commandName === 'UpdateItemCommand' || context.commandName === 'PutItemCommand') {
          refused++;
          throw new ConditionalCheckFailedException({ message: 'The conditional request failed', ...meta });
        }
        if (context.commandName === 'TransactWriteItemsCommand') {
          refused++;
          throw new TransactionCanceledException({
            message: 'Transaction cancelled, please refer cancellation reasons for specific reasons [ConditionalCheckFailed, None]',
            CancellationReasons: [{ Code: 'ConditionalCheckFailed' }, { Code: 'None' }],
            ...meta,
          });
        }
      }
      return next(args);
    },
    work,
  );
  return { result, refused };
}

describe('a window counter that loses every round', () => {
  it("sign-in: the client's failure counter cannot count, so the attempt is refused (429 with Retry-After, fail closed), not a 500", async () => {
    const user = await signUp(t.app, 'throttled');
    const keys = throttleKeysOf(user.email.toLowerCase());
    const { result: res, refused } = await losingEveryRound([keys.pk, 'users#throttle#client#'], () =>
      call(t.app, 'POST', '/v1/auth/login', { body: { email: user.email, password: PASSWORD }, env: fromAddress('203.0.113.7') }),
    );
    expect(refused).toBeGreaterThanOrEqual(3);
    expectProblem(res, 429);
    expect(Number(res.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    // Counting works again: the right password signs in.
    expect((await call(t.app, 'POST', '/v1/auth/login', { body: { email: user.email, password: PASSWORD }, env: fromAddress('203.0.113.7') })).status).toBe(200);
  });

  it("sign-up: the address's hashing counter cannot count, so the request is refused before any hash (429 with Retry-After), not a 500", async () => {
    const keys = throttleKeysOf('nobody@example.com');
    const { result: res, refused } = await losingEveryRound([keys.addressPk('203.0.113.9')], () =>
      call(t.app, 'POST', '/v1/auth/signup', { body: { email: uniqueEmail('contended'), password: PASSWORD }, env: fromAddress('203.0.113.9') }),
    );
    expect(refused).toBeGreaterThanOrEqual(3);
    expectProblem(res, 429);
    expect(Number(res.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
  });

  it('password-reset request: the per-email limit cannot count, so it is refused (429 with Retry-After), not a 500', async () => {
    const user = await signUp(t.app, 'resetting');
    const keys = throttleKeysOf(user.email.toLowerCase());
    const { result: res, refused } = await losingEveryRound([keys.pk], () =>
      call(t.app, 'POST', '/v1/auth/password-reset', { body: { email: user.email }, env: fromAddress('203.0.113.8') }),
    );
    expect(refused).toBeGreaterThanOrEqual(3);
    expectProblem(res, 429);
    expect(res.json.detail).toContain('password-reset requests for this email');
    expect(Number(res.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
  });

  it('webhook ping: the ping counter cannot count, so the ping goes out uncounted (best effort), not a 500', async () => {
    const owner = await signUp(t.app, 'pinger');
    const created = await as(t.app, owner)('POST', '/v1/webhooks', { body: { url: receiver.url('/lost-rounds') } });
    expect(created.status, created.text).toBe(201);
    const { result: res, refused } = await losingEveryRound(['ping-counter'], () => as(t.app, owner)('POST', `/v1/webhooks/${created.json.id}/ping`));
    expect(refused).toBeGreaterThanOrEqual(3);
    expect(res.status, res.text).toBe(202);
    expect(res.json).toMatchObject({ eventType: 'webhook.ping', status: 'pending' });
    // The guard is still there once counting works: the next ping is counted (its first).
    expect((await as(t.app, owner)('POST', `/v1/webhooks/${created.json.id}/ping`)).status).toBe(202);
  });
});
