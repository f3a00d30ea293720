import { monthOf } from '../domain/dates';
import type { Contribution } from '../model';
import { TOTAL_ATTRIBUTE, categoryAttribute, dayAttribute } from './totals-attributes';

/**
 * How one expense write moves the running totals. Each bucket is ONE item per (month, shard)
 * holding the month's `total`, `uncategorized` and `c_<categoryId>` AND the same figures per
 * day of the month (`d<DD>_...`, see totals-attributes.ts), so a write is one `Update ... ADD`
 * on one item (two when it moves an expense across months).
 *
 * A split expense adds its whole amount to `total` once and each part's amount to the part's
 * category (`uncategorized` for a part without one), in the same one update: the parts are
 * more attributes of the item the write touches anyway, never another item.
 *
 * A write is "remove the old contribution, add the new one". Both halves may land on the
 * same bucket (a PATCH that keeps the month, or only changes the category), and DynamoDB
 * refuses two operations on one item in a transaction, so deltas are merged per bucket;
 * attributes and buckets whose net change is zero are left out entirely.
 */

/**
 * Shards per bucket. Every write to a budget in one month touches that month's bucket, and
 * concurrent transactions on one item cancel each other (TransactionConflict) in DynamoDB;
 * spreading expenses over a few shards by id divides that contention. Readers sum all shards.
 * Changing this number is safe only for an empty table (old items would keep their shard).
 */
export const TOTALS_SHARDS = 4;

export interface BucketRef {
  /** YYYY-MM */
  month: string;
  shard: number;
}

export interface BucketDelta {
  bucket: BucketRef;
  /** attribute name -> signed amount to ADD (never zero). */
  deltas: Record<string, number>;
}

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
    const bucket: BucketRef = { month: monthOf(c.occurredOn), shard };
    const entry = merged.get(bucket.month) ?? { bucket, deltas: {} };
    merged.set(bucket.month, entry);
    const add = (name: string, amount: number) => {
      for (const attribute of [name, dayAttribute(c.occurredOn, name)]) {
        entry.deltas[attribute] = (entry.deltas[attribute] ?? 0) + sign * amount;
      }
    };
    // The whole amount counts once in the total; its category figures get each part (a split
    // expense's parts add up to the amount, so the figures still add up to the total).
    add(TOTAL_ATTRIBUTE, c.amount);
    for (const part of c.splits ?? [c]) add(categoryAttribute(part.categoryId), part.amount);
  };
  if (before) apply(before, -1);
  if (after) apply(after, 1);
  return withoutZeros([...merged.values()]);
}

/**
 * The deltas of several writes merged per bucket (the CSV import's batch: rows of one shard
 * in one or two months become one or two updates), zeros left out as in bucketDeltas.
 */
export function mergeBucketDeltas(all: BucketDelta[]): BucketDelta[] {
  const merged = new Map<string, BucketDelta>();
  for (const d of all) {
    const id = `${d.bucket.month}|${d.bucket.shard}`;
    const entry = merged.get(id) ?? { bucket: d.bucket, deltas: {} };
    merged.set(id, entry);
    for (const [attribute, amount] of Object.entries(d.deltas)) entry.deltas[attribute] = (entry.deltas[attribute] ?? 0) + amount;
  }
  return withoutZeros([...merged.values()]);
}

function withoutZeros(entries: BucketDelta[]): BucketDelta[] {
  const out: BucketDelta[] = [];
  for (const entry of entries) {
    const deltas = Object.fromEntries(Object.entries(entry.deltas).filter(([, v]) => v !== 0));
    if (Object.keys(deltas).length > 0) out.push({ bucket: entry.bucket, deltas });
  }
  return out;
}
