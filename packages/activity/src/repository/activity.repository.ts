import { epochSeconds, TABLE, type Clock, type Key, type ModuleStore } from '@budgeting/platform';
import type { ActivityEntry } from '../model';

/**
 * A budget's activity log: one partition per budget (`activity#budget#<budgetId>`), entries
 * sorted by time then event id (`activity#entry#<at>#<eventId>`), read newest first.
 *
 * Retention: as long as the change history of delta sync (90 days, the expenses module's
 * CHANGE_RETENTION_SECONDS), through the table's TTL; the partition goes with the budget
 * (budget.deleted).
 */
export const ACTIVITY_RETENTION_SECONDS = 90 * 24 * 60 * 60;
export const ACTIVITY_KIND = 'activity';

type TransactItem = Parameters<ModuleStore['transactWrite']>[0][number];

export class ActivityRepository {
  constructor(
    private readonly store: ModuleStore,
    private readonly clock: Clock,
  ) {}

  private pk(budgetId: string) {
    return this.store.key('budget', budgetId);
  }

  /** The put of an entry (for the subscriber's transaction with its inbox item). */
  putItem(entry: ActivityEntry): TransactItem {
    return {
      Put: {
        Item: {
          pk: this.pk(entry.budgetId),
          sk: this.store.key('entry', entry.at, entry.id),
          kind: ACTIVITY_KIND,
          ...entry,
          [TABLE.ttlAttribute]: epochSeconds(new Date(entry.at)) + ACTIVITY_RETENTION_SECONDS,
        },
      },
    };
  }

  async page(budgetId: string, limit: number, startKey?: Record<string, unknown>) {
    const { items, lastKey } = await this.store.query<ActivityEntry & Record<string, unknown>>({
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :entry)',
      ExpressionAttributeValues: { ':pk': this.pk(budgetId), ':entry': this.store.key('entry', '') },
      ScanIndexForward: false,
      Limit: limit,
      ExclusiveStartKey: startKey,
    });
    // Expired but not yet removed by TTL (deletion is lazy): not shown.
    const now = epochSeconds(this.clock.now());
    const live = items.filter((i) => Number(i[TABLE.ttlAttribute] ?? Infinity) > now);
    return { items: live.map(toEntry), lastKey };
  }

  /**
   * Up to `limit` keys of what is left of a (deleted) budget's log, strongly consistent: the
   * cleanup job deletes them and asks again (jobs/activity-cleanup-job.ts).
   */
  async slice(budgetId: string, limit: number): Promise<Key[]> {
    const { items } = await this.store.query<Key>({
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': this.pk(budgetId) },
      ProjectionExpression: 'pk, sk',
      ConsistentRead: true,
      Limit: limit,
    });
    return items.map((i) => ({ pk: i.pk, sk: i.sk }));
  }
}

function toEntry(item: Record<string, unknown>): ActivityEntry {
  const { pk: _pk, sk: _sk, kind: _kind, [TABLE.ttlAttribute]: _ttl, ...entry } = item;
  return entry as unknown as ActivityEntry;
}
