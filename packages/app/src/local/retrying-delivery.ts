import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { sleep as sleepMs } from '@budgeting/platform/backoff';
import { backoffDelay, type RetryPolicy } from '../events/put-events';

/**
 * The local stand-ins' one delivery discipline (the in-process bus and the in-process work
 * queue): try, back off with full jitter, and after the last attempt hand the item to the
 * dead-letter folder, the local counterpart of the DLQs. `npm run dead-letters` reads it.
 */
export const DEFAULT_LOCAL_RETRY: RetryPolicy = { maxAttempts: 5, baseDelayMs: 200, maxDelayMs: 5000 };

export async function deliverWithRetries(
  attempt: (n: number, last: boolean) => Promise<void>,
  policy: RetryPolicy,
  onExhausted: (err: Error, attempts: number) => void,
): Promise<void> {
  const sleep = policy.sleep ?? sleepMs;
  for (let n = 1; ; n++) {
    try {
      await attempt(n, n >= policy.maxAttempts);
      return;
    } catch (err) {
      if (n >= policy.maxAttempts) {
        onExhausted(err as Error, n);
        return;
      }
      await sleep(backoffDelay(n, policy));
    }
  }
}

/** One JSON file per dead letter; `stem` makes the name sortable by time and readable. */
export function writeDeadLetter(dir: string | undefined, stem: string, record: object): string | undefined {
  if (!dir) return undefined;
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${stem.replace(/[^A-Za-z0-9._-]/g, '-')}.json`);
  writeFileSync(file, JSON.stringify(record, null, 2));
  return file;
}
