import type { Item, ModuleStore } from '@budgeting/platform';
import type { DaySpending, SpendingTotals } from '@budgeting/budgets';
import { dayOfBucketSk, totalsKeys, type TotalsKeys } from './keys';
import { planTotals } from './totals-plan';
import {
  CATEGORY_ATTRIBUTE_PREFIX,
  TOTAL_ATTRIBUTE,
  TOTALS_SHARDS,
  UNCATEGORIZED_ATTRIBUTE,
  type BucketDelta,
} from './totals-deltas';

/**
 * The running totals: small day and month bucket items next to each other in one partition
 * per budget, moved with ADD inside the same transaction as every expense write.
 */
export class TotalsRepository {
  private readonly keys: TotalsKeys;

  constructor(private readonly store: ModuleStore) {
    this.keys = totalsKeys(store);
  }

  /** One `Update ... ADD` transaction item per bucket delta (to join an expense write). */
  updateItems(budgetId: string, deltas: BucketDelta[]) {
    return deltas.map(({ bucket, deltas: attrs }) => {
      const names: Record<string, string> = {};
      const values: Record<string, number> = {};
      const adds = Object.entries(attrs).map(([attribute, amount], i) => {
        names[`#a${i}`] = attribute;
        values[`:a${i}`] = amount;
        return `#a${i} :a${i}`;
      });
      const sk =
        bucket.kind === 'day' ? this.keys.daySk(bucket.period, bucket.shard) : this.keys.monthSk(bucket.period, bucket.shard);
      return {
        Update: {
          Key: { pk: this.keys.totalsPk(budgetId), sk },
          UpdateExpression: `ADD ${adds.join(', ')}`,
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: values,
        },
      };
    });
  }

  /** Spending in [from, to]: at most three strongly consistent Queries (see planTotals). */
  async between(budgetId: string, from: string, to: string): Promise<SpendingTotals> {
    const plan = planTotals(from, to);
    const ranges = [
      ...(plan.months ? [this.keys.monthRange(plan.months.from, plan.months.to)] : []),
      ...plan.days.map((d) => this.keys.dayRange(d.from, d.to)),
    ];
    const pages = await Promise.all(ranges.map((range) => this.queryRange(budgetId, range)));
    return sumBuckets(pages.flat());
  }

  /**
   * Spending in one calendar month from its month buckets read by key: one strongly
   * consistent BatchGetItem of TOTALS_SHARDS keys (the same items the month range Query of
   * `between` reads), so a caller can merge it with other key reads (the threshold check
   * reads the budget in the same request).
   */
  async monthByKey(budgetId: string, month: string): Promise<SpendingTotals> {
    const keys = Array.from({ length: TOTALS_SHARDS }, (_, shard) => ({ pk: this.keys.totalsPk(budgetId), sk: this.keys.monthSk(month, shard) }));
    return sumBuckets(await this.store.batchGet(keys, true));
  }

  /**
   * Spending per day in [from, to] from the day buckets (all shards summed): one strongly
   * consistent Query, paginated, reading at most (days x shards) small items.
   */
  async byDay(budgetId: string, from: string, to: string): Promise<DaySpending[]> {
    const buckets = await this.queryRange(budgetId, this.keys.dayRange(from, to));
    const days = new Map<string, number>();
    for (const bucket of buckets) {
      const total = bucket[TOTAL_ATTRIBUTE];
      if (typeof total !== 'number') continue;
      const day = dayOfBucketSk(String(bucket.sk));
      days.set(day, (days.get(day) ?? 0) + total);
    }
    return [...days].filter(([, total]) => total !== 0).map(([date, total]) => ({ date, total }));
  }

  private queryRange(budgetId: string, range: { lo: string; hi: string }) {
    return this.store.queryAll({
      KeyConditionExpression: 'pk = :pk AND sk BETWEEN :lo AND :hi',
      ExpressionAttributeValues: { ':pk': this.keys.totalsPk(budgetId), ':lo': range.lo, ':hi': range.hi },
      // Read-after-write: a summary right after a write must include it.
      ConsistentRead: true,
    });
  }
}

export function sumBuckets(buckets: Item[]): SpendingTotals {
  const totals: SpendingTotals = { total: 0, byCategory: {}, uncategorized: 0 };
  for (const bucket of buckets) {
    for (const [attribute, value] of Object.entries(bucket)) {
      if (typeof value !== 'number') continue;
      if (attribute === TOTAL_ATTRIBUTE) totals.total += value;
      else if (attribute === UNCATEGORIZED_ATTRIBUTE) totals.uncategorized += value;
      else if (attribute.startsWith(CATEGORY_ATTRIBUTE_PREFIX)) {
        const categoryId = attribute.slice(CATEGORY_ATTRIBUTE_PREFIX.length);
        totals.byCategory[categoryId] = (totals.byCategory[categoryId] ?? 0) + value;
      }
    }
  }
  // A category whose expenses all moved away nets to zero: not worth reporting.
  for (const [categoryId, value] of Object.entries(totals.byCategory)) {
    if (value === 0) delete totals.byCategory[categoryId];
  }
  return totals;
}
