import { randomUUID } from 'node:crypto';
import { isConditionFailed, refusingItem } from '../dynamo/condition-failed';
import type { ModuleStore } from '../dynamo/module-store';
import type { WindowCounter } from './rate-limit';

/**
 * The shared window counters of the per-caller rate limit (rate-limit.ts), under the kernel's
 * own `ratelimit#` prefix (the store the composition root builds for it; no module owns them):
 * one item per user and window, `ratelimit#user#<userId>` / `ratelimit#window#<start>`.
 *
 * Windows are aligned to the epoch, so the window's start is part of the key: a new window is
 * a new item and ONE UpdateItem ADD counts (conditioned only on its own token), with no stale window to replace
 * (compare the users module's throttle, whose windows start at the first attempt). The
 * window's end is the item's TTL, so counters disappear by themselves.
 */
export function rateLimitCounter(store: ModuleStore): WindowCounter {
  return {
    // Each flush marks the counter with its own token (`flushToken`) and is refused only by a
    // counter holding it: this very flush, committed, its answer lost and the ADD sent again by
    // the SDK; the counter it brings back (ALL_OLD) is the answer. Until 2026-12-07 that second
    // sending counted the flushed requests twice, and the user was refused before the limit.
    async add(userId, windowStart, count, expiresAt) {
      const flushToken = randomUUID();
      try {
        const out = await store.update({
          Key: { pk: store.key('user', userId), sk: store.key('window', windowStart) },
          UpdateExpression: 'SET kind = :kind, expiresAt = :end, flushToken = :token ADD requests :n',
          ConditionExpression: 'attribute_not_exists(flushToken) OR flushToken <> :token',
          ExpressionAttributeValues: { ':kind': 'rate-limit', ':end': expiresAt, ':n': count, ':token': flushToken },
          ReturnValues: 'UPDATED_NEW',
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        });
        return out.Attributes!.requests as number;
      } catch (err) {
        const own = isConditionFailed(err) ? refusingItem(err) : undefined;
        if (own?.flushToken === flushToken) return own.requests as number;
        throw err;
      }
    },
  };
}
