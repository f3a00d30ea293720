import { ProblemError, deferReads, type CursorCodec, type Item } from '@budgeting/platform';
import type { BudgetAccess, BudgetView, BudgetsFacade } from '@budgeting/budgets';
import type { Expense, Income, RecurringExpense, RecurringIncome } from '../model';
import type { ChangeEntry, ChangeLog, ChangeNumber } from '../repository/change-log';
import type { ExpensesRepository } from '../repository/expenses.repository';
import type { ExpenseQueries } from '../repository/expense-queries.repository';
import type { IncomeRepository } from '../repository/income.repository';
import type { RecurringRepository } from '../repository/recurring.repository';
import type { RecurringIncomeRepository } from '../repository/recurring-income.repository';
import { authorize } from './access';
import { budgetFingerprint, changesTokenCodec, type ChangesTokenCodec, type SyncState } from './changes-token';
import { EXPENSES_PROBLEMS } from '../problems';
import { SentBytesMeter } from './sent-bytes';

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
  /** The recurring expense definitions changed since (a first sync pages through all of them after the income), as `income`. */
  recurringExpenses: (RecurringExpense | DeletedExpense)[];
  /** The recurring income definitions changed since (a first sync pages through all of them after the recurring expenses), as `income`. */
  recurringIncome: (RecurringIncome | DeletedExpense)[];
}

/** What a change is of (ChangeEntry's flags). */
type ChangeKind = 'expense' | 'income' | 'recurringExpense' | 'recurringIncome';
const kindOf = (e: ChangeEntry): ChangeKind => (e.recurring ? (e.income ? 'recurringIncome' : 'recurringExpense') : e.income ? 'income' : 'expense');

/** 410: changes after the client's token are no longer kept (see CHANGE_RETENTION_SECONDS). */
export const syncExpired = () =>
  new ProblemError(EXPENSES_PROBLEMS['sync-expired'], 'Some changes after this serverKnowledge are no longer kept (change history lasts 90 days). Sync again without `since` and replace the local copy of this budget.',
  );

/**
 * Delta sync (GET /v1/budgets/{budgetId}/changes). Without `since`: the first sync pages
 * through every expense, then every income entry, every recurring expense and every recurring
 * income definition (each in id order, strongly consistent; `limit` counts them all: a page
 * that ends one kind goes on with the next), having read the
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
    private readonly deps: {
      repository: Pick<ExpensesRepository, 'changes'>;
      queries: Pick<ExpenseQueries, 'pageById' | 'entriesAndExpenses'>;
      income: IncomeRepository;
      recurring: RecurringRepository;
      recurringIncome: RecurringIncomeRepository;
      budgets: BudgetsFacade;
      cursors: CursorCodec;
    },
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
    const counters = state && !isPaging(state) ? deferReads(() => this.log.countersByKey(budgetId)) : undefined;
    counters?.catch(() => undefined);
    const access = await authorize(this.deps.budgets, budgetId, userId, 'read');
    if (badToken !== undefined) throw badToken;
    const budgetHash = budgetFingerprint(access.budget);
    // The budget comes on the first sync, and again whenever what the client saw of it changed.
    const budget = state?.budgetHash === budgetHash ? {} : { budget: access.budget };

    if (state === undefined || isPaging(state)) {
      // Every page is read after the counters: an item written since comes again with the next sync.
      const seqs = state?.seqs ?? (await this.log.counters(budgetId));
      const { next, ...items } = await this.snapshotPage(budgetId, state, query.limit);
      // The page that ends the paging: more while anything was written after the numbers the
      // token carries (a definition paged before it changed, one created behind the pages), so a
      // client that syncs while hasMore ends equal, as it did when every definition came on this page.
      const hasMore = next !== undefined || (await this.log.counters(budgetId)).some((c, shard) => c > seqs[shard]!);
      return { serverKnowledge: this.tokens.encode({ seqs, budgetHash, ...next }, budgetId), hasMore, ...budget, ...items };
    }

    const { taken, seqs, hasMore, current } = await this.changesAfter(budgetId, state.seqs, query.limit, counters!);
    const changed = <T>(kind: ChangeKind, states: Map<string, T>) => idsOf(taken, kind).map((id) => states.get(id) ?? { id, deleted: true as const });
    return {
      serverKnowledge: this.tokens.encode({ seqs, budgetHash }, budgetId),
      hasMore,
      ...budget,
      expenses: changed('expense', current.expenses),
      income: changed('income', current.income),
      recurringExpenses: changed('recurringExpense', current.recurringExpenses),
      recurringIncome: changed('recurringIncome', current.recurringIncome),
    };
  }

  /**
   * One page of the first sync: the items after the token's position, kind after kind (the
   * expenses, the income entries, the recurring expenses, the recurring income), `limit` in all:
   * a page that ends one kind goes on with the next, and ends early once its items take
   * SYNC_PAGE_MAX_BYTES as sent (at least one item a page). `next`: where the following page starts,
   * absent when this one ends them all. A page filled exactly at the end of a kind asks whether
   * any item of a later kind exists (a Query of 1 each, until one has) rather than send the
   * client back for an empty page.
   */
  private async snapshotPage(budgetId: string, state: SyncState | undefined, limit: number): Promise<SnapshotPage> {
    const out: SnapshotPage = { expenses: [], income: [], recurringExpenses: [], recurringIncome: [] };
    const start = snapshotStart(state);
    const sent = new SentBytesMeter(SYNC_PAGE_MAX_BYTES);
    for (let phase = start.phase, after = start.after; phase < SNAPSHOT_KINDS.length; phase++, after = undefined) {
      const kind = SNAPSHOT_KINDS[phase]!;
      const room = limit - pageSize(out);
      if (room === 0) {
        for (let later = phase; later < SNAPSHOT_KINDS.length; later++) {
          if ((await this.snapshotRead(budgetId, SNAPSHOT_KINDS[later]!, undefined, 1)).items.length > 0) return { ...out, next: positionAt(later, undefined) };
        }
        return out;
      }
      const page = await this.snapshotRead(budgetId, kind, after, room);
      for (const [index, item] of page.items.entries()) {
        if (!sent.add(item) && pageSize(out) > 0) return { ...out, next: positionAt(phase, page.items[index - 1]?.id) };
        (out[kind] as { id: string }[]).push(item);
      }
      const last = page.items[page.items.length - 1];
      if (page.more && last) return { ...out, next: positionAt(phase, last.id) };
    }
    return out;
  }

  /** Up to `limit` items of one kind after the one `afterId`, in id order (strongly consistent). */
  private snapshotRead(budgetId: string, kind: SnapshotKind, afterId: string | undefined, limit: number): Promise<{ items: { id: string }[]; more: boolean }> {
    switch (kind) {
      case 'expenses':
        return this.deps.queries.pageById(budgetId, afterId, limit);
      case 'income':
        return this.deps.income.pageAfter(budgetId, afterId, limit);
      case 'recurringExpenses':
        return this.deps.recurring.pageAfter(budgetId, afterId, limit);
      case 'recurringIncome':
        return this.deps.recurringIncome.pageAfter(budgetId, afterId, limit);
    }
  }

  /**
   * The budget's knowledge now, as a GET /changes token would carry it (after an offline push,
   * webhooks): the change counters and the budget as this user sees it, or, with a
   * `position.budgetHash`, as the client last saw it. `readBefore`: the caller's access as read
   * before its writes (an offline push), so nothing is read again for it after they committed (a
   * failing read there would answer 503 for a batch whose writes went through); a budget changed
   * since gives an older fingerprint, so the next sync sends the budget again, never skips it.
   */
  async knowledge(budgetId: string, userId: string, position: SyncPosition = {}, readBefore?: BudgetAccess): Promise<string> {
    const access = readBefore ?? (await authorize(this.deps.budgets, budgetId, userId, 'read'));
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
   * client then receives its own pushed writes again (harmless, packages/expenses/docs/sync.md "Offline push"). The
   * token's budget fingerprint too: a budget (or the caller's role) changed after the token
   * would otherwise be taken as seen, and the next sync would not send it. An in-sync token's
   * numbers too, for pushedPosition to advance over the push's own writes. A token that is not
   * this budget's: the 400 naming query.since that GET /changes answers.
   */
  position(budgetId: string, since: string): SyncPosition & { seqs: number[]; budgetHash: string } {
    const { snapshotAfter, incomeAfter, definitionsAfter, budgetHash, seqs } = this.tokens.decode(since, budgetId);
    if (snapshotAfter !== undefined) return { budgetHash, seqs, snapshotAfter };
    if (incomeAfter !== undefined) return { budgetHash, seqs, incomeAfter };
    if (definitionsAfter !== undefined) return { budgetHash, seqs, definitionsAfter };
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
    // A token paging through the definitions has everything else up to its numbers (an older
    // incremental token, or the end of a first sync's items): they advance as an in-sync token's, and it goes on paging.
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
    const unslotted = wanted.filter((w) => !byNumber.has(numberOf(w)));
    // The income entries and definitions by key in the same BatchGetItem as the entries and the expenses.
    const current = emptyStates();
    const named = new Set<string>();
    const readStates = async (entries: { shard: number; seq: number }[], changes: ChangeEntry[]) => {
      const fresh = changes.filter((e) => !named.has(`${kindOf(e)}#${e.expenseId}`));
      for (const e of fresh) named.add(`${kindOf(e)}#${e.expenseId}`);
      const found = await this.deps.queries.entriesAndExpenses(budgetId, entries, idsOf(fresh, 'expense'), this.otherKeys(budgetId, fresh));
      for (const [id, e] of found.expenses) current.expenses.set(id, e);
      this.readOthers(found.others, current);
      return found.entries;
    };
    for (const e of await readStates(unslotted, slotted)) byNumber.set(numberOf(e), e);
    const taken = wanted.map((w) => byNumber.get(numberOf(w)));
    if (taken.some((e) => e === undefined)) throw syncExpired();
    const entries = taken as ChangeEntry[];
    // Only a client further behind than the slots: the expenses, entries and definitions its read entries name, one request more.
    if (entries.some((e) => !named.has(`${kindOf(e)}#${e.expenseId}`))) await readStates([], entries);
    const sent = countsThatFit(counts, (shard, j) => byNumber.get(numberOf({ shard, seq: since[shard]! + 1 + j }))!, current);
    const seqs = since.map((s, shard) => s + sent[shard]!);
    const hasMore = available.some((a, shard) => a > sent[shard]!);
    return { taken: entries.filter((e) => e.seq <= seqs[e.shard]!), seqs, hasMore, current };
  }

  /** The keys of the income entries and definitions `changes` name (each once). */
  private otherKeys(budgetId: string, changes: ChangeEntry[]) {
    return [
      ...idsOf(changes, 'income').map((id) => this.deps.income.key(budgetId, id)),
      ...idsOf(changes, 'recurringExpense').map((id) => this.deps.recurring.key(budgetId, id)),
      ...idsOf(changes, 'recurringIncome').map((id) => this.deps.recurringIncome.key(budgetId, id)),
    ];
  }

  /** Items read by key besides expenses and entries: income entries and definitions, each by its kind. */
  private readOthers(items: Item[], into: CurrentStates): void {
    for (const item of items) {
      const income = this.deps.income.fromItem(item);
      if (income) into.income.set(income.id, income);
      const recurring = this.deps.recurring.fromItem(item);
      if (recurring) into.recurringExpenses.set(recurring.id, recurring);
      const recurringIncome = this.deps.recurringIncome.fromItem(item);
      if (recurringIncome) into.recurringIncome.set(recurringIncome.id, recurringIncome);
    }
  }
}

/** The current state of what the changes name, by kind (absent: deleted). */
interface CurrentStates {
  expenses: Map<string, Expense>;
  income: Map<string, Income>;
  recurringExpenses: Map<string, RecurringExpense>;
  recurringIncome: Map<string, RecurringIncome>;
}
const emptyStates = (): CurrentStates => ({ expenses: new Map(), income: new Map(), recurringExpenses: new Map(), recurringIncome: new Map() });

/**
 * What the items of a sync's page may take as sent (4 MiB): Lambda sends at most 6 MB of its
 * result, in which the body is a JSON string (a backslash in a text takes 4 bytes). `limit` alone
 * does not bound that: 64 expenses of 50 split parts of 500 backslashes pass 6 MB. The rest is
 * room for the budget, the token and the names the API adds (`kind`).
 */
const SYNC_PAGE_MAX_BYTES = 4 * 1024 * 1024;

/**
 * How many of each shard's changes (`counts`, a prefix of each) an incremental page sends so that
 * the states they name take at most SYNC_PAGE_MAX_BYTES as sent (at least one change): the changes
 * are taken in the order `limit` shared them out (each shard's j-th in turn), so what is cut is a
 * suffix of each shard's and its numbers come again with the next page. A state named twice is
 * sent once; a deleted one as its tombstone.
 */
function countsThatFit(counts: number[], entryAt: (shard: number, j: number) => ChangeEntry, current: CurrentStates): number[] {
  const sent = counts.map(() => 0);
  const seen = new Set<string>();
  const bytes = new SentBytesMeter(SYNC_PAGE_MAX_BYTES);
  for (let j = 0; j < Math.max(0, ...counts); j++) {
    for (let shard = 0; shard < counts.length; shard++) {
      if (j >= counts[shard]!) continue;
      const entry = entryAt(shard, j);
      const named = `${kindOf(entry)}#${entry.expenseId}`;
      if (!seen.has(named)) {
        seen.add(named);
        if (!bytes.add(stateOf(current, entry) ?? { id: entry.expenseId, deleted: true }) && sent.some((n) => n > 0)) return sent;
      }
      sent[shard] = j + 1;
    }
  }
  return sent;
}

/** The current state a change names (undefined: deleted). */
function stateOf(current: CurrentStates, entry: ChangeEntry): unknown {
  const kind = kindOf(entry);
  const states = kind === 'expense' ? current.expenses : kind === 'income' ? current.income : kind === 'recurringExpense' ? current.recurringExpenses : current.recurringIncome;
  return states.get(entry.expenseId);
}

/** The kinds a first sync pages through, in this order (ChangesService.snapshotPage). */
const SNAPSHOT_KINDS = ['expenses', 'income', 'recurringExpenses', 'recurringIncome'] as const;
type SnapshotKind = (typeof SNAPSHOT_KINDS)[number];
type SnapshotPage = Pick<ChangesPage, SnapshotKind> & { next?: Pick<SyncState, 'snapshotAfter' | 'incomeAfter' | 'definitionsAfter'> };
const pageSize = (page: SnapshotPage) => SNAPSHOT_KINDS.reduce((n, kind) => n + page[kind].length, 0);

/** Whether `state` is a place in a first sync's pages (else an incremental token's). */
function isPaging(state: SyncPosition): boolean {
  return state.snapshotAfter !== undefined || state.incomeAfter !== undefined || state.definitionsAfter !== undefined;
}

/** Where a first sync's page starts: the kind (SNAPSHOT_KINDS' index) and the id after which (none: its first). */
function snapshotStart(state: SyncState | undefined): { phase: number; after?: string } {
  if (state?.definitionsAfter !== undefined) {
    const { definitionsAfter: d } = state;
    return d.startsWith('i') ? { phase: 3, after: d.slice(1) || undefined } : { phase: 2, after: d.slice(1) || undefined };
  }
  if (state?.incomeAfter !== undefined) return { phase: 1, after: state.incomeAfter || undefined };
  return { phase: 0, after: state?.snapshotAfter };
}

/** The token's place after the item `id` of the kind `phase` (none: before that kind's first). */
function positionAt(phase: number, id: string | undefined): NonNullable<SnapshotPage['next']> {
  // The expenses are never started on a later page (the first page starts them, and a page keeps at least one item), so an id is always there.
  if (phase === 0) return { snapshotAfter: id! };
  if (phase === 1) return { incomeAfter: id ?? '' };
  return { definitionsAfter: `${phase === 2 ? 'e' : 'i'}${id ?? ''}` };
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

/** The ids `entries` name of one kind, each once. */
function idsOf(entries: ChangeEntry[], kind: ChangeKind): string[] {
  return [...new Set(entries.filter((e) => kindOf(e) === kind).map((e) => e.expenseId))];
}
