/**
 * Where a planner paging a sharded due index stopped: the shard and, within it, the page's
 * LastEvaluatedKey. Shared by the planners that page one (the expenses' recording and reminder
 * jobs over the recurring due index, the notifications' quiet-hours summary over its own).
 * Opaque to the fan-out runner, which only hands it back to the next plan call.
 */
export interface DueIndexCursor {
  shard: number;
  key?: Record<string, unknown>;
}

export const encodeDueIndexCursor = (c: DueIndexCursor): string => Buffer.from(JSON.stringify(c)).toString('base64url');

/** No cursor: the first shard from its start. `job` names the planner in the error. */
export function decodeDueIndexCursor(cursor: string | undefined, job: string): DueIndexCursor {
  if (!cursor) return { shard: 0 };
  const c = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as DueIndexCursor;
  if (!Number.isInteger(c.shard) || c.shard < 0) throw new Error(`${job} plan cursor is malformed`);
  return c;
}

/** After a page of shard `at.shard`: the rest of that shard, else the next shard, else the end. */
export function nextDueIndexCursor(at: DueIndexCursor, lastKey: Record<string, unknown> | undefined, shards: number): DueIndexCursor | undefined {
  if (lastKey) return { shard: at.shard, key: lastKey };
  return at.shard + 1 < shards ? { shard: at.shard + 1 } : undefined;
}
