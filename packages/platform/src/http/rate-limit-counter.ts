import type { ModuleStore } from '../dynamo/module-store';
import type { WindowCounter } from './rate-limit';

/**
 * The shared window counters of the per-caller rate limit (rate-limit.ts), under the kernel's
 * own `ratelimit#` prefix (the store the composition root builds for it; no module owns them):
 * one item per user and window, `ratelimit#user#<userId>` / `ratelimit#window#<start>`.
 *
 * Windows are aligned to the epoch, so the window's start is part of the key: a new window is
 * a new item and ONE unconditional UpdateItem ADD counts, with no stale window to replace
 * (compare the users module's throttle, whose windows start at the first attempt). The
 * window's end is the item's TTL, so counters disappear by themselves.
 */
export function rateLimitCounter(store: ModuleStore): WindowCounter {
  return {
    async add(userId, windowStart, count, expiresAt) {
      const out = await store.update({
        Key: { pk: store.key('user', userId), sk: store.key('window', windowStart) },
        UpdateExpression: 'SET kind = :kind, expiresAt = :end ADD requests :n',
        ExpressionAttributeValues: { ':kind': 'rate-limit', ':end': expiresAt, ':n': count },
        ReturnValues: 'UPDATED_NEW',
      });
      return out.Attributes!.requests as number;
    },
  };
}
