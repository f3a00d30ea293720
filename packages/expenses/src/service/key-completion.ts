import { problems, type ModuleStore } from '@budgeting/platform';

/** One item of a write's TransactWriteItems. */
export type TransactItem = Parameters<ModuleStore['transactWrite']>[0][number];

/**
 * A keyed write's lease completion (platform LeaseCompletion) for what it writes: `item(value)`
 * is the Update completing the Idempotency-Key's record with the route's answer for `value`, an
 * item of the write's own transaction, so the answer is the key's as soon as the write exists: a
 * retry after a crash between the commit and the answer replays it, whatever happened since.
 */
export interface KeyCompletion<T> {
  item(value: T): TransactItem;
  /** Called once the write's transaction committed `item`. */
  committed(): void;
}

/** The key's lease is no longer this attempt's (taken over by its retry after it ran out): nothing was written. */
export const keyInUse = () => problems.conflict('This Idempotency-Key is in use by another attempt of this request; retry.');
