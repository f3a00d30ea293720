import { ProblemError, deferReads, type CursorCodec } from '@budgeting/platform';
import type { BudgetView, BudgetsFacade } from '@budgeting/budgets';
import type { Expense } from '../model';
import type { ChangeEntry, ChangeLog } from '../repository/change-log';
import type { ExpensesRepository } from '../repository/expenses.repository';
import { authorize } from './access';
import { budgetFingerprint, changesTokenCodec, type ChangesTokenCodec, type SyncState } from './changes-token';

export interface DeletedExpense {
  id: string;
  deleted: true;
}

export interface ChangesPage {
  serverKnowledge: string;
  hasMore: boolean;
  budget?: BudgetView;
  expenses: (Expense | DeletedExpense)[];
}

/** 410: changes after the client's token are no longer kept (see CHANGE_RETENTION_SECONDS). */
export const syncExpired = () =>
  new ProblemError(
    410,
    'sync-expired',
    'Sync token expired',
    'Some changes after this serverKnowledge are no longer kept (change history lasts 90 days). Sync again without `since` and replace the local copy of this budget.',
  );

/**
 * Delta sync (GET /v1/budgets/{budgetId}/changes). Without `since`: the first sync pages
 * through every expense (id order, strongly consistent), having read the change counters
 * BEFORE the first page, so any write that the pages might miss has a number after them and
 * comes with the next sync. With `since`: per change shard, the entries numbered after the
 * client's, then the CURRENT state of those expenses (absent = `{id, deleted: true}`).
 *
 * Why the client ends equal: entry numbers are taken inside each write's transaction (see
 * change-log.ts), so once a reader sees a shard's counter at c, entries 1..c all exist; a
 * client that got entries up to c has, for every expense changed up to c, a state read after
 * that change committed. A later change has a larger number and comes with a later sync.
 * Sending the current state instead of the state of each change is harmless: at worst the
 * client gets the same newer state twice.
 */
export class ChangesService {
  private readonly tokens: ChangesTokenCodec;

  constructor(
    private readonly deps: { repository: ExpensesRepository; budgets: BudgetsFacade; cursors: CursorCodec },
  ) {
    this.tokens = changesTokenCodec(deps.cursors);
  }

  private get log(): ChangeLog {
    return this.deps.repository.changes;
  }

  async changes(budgetId: string, userId: string, query: { since?: string; limit: number }): Promise<ChangesPage> {
    // A bad token is refused only after the access check (a stranger gets 404 either way).
    let state: SyncState | undefined;
    let badToken: unknown;
    try {
      state = query.since === undefined ? undefined : this.tokens.decode(query.since, budgetId);
    } catch (err) {
      badToken = err;
    }
    // An incremental sync reads the counters by key, queued to travel in the access check's
    // BatchGetItem (used only once it has let the caller in): one round trip for both.
    const counters = state && state.snapshotAfter === undefined ? deferReads(() => this.log.countersByKey(budgetId)) : undefined;
    counters?.catch(() => undefined);
    const access = await authorize(this.deps.budgets, budgetId, userId, 'read');
    if (badToken !== undefined) throw badToken;
    const budgetHash = budgetFingerprint(access.budget);
    // The budget comes on the first sync, and again whenever what the client saw of it changed.
    const budget = state?.budgetHash === budgetHash ? {} : { budget: access.budget };

    if (state === undefined || state.snapshotAfter !== undefined) {
      const seqs = state?.seqs ?? (await this.log.counters(budgetId));
      const page = await this.deps.repository.pageById(budgetId, state?.snapshotAfter, query.limit);
      const last = page.items[page.items.length - 1];
      const next: SyncState = { seqs, budgetHash, ...(page.more && last ? { snapshotAfter: last.id } : {}) };
      return { serverKnowledge: this.tokens.encode(next, budgetId), hasMore: page.more, ...budget, expenses: page.items };
    }

    const { taken, seqs, hasMore, current } = await this.changesAfter(budgetId, state.seqs, query.limit, counters!);
    const ids = [...new Set(taken.map((e) => e.expenseId))];
    return {
      serverKnowledge: this.tokens.encode({ seqs, budgetHash }, budgetId),
      hasMore,
      ...budget,
      expenses: ids.map((id) => current.get(id) ?? { id, deleted: true as const }),
    };
  }

  /**
   * The budget's knowledge now, as a GET /changes token would carry it (after an offline push,
   * webhooks): the change counters and the budget as this user sees it.
   */
  async knowledge(budgetId: string, userId: string): Promise<string> {
    const access = await authorize(this.deps.budgets, budgetId, userId, 'read');
    const seqs = await this.log.counters(budgetId);
    return this.tokens.encode({ seqs, budgetHash: budgetFingerprint(access.budget) }, budgetId);
  }

  /**
   * Up to `limit` changes after `since`, a prefix of each shard's (shards taken in turn, so a
   * busy shard does not starve the others), the numbers the client knows after them, and the
   * current state of their expenses. A missing entry (expired: a gap) means 410.
   *
   * Cost: the counter keeps its shard's last changes (RECENT_SLOTS), written by the same
   * transaction as their entries, so a client at most that far behind needs no entry read: one
   * BatchGetItem of the expenses. Older changes are read BY KEY (the counters say exactly which
   * entries exist) in that same BatchGetItem. Idle shards cost nothing; only a client further
   * behind than the slots needs a second BatchGetItem for the expenses the entries name.
   * A change still in a slot is served even when its entry has expired: nothing is missing.
   */
  private async changesAfter(
    budgetId: string,
    since: number[],
    limit: number,
    read: Promise<{ seqs: number[]; recent: ChangeEntry[][] }>,
  ) {
    // Counters first: entries up to each counter exist by then (written in one transaction).
    const { seqs: counters, recent } = await read;
    // A token ahead of the counters: this budget's history was lost (e.g. a restore).
    if (counters.some((c, shard) => c < since[shard]!)) throw syncExpired();
    const available = counters.map((c, shard) => c - since[shard]!);
    const counts = available.map(() => 0);
    for (let total = 0, progress = true; total < limit && progress; ) {
      progress = false;
      for (let shard = 0; shard < counts.length && total < limit; shard++) {
        if (counts[shard]! < available[shard]!) {
          counts[shard]!++;
          total++;
          progress = true;
        }
      }
    }
    const wanted = counts.flatMap((n, shard) => Array.from({ length: n }, (_, j) => ({ shard, seq: since[shard]! + 1 + j })));
    const numberOf = (e: { shard: number; seq: number }) => `${e.shard}#${e.seq}`;
    // A slot is a copy of its entry written by the same transaction, so a slotted change needs
    // no entry read: only the changes older than the slots are read, with the expenses.
    const byNumber = new Map(recent.flat().map((e) => [numberOf(e), e]));
    const named = [...new Set(wanted.flatMap((w) => byNumber.get(numberOf(w))?.expenseId ?? []))];
    const unslotted = wanted.filter((w) => !byNumber.has(numberOf(w)));
    const found = await this.deps.repository.entriesAndExpenses(budgetId, unslotted, named);
    for (const e of found.entries) byNumber.set(numberOf(e), e);
    const taken = wanted.map((w) => byNumber.get(numberOf(w)));
    if (taken.some((e) => e === undefined)) throw syncExpired();
    const entries = taken as ChangeEntry[];
    const unnamed = [...new Set(entries.map((e) => e.expenseId).filter((id) => !named.includes(id)))];
    const current = found.expenses;
    if (unnamed.length > 0) for (const [id, e] of await this.deps.repository.getMany(budgetId, unnamed)) current.set(id, e);
    const seqs = since.map((s, shard) => s + counts[shard]!);
    const hasMore = available.some((a, shard) => a > counts[shard]!);
    return { taken: entries, seqs, hasMore, current };
  }
}
