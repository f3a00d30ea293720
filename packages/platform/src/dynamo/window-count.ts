import { randomUUID } from 'node:crypto';
import { isConditionFailed, refusingItem } from './condition-failed';
import type { Key, ModuleStore } from './module-store';

/** A counter's state after a count: the events counted in its window, and when that window ends (epoch seconds; also the item's TTL). */
export interface WindowCount {
  count: number;
  windowEndsAt: number;
}

/** countInWindow's answer when it lost every round: the event is not counted (the caller decides what that means). */
export const NOT_COUNTED = 'not-counted';

/**
 * Rounds a counter tries before giving up: each round is its conditional ADD and, when the
 * window it found was over, the write that starts a new one. One round is lost only when
 * another writer replaced the window between the two, so two rounds almost always suffice; a
 * third lost one means the key is being hammered (or writers' clocks disagree by a window).
 */
export const COUNTER_ROUNDS = 3;

/**
 * Counts one event in a window that starts at its first event and ends `windowSeconds` later
 * (the end is the item's TTL, so an abandoned counter disappears by itself), for a count a user
 * is told about or refused by (sign-in attempts, a webhook's pings): the platform's epoch-aligned
 * rate-limit counter admits up to twice its limit across a window's edge. Each count is one
 * atomic ADD, so concurrent events are all counted. The module owns the item: it passes its own
 * Key (with its prefix), the item's `kind` and the attribute counted.
 *
 * Counted once whatever the SDK resends: each write marks the counter with this count's own
 * token (`countToken`) and is refused when it already holds it; a refusal brings the counter
 * back (ALL_OLD), and one holding the token is this very count (it committed, its answer was
 * lost, and the SDK sent it again): that counter is the answer. (Until 2026-12-07 a resent ADD
 * counted twice, and a new window's PutItem, refused by itself, counted again in the next round.)
 * NOT_COUNTED after COUNTER_ROUNDS lost rounds.
 */
export async function countInWindow(
  store: ModuleStore,
  counter: { Key: Key; kind: string; attribute: string },
  nowSeconds: number,
  windowSeconds: number,
): Promise<WindowCount | typeof NOT_COUNTED> {
  const { Key, kind, attribute } = counter;
  const countToken = randomUUID();
  const own = (err: unknown): WindowCount | undefined => {
    const item = refusingItem(err);
    return item?.countToken === countToken ? { count: item[attribute] as number, windowEndsAt: item.expiresAt as number } : undefined;
  };
  for (let round = 1; round <= COUNTER_ROUNDS; round++) {
    try {
      const out = await store.update({
        Key,
        UpdateExpression: 'SET kind = :kind, expiresAt = if_not_exists(expiresAt, :end), countToken = :token ADD #count :one',
        ConditionExpression: '(attribute_not_exists(pk) OR expiresAt > :now) AND (attribute_not_exists(countToken) OR countToken <> :token)',
        ExpressionAttributeNames: { '#count': attribute },
        ExpressionAttributeValues: { ':kind': kind, ':end': nowSeconds + windowSeconds, ':one': 1, ':now': nowSeconds, ':token': countToken },
        ReturnValues: 'ALL_NEW',
        ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
      });
      return { count: out.Attributes![attribute] as number, windowEndsAt: out.Attributes!.expiresAt as number };
    } catch (err) {
      if (!isConditionFailed(err)) throw err;
      const counted = own(err);
      if (counted) return counted;
    }
    // The window is over but TTL has not removed the counter yet: start a new window.
    try {
      await store.put({
        Item: { ...Key, kind, [attribute]: 1, expiresAt: nowSeconds + windowSeconds, countToken },
        ConditionExpression: 'expiresAt <= :now',
        ExpressionAttributeValues: { ':now': nowSeconds },
        ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
      });
      return { count: 1, windowEndsAt: nowSeconds + windowSeconds };
    } catch (err) {
      if (!isConditionFailed(err)) throw err;
      const counted = own(err);
      if (counted) return counted;
    }
  }
  return NOT_COUNTED;
}
