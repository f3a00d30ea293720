import type { ExpenseWriteFailure } from './bulk.service';

/** One write's outcome, as far as resuming cares: only a `failed` one with a `retryable` failure holds the cursor. */
export type ResumableOutcome = { kind: string; failure?: ExpenseWriteFailure } | undefined;

/**
 * Where a bounded write job's next call starts (the category reassign's, the rule apply's):
 * after the page, or, when a write failed and may succeed if retried, right before the newest
 * such expense (after the one before it, or where this call started), so a client following
 * `cursor` retries it instead of stepping over it. A failure that is not retryable never holds
 * it: it would hold it forever (every call failing the same expenses, the rest never reached).
 * `keys[i]` is the position of the expense whose outcome is `outcomes[i]`; `lastKey` the
 * page's end when more is left past it. `undefined` (no cursor): start from the newest.
 */
export function resumeAt<K>(page: { keys: readonly K[]; lastKey?: K }, startKey: K | undefined, outcomes: readonly ResumableOutcome[]): K | undefined {
  const firstFailed = outcomes.findIndex((o) => o?.kind === 'failed' && o.failure?.retryable === true);
  if (firstFailed < 0) return page.lastKey;
  return firstFailed === 0 ? startKey : page.keys[firstFailed - 1];
}
