import { ProblemError } from '@budgeting/platform';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { BulkUndoRecord } from '../repository/bulk-undo.repository';
import { BulkUndoService, type BulkUndoServiceDeps } from './bulk-undo.service';

const budgetId = 'b1';
const bulkId = 'bulk1';
const userId = 'u1';

/** A record another call has claimed (a moment ago) and not finished. */
const claimed = (): BulkUndoRecord => ({ bulkId, budgetId, createdBy: userId, createdAt: new Date().toISOString(), expiresAt: 4_000_000_000, entries: [], claim: { token: 'other', at: Date.now() } });

/** The service over a record whose every read takes `readMs` (a table throttling the request: the SDK's retries and their backoff). */
function serviceWithReadsTaking(readMs: number) {
  const deps = {
    budgets: { getAccess: async () => ({ budgetId, role: 'owner', categories: [], budget: {} }) },
    undos: {
      get: () => new Promise<BulkUndoRecord>((resolve) => setTimeout(() => resolve(claimed()), readMs)),
      // Another call holds the claim.
      claim: async () => false,
    },
    clock: { now: () => new Date() },
  } as unknown as BulkUndoServiceDeps;
  return new BulkUndoService(deps);
}

describe('BulkUndoService: a call while another undoes the same change', () => {
  beforeEach(() => vi.useFakeTimers({ now: 0, toFake: ['setTimeout', 'clearTimeout', 'Date'] }));
  afterEach(() => vi.useRealTimers());

  it('answers its 409 about 10 s after it began waiting, however slow each read of the record is (not 40 reads later: past API Gateway 29 s)', async () => {
    const answer = serviceWithReadsTaking(1_000)
      .undo(budgetId, userId, bulkId)
      .then(
        () => 'undone',
        (err: unknown) => err,
      );
    await vi.runAllTimersAsync();
    const err = await answer;
    expect(err).toBeInstanceOf(ProblemError);
    expect((err as ProblemError).status).toBe(409);
    // The first read (1 s), then waits and reads until 10 s have passed, the last read ending by 11 s or so.
    expect(Date.now()).toBeLessThanOrEqual(12_500);
  });

  it('with fast reads it still waits the 10 s for the other call', async () => {
    const answer = serviceWithReadsTaking(5)
      .undo(budgetId, userId, bulkId)
      .then(
        () => 'undone',
        (err: unknown) => err,
      );
    await vi.runAllTimersAsync();
    expect(((await answer) as ProblemError).status).toBe(409);
    expect(Date.now()).toBeGreaterThanOrEqual(10_000);
  });
});
