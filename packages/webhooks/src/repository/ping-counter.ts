import { countInWindow, NOT_COUNTED, type ModuleStore } from '@budgeting/platform';
import { webhookKeys, type WebhookKeys } from './keys';

export interface PingCount {
  pings: number;
  /** Epoch seconds when the window ends (also the counter's TTL). */
  windowEndsAt: number;
}

/** count()'s answer when every round was lost: this ping is not counted (PingService lets it go, best effort). */
export const PING_NOT_COUNTED = NOT_COUNTED;

/**
 * A webhook's pings per window, counted as the users module counts sign-in attempts (both
 * with the platform's countInWindow): a window starts at its first ping, each ping is one atomic
 * ADD (so concurrent pings are all counted) and the window's end is the item's TTL. Not the platform's
 * epoch-aligned rate-limit counter: that one admits up to twice the limit across a window's
 * edge, harmless for a flood guard but not for a count an owner is told about.
 */
export class PingCounter {
  private readonly keys: WebhookKeys;

  constructor(private readonly store: ModuleStore) {
    this.keys = webhookKeys(store);
  }

  /**
   * Counts one ping in its webhook's window (the platform's countInWindow: counted once whatever
   * the SDK resends; until 2026-12-07 a resent ADD counted the ping twice, and the owner's tenth
   * ping of the hour was refused); PING_NOT_COUNTED after its lost rounds (until 2026-12-06 it threw: a 500).
   */
  async count(webhookId: string, nowSeconds: number, windowSeconds: number): Promise<PingCount | typeof PING_NOT_COUNTED> {
    const counted = await countInWindow(this.store, { Key: this.keys.pings(webhookId), kind: 'ping-counter', attribute: 'pings' }, nowSeconds, windowSeconds);
    return counted === NOT_COUNTED ? counted : { pings: counted.count, windowEndsAt: counted.windowEndsAt };
  }
}
