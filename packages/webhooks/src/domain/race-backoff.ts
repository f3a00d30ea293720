import { jitteredWaitMs, waitCeilingMs, type JitterPolicy } from '@budgeting/platform';

/**
 * How the fan-out waits between two tries at the next sequence number of a (webhook, budget)
 * stream (FanOutService.createDelivery): a try that lost the conditional write on the stream
 * head to another event reads the head and the knowledge again after a randomized wait,
 * exponential with full jitter (a random wait between 0 and `baseMs * 2^(race - 1)`, at most
 * `capMs`: platform's jitteredWaitMs).
 *
 * Why a wait at all: N events of one budget fanned out at once all read the same head; one
 * wins, and losers retrying at once all meet again, one winner per round, so the last needs N
 * rounds (stop 56: 25 events, 8 tries allowed, 11 thrown; the reads grow as N^2). Spread over a
 * window that doubles, they meet less each round. Why a bound: the subscriber runs inside the
 * function's 30 s (infra/function.ts) for every webhook of the event in turn; `longestWaitMs`
 * of the default is about 2.8 s per stream, and a stream still raced after `maxRaces` throws:
 * the bus retries the event, whose guards keep what it created.
 */
export interface RaceBackoff extends JitterPolicy {
  /** Tries at the number in all (the first included) before the event throws. */
  maxRaces: number;
}

export const DEFAULT_RACE_BACKOFF: RaceBackoff = { maxRaces: 16, baseMs: 10, capMs: 250, growth: 'doubling' };

/** The wait after lost race number `race` (1-based); `random` in [0, 1). */
export function raceDelayMs(race: number, policy: RaceBackoff, random: () => number): number {
  return jitteredWaitMs(race, policy, random);
}

/** The most one stream can wait in all before giving up: every wait at its ceiling. */
export function longestWaitMs(policy: RaceBackoff): number {
  let total = 0;
  for (let race = 1; race < policy.maxRaces; race++) total += waitCeilingMs(race, policy);
  return total;
}
