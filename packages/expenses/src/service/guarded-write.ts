import { deferReads, problems } from '@budgeting/platform';
import type { BudgetsFacade } from '@budgeting/budgets';
import { WriteRacedError } from '../domain/write-retry';
import { WriterRefusedError, type WriterGuard } from '../repository/writer-guard';
import { authorize, type Need } from './access';
import { optimistically, type OptimisticWrite } from './optimistic';

/**
 * Runs a write that takes no change number with the budgets module's guard in its own
 * transaction (repository/writer-guard.ts), closing the archive race: an archive that commits
 * between this write's access read and its write fails the guard, and nothing is written
 * (packages/budgets/docs/budget-lifecycle.md "Archiving a budget"). The guard is the membership check of
 * BudgetsFacade.writeChecks (a writing role, not archived), or for `own` (any member may delete
 * their own comment) activeMemberCheck. When it fails, access is read again for the precise
 * answer: 409 budget-archived, a viewer's 403, a stranger's 404 (authorize's order). A guard
 * that failed while access reads fine again (archived and unarchived in between) is a 409 to
 * retry: nothing was written (`retryDetail` says otherwise for a write of several transactions).
 */
export async function guardedWrite<T>(
  budgets: BudgetsFacade,
  budgetId: string,
  userId: string,
  need: Exclude<Need, 'read' | 'categories-read'>,
  write: (guard: WriterGuard) => Promise<T>,
  retryDetail = 'The budget was archived or your access changed while this was written; nothing was written, retry.',
): Promise<T> {
  const guard = need === 'own' ? budgets.activeMemberCheck(budgetId, userId) : budgets.writeChecks(budgetId, userId, {})[0]!;
  try {
    return await write(guard);
  } catch (err) {
    if (!(err instanceof WriterRefusedError)) throw err;
    await authorize(budgets, budgetId, userId, need);
    throw new WriteRacedError(retryDetail);
  }
}

/**
 * An optimistic write (optimistic.ts: a lost race re-read, If-Match checked on every read) that
 * carries the guard: the shape of every guarded PATCH and DELETE of a resource with a version.
 */
export function guardedOptimistically<R extends { version: number }, T>(
  budgets: BudgetsFacade,
  budgetId: string,
  userId: string,
  need: Exclude<Need, 'read' | 'categories-read'>,
  op: Omit<OptimisticWrite<R, T>, 'write'> & { write: (current: R, guard: WriterGuard) => Promise<T> },
): Promise<T> {
  return guardedWrite(budgets, budgetId, userId, need, (guard) => optimistically({ ...op, write: (current) => op.write(current, guard) }));
}

/**
 * One kind of budget-scoped item with a version whose PATCH and DELETE are guarded writes (rules,
 * import profiles, income entries, recurring definitions): read the item or its 404, check
 * If-Match on every read, re-read on a lost race, write under the budgets module's guard for
 * `need`. Built once per service; the service still authorizes first (its own `need`).
 */
export interface GuardedItem<R extends { version: number }> {
  /**
   * The item's first read, queued to travel in the access check's BatchGetItem (platform
   * deferReads): a GET answers, and a PATCH or DELETE writes, after one request. Awaited only
   * once authorize() has let the caller in; observed here, as authorize() may refuse first.
   */
  prefetch(budgetId: string, id: string): Promise<R | undefined>;
  /** The item (`prefetched`, else read now), or the 404 of one that does not exist. */
  mustGet(budgetId: string, id: string, prefetched?: Promise<R | undefined>): Promise<R>;
  /** guardedOptimistically on the item: the first attempt reads `prefetched` when given, every later one reads again. */
  optimistically<T>(
    budgetId: string,
    userId: string,
    id: string,
    ifMatch: ReadonlySet<number> | undefined,
    write: (current: R, guard: WriterGuard) => Promise<T>,
    prefetched?: Promise<R | undefined>,
  ): Promise<T>;
}

export function guardedItem<R extends { version: number }>(
  /** The service's deps: the budgets facade, and the repository's read of the item as stored (undefined when there is none). */
  deps: { budgets: BudgetsFacade; repository: { get: (budgetId: string, id: string) => Promise<R | undefined> } },
  /** The role the write's guard asks for, as the service's authorize() before it. */
  need: Exclude<Need, 'read' | 'categories-read'>,
  item: {
    /** The 404's detail. */
    notFound: string;
    /** Whether a write's error means "changed since read". */
    lostRace: (err: unknown) => boolean;
    /** The 409's detail after too many lost races. */
    busyDetail: string;
  },
): GuardedItem<R> {
  const mustGet = async (budgetId: string, id: string, prefetched?: Promise<R | undefined>): Promise<R> => {
    const found = await (prefetched ?? deps.repository.get(budgetId, id));
    if (!found) throw problems.notFound(item.notFound);
    return found;
  };
  return {
    prefetch(budgetId, id) {
      const read = deferReads(() => deps.repository.get(budgetId, id));
      read.catch(() => undefined); // observed: authorize() may refuse before anyone awaits it
      return read;
    },
    mustGet,
    optimistically(budgetId, userId, id, ifMatch, write, prefetched) {
      let first = prefetched;
      return guardedOptimistically(deps.budgets, budgetId, userId, need, {
        read: () => {
          const read = mustGet(budgetId, id, first);
          first = undefined;
          return read;
        },
        ifMatch,
        write,
        lostRace: item.lostRace,
        busyDetail: item.busyDetail,
      });
    },
  };
}
