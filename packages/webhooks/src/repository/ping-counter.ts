import { isConditionFailed, type ModuleStore } from '@budgeting/platform';
import { webhookKeys, type WebhookKeys } from './keys';

export interface PingCount {
  pings: number;
  /** Epoch seconds when the window ends (also the counter's TTL). */
  windowEndsAt: number;
}

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

  async count(webhookId: string, nowSeconds: number, windowSeconds: number): Promise<PingCount> {
    const key = this.keys.pings(webhookId);
    // Two rounds suffice: a stale window is replaced once; if another ping replaced it first,
    // the second round counts into that fresh window.
    for (let round = 0; ; round++) {
      try {
        const out = await this.store.update({
          Key: key,
          UpdateExpression: 'SET kind = :kind, expiresAt = if_not_exists(expiresAt, :end) ADD pings :one',
          ConditionExpression: 'attribute_not_exists(pk) OR expiresAt > :now',
          ExpressionAttributeValues: { ':kind': 'ping-counter', ':end': nowSeconds + windowSeconds, ':one': 1, ':now': nowSeconds },
          ReturnValues: 'ALL_NEW',
        });
        return { pings: out.Attributes!.pings as number, windowEndsAt: out.Attributes!.expiresAt as number };
      } catch (err) {
        if (!isConditionFailed(err) || round >= 2) throw err;
      }
      // The window is over but TTL has not removed the counter yet: start a new window.
      try {
        await this.store.put({
          Item: { ...key, kind: 'ping-counter', pings: 1, expiresAt: nowSeconds + windowSeconds },
          ConditionExpression: 'expiresAt <= :now',
          ExpressionAttributeValues: { ':now': nowSeconds },
        });
        return { pings: 1, windowEndsAt: nowSeconds + windowSeconds };
      } catch (err) {
        if (!isConditionFailed(err)) throw err;
      }
    }
  }
}
