import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ASYNC_INVOCATION_RETRIES, DELIVERY_CLAIM_LEASE_SECONDS, DeliveryInFlightError, WORK_QUEUE_MAX_RECEIVES } from '@budgeting/platform';
import { sleep as sleepMs } from '@budgeting/platform/backoff';
import { DeliveryFailedError } from '../events/bus-delivery';
import { backoffDelay, type RetryPolicy } from '../events/put-events';

/**
 * The local stand-ins' one delivery discipline (the in-process bus and the in-process work
 * queue): try, back off with full jitter, and after the last attempt hand the item to the
 * dead-letter folder, the local counterpart of the DLQs. `npm run dead-letters` reads it.
 * Each makes as many attempts as its AWS counterpart: the bus, Lambda's of an asynchronous
 * invocation (1 + the function's retries: the local bus made 5 where AWS dead-letters after 3, so
 * a subscriber failing 3 or 4 times passed locally), the work queue, the job queue's receives.
 * The waits are shorter (AWS waits a minute and two between an invocation's attempts, a
 * visibility timeout between receives): a laptop should not stand still for minutes.
 */
const LOCAL_BACKOFF = { baseDelayMs: 200, maxDelayMs: 5000 };
export const LOCAL_BUS_RETRY: RetryPolicy = { maxAttempts: 1 + ASYNC_INVOCATION_RETRIES, ...LOCAL_BACKOFF };
export const LOCAL_WORK_QUEUE_RETRY: RetryPolicy = { maxAttempts: WORK_QUEUE_MAX_RECEIVES, ...LOCAL_BACKOFF };

/**
 * How long a delivery keeps waiting, without spending its attempts, while another delivery of
 * the same event or unit holds its claim (platform claimedOnce): the claim's lease. A claim's
 * holder either finishes (then the retry finds the work done) or died, and then its claim has
 * lapsed by the end of the lease and the retry takes it over. In AWS the retries come late
 * enough anyway (Lambda's asynchronous retries after a minute, the job queue's 180 s visibility
 * timeout); the local attempts (at most 3 s of backoff in all) would dead-letter such a delivery first.
 */
export const CLAIM_PATIENCE_MS = DELIVERY_CLAIM_LEASE_SECONDS * 1000;

/** A delivery that failed only because another delivery of the same work holds its claim. */
export function failedOnlyInFlight(err: unknown): boolean {
  return err instanceof DeliveryInFlightError || (err instanceof DeliveryFailedError && err.inFlightOnly);
}

export async function deliverWithRetries(
  attempt: (n: number, last: boolean) => Promise<void>,
  policy: RetryPolicy,
  onExhausted: (err: Error, attempts: number) => void,
): Promise<void> {
  const sleep = policy.sleep ?? sleepMs;
  let spent = 0;
  let waitedOnClaims = 0;
  for (let n = 1; ; n++) {
    try {
      await attempt(n, spent + 1 >= policy.maxAttempts);
      return;
    } catch (err) {
      const waitOnClaim = failedOnlyInFlight(err) && waitedOnClaims < CLAIM_PATIENCE_MS;
      if (!waitOnClaim) spent++;
      if (spent >= policy.maxAttempts) {
        onExhausted(err as Error, n);
        return;
      }
      const delay = backoffDelay(waitOnClaim ? n : spent, policy);
      if (waitOnClaim) waitedOnClaims += delay;
      await sleep(delay);
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
