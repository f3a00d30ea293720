import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { heldJobs } from '../../support/held-jobs';
import { createHarness, type Budget, type Harness, type User } from './harness';

/**
 * `Prefer: wait=N` (at most 25 s) on the job-starting routes (the import, its undo, a merchant
 * rename) against API Gateway's 29 s: API Gateway answers 504 29 s after IT received the request,
 * whatever the function still does. Time spent before the wait starts (a cold start, reading and
 * storing a 5 MB file, queueing its chunks) counts against those 29 s, so the wait ends at the
 * earlier of N seconds and what is left of them (`requestContext.timeEpoch`, when API Gateway
 * received the request), and the client gets its 202 + Location instead of a 504 it would retry.
 * The jobs' units are held, so the jobs never finish and every wait runs to its end.
 */
const jobs = heldJobs('prefer-wait-deadline');
let h: Harness;
let owner: User;
let budget: Budget;

beforeAll(async () => {
  h = await createHarness({ jobs: { transport: jobs.transport } });
  ({ owner, budget } = await h.team({ categories: ['Groceries'] }));
});
afterAll(async () => {
  await h.destroy();
  await jobs.stop();
});

/** The runtime bindings of a request API Gateway received `agoMs` ago (hono/aws-lambda puts the event in `env.event`). */
const receivedAgo = (agoMs: number) => ({ event: { requestContext: { requestId: `req-${agoMs}`, timeEpoch: Date.now() - agoMs, http: { sourceIp: '203.0.113.9' } } } });

/** How long the call took here, and its answer. */
async function timed<T>(call: () => Promise<T>): Promise<{ ms: number; res: T }> {
  const started = Date.now();
  const res = await call();
  return { ms: Date.now() - started, res };
}

describe('Prefer: wait within API Gateway 29 s', { timeout: 120_000 }, () => {
  it('an import received 20 s ago (a cold start, a large file) answers 202 within what is left of 29 s, not after 25 s more', async () => {
    const { ms, res } = await timed(() =>
      h.call('POST', `/v1/budgets/${budget.id}/expenses/import`, {
        token: owner.token,
        rawBody: '2026-11-01,12.50,,Corner Shop,\n',
        headers: { 'content-type': 'text/csv', prefer: 'wait=25' },
        env: receivedAgo(20_000),
      }),
    );
    expect(res.status, res.text).toBe(202);
    expect(res.json.status).toBe('queued');
    expect(res.headers.get('location')).toBe(`/v1/budgets/${budget.id}/imports/${res.json.id}`);
    // 29 s - 20 s: API Gateway gives up 9 s from now (it waited 25 s more: 504).
    expect(ms).toBeLessThan(9_000);
  });

  it('a merchant rename received 27 s ago answers at once', async () => {
    const { ms, res } = await timed(() =>
      h.call('POST', `/v1/budgets/${budget.id}/merchants/rename`, {
        token: owner.token,
        body: { from: ['Corner Shop'], to: 'Corner Market' },
        headers: { prefer: 'wait=10' },
        env: receivedAgo(27_000),
      }),
    );
    expect(res.status, res.text).toBe(202);
    expect(ms).toBeLessThan(2_000);
  });

  it('a request just received still waits the N seconds asked for (the job does not finish: 202 after them)', async () => {
    const { ms, res } = await timed(() =>
      h.call('POST', `/v1/budgets/${budget.id}/merchants/rename`, {
        token: owner.token,
        body: { from: ['Corner Shop'], to: 'Corner Market' },
        headers: { prefer: 'wait=2' },
        env: receivedAgo(0),
      }),
    );
    expect(res.status, res.text).toBe(202);
    expect(res.headers.get('preference-applied')).toBe('wait=2');
    expect(ms).toBeGreaterThanOrEqual(2_000);
  });
});
