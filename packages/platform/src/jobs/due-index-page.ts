import type { Item, ModuleStore } from '../dynamo/module-store';
import { limitPage } from '../dynamo/limit-page';

/** The keys a gsi1 page resumes from: the table's and the index's. */
const GSI1_PAGE_KEY = ['pk', 'sk', 'gsi1pk', 'gsi1sk'] as const;

export interface DueIndexPageQuery {
  /** The shard's gsi1pk. */
  pk: string;
  /** The gsi1sk range read, both ends included, oldest first. */
  lo: string;
  hi: string;
  /** The attributes the caller maps (pk, sk, gsi1pk, gsi1sk are always read: the resume key). */
  attributes: readonly string[];
  limit: number;
  startKey?: Record<string, unknown>;
}

/**
 * One page of one shard of a due index on gsi1 (the recurring expenses' due entries, the
 * quiet-hours summaries' reservations): ONE Query of `limit + 1` entries, eventually consistent
 * (callers re-read what they act on). `lastKey` whenever more may follow (limitPage): the
 * planner pages on (nextDueIndexCursor) rather than skip to the next shard.
 */
export async function dueIndexPage(store: ModuleStore, q: DueIndexPageQuery): Promise<{ items: Item[]; lastKey?: Record<string, unknown> }> {
  const { items, lastKey } = await store.query({
    IndexName: 'gsi1',
    KeyConditionExpression: 'gsi1pk = :pk AND gsi1sk BETWEEN :lo AND :hi',
    ExpressionAttributeValues: { ':pk': q.pk, ':lo': q.lo, ':hi': q.hi },
    ProjectionExpression: [...GSI1_PAGE_KEY, ...q.attributes].join(', '),
    Limit: q.limit + 1,
    ExclusiveStartKey: q.startKey,
  });
  return limitPage(items, q.limit, lastKey, GSI1_PAGE_KEY);
}
