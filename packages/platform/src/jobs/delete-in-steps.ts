import type { Key, ModuleStore } from '../dynamo/module-store';

/**
 * The deleting half of a cascade (budget.deleted, user.deleted) as bounded steps, for a
 * fan-out job's `work`: `slice` names up to a page of what is left (read anew each time, so
 * no cursor is needed and a redelivered unit simply finds less), and the keys go in steps
 * of STEP_KEYS (that many BatchWriteItem requests of 25 at once). Before each step it checks
 * the invocation's time: a step starts only if one twice as slow as the slowest so far would
 * still end before `deadline` (room for a busy table, and for queueing the rest). So however
 * large the data, one invocation does at most its time budget's worth and returns
 * `finished: false`; the job then queues the rest as a new unit.
 */
const BATCH = 25;
const STEP_KEYS = 100;

export interface DeletedSoFar {
  deleted: number;
  /** true: `slice` found nothing left. */
  finished: boolean;
}

export async function deleteInSteps(
  store: Pick<ModuleStore, 'batchDelete'>,
  slice: () => Promise<Key[]>,
  deadline: number,
  now: () => number = Date.now,
): Promise<DeletedSoFar> {
  let deleted = 0;
  let slowestStep = 0;
  const fits = () => now() + 2 * slowestStep < deadline;
  // The first step of a call runs whenever the deadline has not passed, so every call makes
  // progress however slow the table; later ones only while they fit.
  const stop = () => (deleted > 0 ? !fits() : now() >= deadline);
  for (;;) {
    if (stop()) return { deleted, finished: false };
    const keys = await timed(slice);
    if (keys.length === 0) return { deleted, finished: true };
    for (let i = 0; i < keys.length; i += STEP_KEYS) {
      if (stop()) return { deleted, finished: false };
      const step = keys.slice(i, i + STEP_KEYS);
      await timed(() => Promise.all(chunks(step, BATCH).map((batch) => store.batchDelete(batch))));
      deleted += step.length;
    }
  }

  async function timed<T>(work: () => Promise<T>): Promise<T> {
    const started = now();
    try {
      return await work();
    } finally {
      slowestStep = Math.max(slowestStep, now() - started);
    }
  }
}

function chunks<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/**
 * A slice for deleteInSteps over several partitions of one thing (a deleted budget's expenses,
 * totals and change log, say): up to `limit` keys of the first partition that still holds any,
 * read strongly consistent, keys only; [] when all are empty. What a step deleted is not read
 * again, so the partitions empty one after the other with no cursor.
 */
export async function firstKeysOf(store: Pick<ModuleStore, 'query'>, partitions: readonly string[], limit: number): Promise<Key[]> {
  for (const pk of partitions) {
    const { items } = await store.query<Key>({
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': pk },
      ProjectionExpression: 'pk, sk',
      ConsistentRead: true,
      Limit: limit,
    });
    if (items.length > 0) return items;
  }
  return [];
}
