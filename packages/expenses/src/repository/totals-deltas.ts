import { monthOf } from '../domain/dates';
import type { Contribution } from '../model';

/**
 * How one expense write moves the running totals. Each bucket (a day or a month, in one
 * shard) holds `total`, `uncategorized` and one `c_<categoryId>` attribute per category.
 *
 * A write is "remove the old contribution, add the new one". Both halves may land on the
 * same bucket (a PATCH that keeps the month, or only changes the category), and DynamoDB
 * refuses two operations on one item in a transaction, so deltas are merged per bucket;
 * attributes and buckets whose net change is zero are left out entirely.
 */
export const TOTAL_ATTRIBUTE = 'total';
export const UNCATEGORIZED_ATTRIBUTE = 'uncategorized';
export const CATEGORY_ATTRIBUTE_PREFIX = 'c_';

/**
 * Shards per bucket. Every write to a budget in one month touches that month's bucket, and
 * concurrent transactions on one item cancel each other (TransactionConflict) in DynamoDB;
 * spreading expenses over a few shards by id divides that contention. Readers sum all shards.
 * Changing this number is safe only for an empty table (old items would keep their shard).
 */
export const TOTALS_SHARDS = 4;

export interface BucketRef {
  kind: 'day' | 'month';
  /** YYYY-MM-DD for a day, YYYY-MM for a month. */
  period: string;
  shard: number;
}

export interface BucketDelta {
  bucket: BucketRef;
  /** attribute name -> signed amount to ADD (never zero). */
  deltas: Record<string, number>;
}

export const categoryAttribute = (categoryId: string | null): string =>
  categoryId === null ? UNCATEGORIZED_ATTRIBUTE : CATEGORY_ATTRIBUTE_PREFIX + categoryId;

/** A stable shard for an expense, so its old and new contributions share buckets. */
export function shardOf(expenseId: string): number {
  return idHash(expenseId) % TOTALS_SHARDS;
}

/** A stable 32-bit hash of an id (also picks an expense's change shard, see change-log.ts). */
export function idHash(id: string): number {
  let hash = 0;
  for (let i = 0; i < id.length; i++) hash = (hash * 31 + id.charCodeAt(i)) >>> 0;
  return hash;
}

export function bucketDeltas(expenseId: string, before: Contribution | null, after: Contribution | null): BucketDelta[] {
  const shard = shardOf(expenseId);
  const merged = new Map<string, BucketDelta>();
  const apply = (c: Contribution, sign: 1 | -1) => {
    const buckets: BucketRef[] = [
      { kind: 'day', period: c.occurredOn, shard },
      { kind: 'month', period: monthOf(c.occurredOn), shard },
    ];
    for (const bucket of buckets) {
      const id = `${bucket.kind}|${bucket.period}`;
      const entry = merged.get(id) ?? { bucket, deltas: {} };
      merged.set(id, entry);
      for (const attribute of [TOTAL_ATTRIBUTE, categoryAttribute(c.categoryId)]) {
        entry.deltas[attribute] = (entry.deltas[attribute] ?? 0) + sign * c.amount;
      }
    }
  };
  if (before) apply(before, -1);
  if (after) apply(after, 1);

  const out: BucketDelta[] = [];
  for (const entry of merged.values()) {
    const deltas = Object.fromEntries(Object.entries(entry.deltas).filter(([, v]) => v !== 0));
    if (Object.keys(deltas).length > 0) out.push({ bucket: entry.bucket, deltas });
  }
  return out;
}
