import { randomUUID } from 'node:crypto';
import { isConditionFailed, refusingItem, type ModuleStore } from '@budgeting/platform';
import { webhookKeys, type WebhookKeys } from './keys';

export interface PingCount {
  pings: number;
  /** Epoch seconds when the window ends (also the counter's TTL). */
  windowEndsAt: number;
}

/**
 * Rounds tried before giving up (each: the conditional ADD and, when the window found was over,
 * the write that starts a new one). Losing one takes another ping replacing the window between
 * the two writes, so a third lost round means one webhook's counter is being hammered.
 */
const COUNTER_ROUNDS = 3;

/** count()'s answer when every round was lost: this ping is not counted (PingService lets it go, best effort). */
export const PING_NOT_COUNTED = 'not-counted';

/**
 * A webhook's pings per window, counted as the users module counts sign-in attempts
 * (ThrottleRepository): a window starts at its first ping, each ping is one atomic ADD (so
 * concurrent pings are all counted) and the window's end is the item's TTL. Not the platform's
 * epoch-aligned rate-limit counter: that one admits up to twice the limit across a window's
 * edge, harmless for a flood guard but not for a count an owner is told about.
 */
export class PingCounter {
  private readonly keys: WebhookKeys;

  constructor(private readonly store: ModuleStore) {
    this.keys = webhookKeys(store);
  }

  /**
   * Counts one ping; PING_NOT_COUNTED after COUNTER_ROUNDS lost rounds (until 2026-12-06 it threw: a 500).
   *
   * Each write marks the counter with this ping's own token (`countToken`) and is refused when
   * it already holds it; a refusal brings the counter back (ALL_OLD), and one holding the token
   * is this very ping's write (it committed, its answer was lost, and the SDK sent it again):
   * that counter is the answer. Until 2026-12-07 the ADD's second sending counted the ping
   * twice, and the owner's tenth ping of the hour was refused.
   */
  async count(webhookId: string, nowSeconds: number, windowSeconds: number): Promise<PingCount | typeof PING_NOT_COUNTED> {
    const key = this.keys.pings(webhookId);
    // A stale window is replaced once; if another ping replaced it first, the next round
    // counts into that fresh window.
    const countToken = randomUUID();
    const own = (err: unknown): PingCount | undefined => {
      const counter = refusingItem(err);
      return counter?.countToken === countToken ? { pings: counter.pings as number, windowEndsAt: counter.expiresAt as number } : undefined;
    };
    for (let round = 1; round <= COUNTER_ROUNDS; round++) {
      try {
        const out = await this.store.update({
          Key: key,
          UpdateExpression: 'SET kind = :kind, expiresAt = if_not_exists(expiresAt, :end), countToken = :token ADD pings :one',
          ConditionExpression: '(attribute_not_exists(pk) OR expiresAt > :now) AND (attribute_not_exists(countToken) OR countToken <> :token)',
          ExpressionAttributeValues: { ':kind': 'ping-counter', ':end': nowSeconds + windowSeconds, ':one': 1, ':now': nowSeconds, ':token': countToken },
          ReturnValues: 'ALL_NEW',
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        });
        return { pings: out.Attributes!.pings as number, windowEndsAt: out.Attributes!.expiresAt as number };
      } catch (err) {
        if (!isConditionFailed(err)) throw err;
        const counted = own(err);
        if (counted) return counted;
      }
      // The window is over but TTL has not removed the counter yet: start a new window.
      try {
        await this.store.put({
          Item: { ...key, kind: 'ping-counter', pings: 1, expiresAt: nowSeconds + windowSeconds, countToken },
          ConditionExpression: 'expiresAt <= :now',
          ExpressionAttributeValues: { ':now': nowSeconds },
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        });
        return { pings: 1, windowEndsAt: nowSeconds + windowSeconds };
      } catch (err) {
        if (!isConditionFailed(err)) throw err;
        const counted = own(err);
        if (counted) return counted;
      }
    }
    return PING_NOT_COUNTED;
  }
}
