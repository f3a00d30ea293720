import { ProblemError, deferReads, type CursorCodec, type Item } from '@budgeting/platform';
import type { BudgetView, BudgetsFacade } from '@budgeting/budgets';
import type { Expense, Income } from '../model';
import type { ChangeEntry, ChangeLog, ChangeNumber } from '../repository/change-log';
import type { ExpensesRepository } from '../repository/expenses.repository';
import type { IncomeRepository } from '../repository/income.repository';
import { authorize } from './access';
import { budgetFingerprint, changesTokenCodec, type ChangesTokenCodec, type SyncState } from './changes-token';

/**
 * What a client's token says it has not got yet, kept by an offline push's answer: its place in
 * a first sync's pages (none: an incremental token with the income), the change numbers it goes
 * on from (`seqs`: a paging token's as they are; an in-sync token's advanced over the push's own
 * writes, ChangesService.pushedPosition), and the budget as it last saw it (`budgetHash`: a
 * budget changed since is then sent by the next sync).
 */
export type SyncPosition = Partial<SyncState>;

export interface DeletedExpense {
  id: string;
  deleted: true;
}

export interface ChangesPage {
  serverKnowledge: string;
  hasMore: boolean;
  budget?: BudgetView;
  expenses: (Expense | DeletedExpense)[];
  /** The income entries changed since, as `expenses` (a deleted one `{id, deleted: true}`). */
  income: (Income | DeletedExpense)[];
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
 * through every expense, then every income entry (each in id order, strongly consistent;
 * `limit` counts both: a page that ends the expenses goes on with income), having read the
 * change counters BEFORE the first page, so any write that the pages might miss has a number
 * after them and comes with the next sync. With `since`: per change shard, the entries
 * numbered after the client's (an expense's or an income entry's: `limit` counts both), then
 * the CURRENT state of those expenses and entries (absent = `{id, deleted: true}`), read by key
 * in one request.
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
    private readonly deps: { repository: ExpensesRepository; income: IncomeRepository; budgets: BudgetsFacade; cursors: CursorCodec },
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
    const counters = state && state.snapshotAfter === undefined && state.incomeAfter === undefined ? deferReads(() => this.log.countersByKey(budgetId)) : undefined;
    counters?.catch(() => undefined);
    const access = await authorize(this.deps.budgets, budgetId, userId, 'read');
    if (badToken !== undefined) throw badToken;
    const budgetHash = budgetFingerprint(access.budget);
    // The budget comes on the first sync, and again whenever what the client saw of it changed.
    const budget = state?.budgetHash === budgetHash ? {} : { budget: access.budget };

    if (state === undefined || state.snapshotAfter !== undefined || state.incomeAfter !== undefined) {
      const seqs = state?.seqs ?? (await this.log.counters(budgetId));
      const { expenses, income, next } = await this.snapshotPage(budgetId, state, query.limit);
      return { serverKnowledge: this.tokens.encode({ seqs, budgetHash, ...next }, budgetId), hasMore: next !== undefined, ...budget, expenses, income };
    }

    const { taken, seqs, hasMore, current, currentIncome } = await this.changesAfter(budgetId, state.seqs, query.limit, counters!);
    return {
      serverKnowledge: this.tokens.encode({ seqs, budgetHash }, budgetId),
      hasMore,
      ...budget,
      expenses: idsOf(taken, false).map((id) => current.get(id) ?? { id, deleted: true as const }),
      income: idsOf(taken, true).map((id) => currentIncome.get(id) ?? { id, deleted: true as const }),
    };
  }

  /**
   * One page of the first sync: the expenses after the token's position, then (the expenses
   * done) the income entries, `limit` in all. `next`: where the following page starts, absent
   * when this one ends both. A page the expenses fill exactly asks whether any income entry
   * exists (a Query of 1) rather than send the client back for an empty page.
   */
  private async snapshotPage(
    budgetId: string,
    state: SyncState | undefined,
    limit: number,
  ): Promise<{ expenses: Expense[]; income: Income[]; next?: Pick<SyncState, 'snapshotAfter' | 'incomeAfter'> }> {
    let expenses: Expense[] = [];
    if (state?.incomeAfter === undefined) {
      const page = await this.deps.repository.pageById(budgetId, state?.snapshotAfter, limit);
      const last = page.items[page.items.length - 1];
      if (page.more && last) return { expenses: page.items, income: [], next: { snapshotAfter: last.id } };
      expenses = page.items;
    }
    const room = limit - expenses.length;
    if (room === 0) {
      const any = await this.deps.income.pageAfter(budgetId, undefined, 1);
      return { expenses, income: [], ...(any.items.length > 0 ? { next: { incomeAfter: '' } } : {}) };
    }
    const page = await this.deps.income.pageAfter(budgetId, state?.incomeAfter || undefined, room);
    const last = page.items[page.items.length - 1];
    return { expenses, income: page.items, ...(page.more && last ? { next: { incomeAfter: last.id } } : {}) };
  }

  /**
   * The budget's knowledge now, as a GET /changes token would carry it (after an offline push,
   * webhooks): the change counters and the budget as this user sees it, or, with a
   * `position.budgetHash`, as the client last saw it.
   */
  async knowledge(budgetId: string, userId: string, position: SyncPosition = {}): Promise<string> {
    const access = await authorize(this.deps.budgets, budgetId, userId, 'read');
    const { budgetHash = budgetFingerprint(access.budget), seqs = await this.log.counters(budgetId), ...paging } = position;
    return this.tokens.encode({ seqs, budgetHash, ...paging }, budgetId);
  }

  /**
   * Where a client's token stands in the pages of a first sync (a pre-income token: in the
   * income, from the start), for an offline push's `since` (PushService): the push's answer
   * keeps it, so a client that adopts that answer still pages through what it never got. With
   * such a place it keeps the token's change numbers too: the pages read every item as it is
   * now, but only those still ahead, so a change another member made before the push to an item
   * the client already had (a pre-income token's expenses, a first sync's pages so far) comes
   * only from the numbers after the token's, which the counters after the push would skip. The
   * client then receives its own pushed writes again (harmless, README "Offline push"). The
   * token's budget fingerprint too: a budget (or the caller's role) changed after the token
   * would otherwise be taken as seen, and the next sync would not send it. An in-sync token's
   * numbers too, for pushedPosition to advance over the push's own writes. A token that is not
   * this budget's: the 400 naming query.since that GET /changes answers.
   */
  position(budgetId: string, since: string): SyncPosition & { seqs: number[]; budgetHash: string } {
    const { snapshotAfter, incomeAfter, budgetHash, seqs } = this.tokens.decode(since, budgetId);
    if (snapshotAfter !== undefined) return { budgetHash, seqs, snapshotAfter };
    if (incomeAfter !== undefined) return { budgetHash, seqs, incomeAfter };
    return { budgetHash, seqs };
  }

  /**
   * The answer of an offline push with `since` (`position`: what `position` read of it), `own`
   * being the change numbers the push's committed writes took (recordChanges). A still-paging
   * token keeps its numbers (see `position`). An in-sync token's numbers advance, per shard,
   * over the consecutive numbers that are the push's own, and stop at the first that is not:
   * another writer's change committed after the token (before or between the push's writes),
   * which the client has not got and its next sync must bring. The counters after the push
   * would skip it; the push's own writes the client has from the results. No read: nothing
   * but the token and the push's own numbers is needed.
   */
  pushedPosition(position: ReturnType<ChangesService['position']>, own: readonly ChangeNumber[]): SyncPosition {
    if (position.snapshotAfter !== undefined || position.incomeAfter !== undefined) return position;
    return { ...position, seqs: advancedOver(position.seqs, own) };
  }

  /**
   * Up to `limit` changes after `since`, a prefix of each shard's (shards taken in turn, so a
   * busy shard does not starve the others), the numbers the client knows after them, and the
   * current state of their expenses and income entries. A missing entry (expired: a gap) means 410.
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
    const slotted = wanted.flatMap((w) => byNumber.get(numberOf(w)) ?? []);
    const named = idsOf(slotted, false);
    const namedIncome = idsOf(slotted, true);
    const unslotted = wanted.filter((w) => !byNumber.has(numberOf(w)));
    // The income entries by key in the same BatchGetItem as the entries and the expenses.
    const found = await this.deps.repository.entriesAndExpenses(budgetId, unslotted, named, namedIncome.map((id) => this.deps.income.key(budgetId, id)));
    for (const e of found.entries) byNumber.set(numberOf(e), e);
    const taken = wanted.map((w) => byNumber.get(numberOf(w)));
    if (taken.some((e) => e === undefined)) throw syncExpired();
    const entries = taken as ChangeEntry[];
    const current = found.expenses;
    const currentIncome = this.incomeOf(found.others);
    // Only a client further behind than the slots: the expenses and entries its read entries name, one request more.
    const unnamed = idsOf(entries, false).filter((id) => !named.includes(id));
    const unnamedIncome = idsOf(entries, true).filter((id) => !namedIncome.includes(id));
    if (unnamed.length > 0 || unnamedIncome.length > 0) {
      const more = await this.deps.repository.entriesAndExpenses(budgetId, [], unnamed, unnamedIncome.map((id) => this.deps.income.key(budgetId, id)));
      for (const [id, e] of more.expenses) current.set(id, e);
      for (const [id, i] of this.incomeOf(more.others)) currentIncome.set(id, i);
    }
    const seqs = since.map((s, shard) => s + counts[shard]!);
    const hasMore = available.some((a, shard) => a > counts[shard]!);
    return { taken: entries, seqs, hasMore, current, currentIncome };
  }

  private incomeOf(items: Item[]): Map<string, Income> {
    const out = new Map<string, Income>();
    for (const item of items) {
      const income = this.deps.income.fromItem(item);
      if (income) out.set(income.id, income);
    }
    return out;
  }
}

/**
 * Per shard, `seqs` moved past the numbers right after it that are in `own`: 5 with own 6, 7
 * and 9 of that shard is 7 (8 is someone else's, so 9 stays to be fetched too).
 */
export function advancedOver(seqs: readonly number[], own: readonly ChangeNumber[]): number[] {
  const mine = new Set(own.map((n) => `${n.shard}#${n.seq}`));
  return seqs.map((seq, shard) => {
    let at = seq;
    while (mine.has(`${shard}#${at + 1}`)) at++;
    return at;
  });
}

/** The ids `entries` name of one kind (income, or expenses), each once. */
function idsOf(entries: ChangeEntry[], income: boolean): string[] {
  return [...new Set(entries.filter((e) => (e.income === true) === income).map((e) => e.expenseId))];
}
