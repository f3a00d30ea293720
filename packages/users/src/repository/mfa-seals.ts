import type { ModuleStore } from '@budgeting/platform';
import type { UsersKeys } from './keys';

/** A two-factor item as the reseal job's Scan reads it: its key and its sealed secret, nothing else. */
export interface SealedMfaItem {
  userId: string;
  sealedSecret: string;
}

/** Items evaluated per Scan page (each page reads up to this many items of the whole table, at most 1 MB). */
const PAGE_ITEMS = 1000;

/**
 * The two-factor items (`users#mfa`, one per enrolled user, in the user's partition) for the
 * operator job jobs/mfa-reseal-job.ts. No index reaches them all, so they are found by a
 * parallel Scan (ModuleStore.scanSegment, which keeps only `users#` partitions), filtered on
 * the server to the sort key `users#mfa` and projected to the key and the seal: the other
 * items of the table are read (and billed) but never returned, and none is ever written.
 */
export class MfaSeals {
  constructor(
    private readonly store: ModuleStore,
    private readonly keys: UsersKeys,
    private readonly pageItems = PAGE_ITEMS,
  ) {}

  /**
   * One page of a segment: its two-factor items, `scanned` (items the page read, every
   * module's), `malformed` (users whose item holds no string seal) and where the next page starts.
   */
  async page(segment: number, totalSegments: number, startKey: Record<string, unknown> | undefined) {
    const mfaSk = this.keys.mfa('').sk;
    const { items, lastKey, scanned } = await this.store.scanSegment<Record<string, unknown>>({
      segment,
      totalSegments,
      limit: this.pageItems,
      startKey,
      filter: 'sk = :mfaSk AND begins_with(pk, :userPk)',
      values: { ':mfaSk': mfaSk, ':userPk': this.keys.userPk('') },
      projection: 'pk, sk, sealedSecret',
    });
    const sealed: SealedMfaItem[] = [];
    const malformed: string[] = [];
    for (const item of items) {
      const userId = this.userIdOf(item);
      if (userId === undefined || item.sk !== mfaSk) continue; // not a two-factor item: never touched
      if (typeof item.sealedSecret === 'string') sealed.push({ userId, sealedSecret: item.sealedSecret });
      else malformed.push(userId);
    }
    return { sealed, malformed, scanned, ...(lastKey ? { lastKey } : {}) };
  }

  /**
   * Replaces the seal `from` (the value read) by `to` (the same secret sealed under the current
   * key), only if the item still holds `from`: an enrolment, a confirmation or a code's reseal
   * written since then wins, and nothing else of the item changes. True when this call wrote.
   */
  reseal(userId: string, from: string, to: string): Promise<boolean> {
    return this.store.updateIf({
      Key: this.keys.mfa(userId),
      UpdateExpression: 'SET sealedSecret = :to',
      ConditionExpression: 'sealedSecret = :from',
      ExpressionAttributeValues: { ':from': from, ':to': to },
    });
  }

  private userIdOf(item: Record<string, unknown>): string | undefined {
    const prefix = this.keys.userPk('');
    return typeof item.pk === 'string' && item.pk.startsWith(prefix) && item.pk.length > prefix.length ? item.pk.slice(prefix.length) : undefined;
  }
}
