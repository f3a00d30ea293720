import { changesNothing, createEvent, deferReads, problems, type CursorCodec } from '@budgeting/platform';
import { UNCATEGORIZED_KEY } from '@budgeting/budgets';
import { expenseDeleted, expenseUpdated } from '../events';
import type { Expense } from '../model';
import { ExpenseChangedError, ExtraChecksFailedError, type ExpensesRepository } from '../repository/expenses.repository';
import type { ExpenseQueries } from '../repository/expense-queries.repository';
import { refuseNonMembers, sharingChecks } from './shared-with-checks';
import type { CreateExpenseInput, ListExpensesInput, UpdateExpenseInput } from '../schemas/expenses.schemas';
import { authorize } from './access';
import { checkAgainstBudget, requireAChange } from '../domain/expense-rules';
import { applyPatch, categoriesOf, movedInto } from '../domain/expense-patch';
import { optimistically } from './optimistic';
import { facts, updatedEvent } from './expense-facts';
import { LIST_MAX_EXAMINED, checkListFilters, expenseSearchOf, type ExpenseSearch } from '../domain/expense-search';
import { ExpenseCreation, type ExpenseCreationDeps } from './expense-create';
import type { KeyAlreadyUsed, KeyedCreate } from './expense-create-key';
import type { RuleSource } from './expense-draft';
import { refuseCategories, refuseWriter, writerCheck } from './write-checks';

export interface ExpensesServiceDeps extends ExpenseCreationDeps {
  /** The list's pages (ExpenseQueries.page). */
  queries: Pick<ExpenseQueries, 'page'>;
  cursors: CursorCodec;
  /** Stored expenses one searched list request may examine (tests lower it; LIST_MAX_EXAMINED otherwise). */
  listMaxExamined?: number;
}

/**
 * Who makes a PATCH's or DELETE's write. 'member': a request of the member authorized just
 * before it (a PATCH, DELETE, the bulk edit and its undo, a rule apply, a category reassign):
 * the write carries their membership check, so a removal or demotion that commits between
 * that authorization and the write refuses it (packages/budgets/docs/members.md). 'job': a
 * fan-out job's unit writing in the name of the member who started it (the merchant and tag
 * renames, the import undo), whose access was checked once, when it was asked for: the write
 * carries no membership check, as before the check existed (the change counter still refuses an
 * archived budget). Otherwise a starter removed or made a viewer since would make every unit
 * read "gone" (counted as done, nothing written) or fail every attempt (403, dead-lettered).
 */
export type WriterKind = 'member' | 'job';

export class ExpensesService {
  /** The create path (expense-create.ts): create and createWithId delegate to it. */
  private readonly creation: ExpenseCreation;

  constructor(private readonly deps: ExpensesServiceDeps) {
    this.creation = new ExpenseCreation(deps);
  }

  /** See ExpenseCreation.create (an Idempotency-Key's `key`: the replay it finds instead of a write). */
  async create(budgetId: string, userId: string, input: CreateExpenseInput): Promise<Expense>;
  async create(budgetId: string, userId: string, input: CreateExpenseInput, key: KeyedCreate | undefined): Promise<Expense | KeyAlreadyUsed>;
  async create(budgetId: string, userId: string, input: CreateExpenseInput, key?: KeyedCreate): Promise<Expense | KeyAlreadyUsed> {
    return this.creation.create(budgetId, userId, input, key);
  }

  /** See ExpenseCreation.createWithId (offline push: an id the client chose). */
  createWithId(budgetId: string, userId: string, input: CreateExpenseInput, id: string, sharedRules?: RuleSource, clientId = false): Promise<Expense> {
    return this.creation.createWithId(budgetId, userId, input, id, sharedRules, clientId);
  }

  async get(budgetId: string, userId: string, expenseId: string): Promise<Expense> {
    const read = this.prefetch(budgetId, expenseId);
    await authorize(this.deps.budgets, budgetId, userId, 'read');
    const expense = await read;
    if (!expense) throw problems.notFound('Expense not found.');
    return expense;
  }

  async list(budgetId: string, userId: string, query: ListExpensesInput) {
    const access = await authorize(this.deps.budgets, budgetId, userId, 'read');
    checkListFilters(query);
    // `uncategorized` (UNCATEGORIZED_KEY; category ids are server ULIDs, never this): the
    // expenses the summary counts as uncategorizedSpent, found by walking the date index, as a
    // search (no index holds them: keys.ts). A real category keeps its own index partition.
    const uncategorized = query.categoryId === UNCATEGORIZED_KEY;
    if (query.categoryId !== undefined && !uncategorized) checkAgainstBudget(access, { categoryId: query.categoryId }, 'query.categoryId');
    const search = expenseSearchOf(query);
    // The cursor is only valid for this budget and these filters (not the page size).
    const binding = listBinding(budgetId, query, search);
    const startKey = this.deps.cursors.decode(query.cursor, binding);
    const page = await this.deps.queries.page({
      budgetId,
      from: query.from,
      to: query.to,
      ...(uncategorized ? { uncategorizedAmong: new Set(access.categories.map((c) => c.id)) } : { categoryId: query.categoryId }),
      search,
      limit: query.limit,
      startKey,
      // Bounded wherever a Query is filtered: a search, uncategorized, and a category (its split
      // partition is read with a filter on the parts' categories: without the bound a page of a
      // category read every split expense of the others, all of them when it had few of its own).
      // Only the plain list (one unfiltered Query of limit + 1) is left unbounded: it lists all it reads.
      maxExamined: search || query.categoryId !== undefined ? (this.deps.listMaxExamined ?? LIST_MAX_EXAMINED) : undefined,
    });
    return { items: page.items, nextCursor: this.deps.cursors.encode(page.lastKey, binding) };
  }

  async update(
    budgetId: string,
    userId: string,
    expenseId: string,
    input: UpdateExpenseInput,
    ifMatch: ReadonlySet<number> | undefined,
  ): Promise<Expense> {
    requireAChange(input);
    const current = this.prefetch(budgetId, expenseId);
    const access = await authorize(this.deps.budgets, budgetId, userId, 'write');
    // A category the expense is in already may be sent back (a form or splits sent whole) though
    // removed since: only one it would move into must be the budget's (the write checks that again,
    // replaced()). `current` came with the access read; a later re-read is held by that write check.
    checkAgainstBudget(access, input, 'categoryId', categoriesOf(await current));
    return this.updateAuthorized(budgetId, userId, expenseId, current, () => input, ifMatch);
  }

  /**
   * The write of a PATCH, once the caller was authorized and what the patch names was checked
   * against the budget (its categories): one transaction with the totals, the change-log entry
   * and the expense.updated event, conditioned on the version read, re-read and recomputed when
   * it loses a race. `patchOf` gives the patch for the expense as it is when written (a bulk
   * edit's "add this tag" depends on the tags it has then), or `undefined` when it already is
   * as asked: then nothing is written (no version, no event) and the expense is answered as is.
   * Shared by update() and the bulk edit (BulkService), which authorizes once for its batch
   * and reads its expenses in one BatchGetItem (`current`). `origin.ruleId`: the rule apply's
   * write (RulesService.apply), said in the event so the activity log can name the rule.
   * `writer`: see WriterKind ('job' for a fan-out job's write in its starter's name).
   */
  async updateAuthorized(
    budgetId: string,
    userId: string,
    expenseId: string,
    current: Promise<Expense | undefined>,
    patchOf: (current: Expense) => UpdateExpenseInput | undefined,
    ifMatch?: ReadonlySet<number>,
    origin?: { ruleId: string },
    writer: WriterKind = 'member',
  ): Promise<Expense> {
    return this.optimistically(budgetId, expenseId, ifMatch, current, async (current) => {
      const input = patchOf(current);
      if (input === undefined) return current;
      const next = applyPatch(current, input, this.deps.clock.now().toISOString());
      // The values it has already (a client saving a form untouched): nothing to write, no
      // version, totals, change entry (nothing new for delta sync) or expense.updated, as an
      // income entry's PATCH (packages/expenses/docs/sync.md "Delta sync"). If-Match was checked on this read.
      if (changesNothing(current, next)) return current;
      const event = await updatedEvent(current, next, userId, this.deps.clock, origin);
      await this.replaced(userId, current, next, { contract: expenseUpdated, event }, input, writer);
      return next;
    });
  }

  /**
   * The replace of a PATCH, with the membership checks of the users its `sharedWith` (or
   * `sharedAmounts`) adds: the ids already on the expense (in either) are not checked again
   * (someone who left since stays on it, as history, when the list is sent back), and a PATCH
   * sending neither carries none. The categories it moves the expense into (or a part: those
   * not on the expense already) are checked in the same transaction
   * (BudgetsFacade.categoriesCheck): the patch was checked against the categories read first, and a
   * category removed between that read and this write must not receive the expense (a 400
   * naming the field, as had the removal come first). One the expense keeps is not checked: an
   * expense may stay in a removed category (packages/budgets/docs/categories.md).
   */
  private async replaced(
    userId: string,
    current: Expense,
    next: Expense,
    publish: Parameters<ExpensesRepository['replace']>[2],
    sent: Pick<UpdateExpenseInput, 'sharedWith' | 'sharedAmounts' | 'categoryId' | 'splits'>,
    writer: WriterKind,
  ) {
    const onIt = [...(current.sharedWith ?? []), ...(current.sharedAmounts ?? []).map((p) => p.userId)];
    const shared = sharingChecks(this.deps.budgets, current.budgetId, [userId, ...onIt], sent);
    // The writer's check first (when it is carried), the categories' next, then the named members' from `offset`.
    const own = this.writerChecks(current.budgetId, userId, writer);
    const fits = this.deps.budgets.categoriesCheck(current.budgetId, movedInto(current, next));
    try {
      await this.deps.repository.replace(current, next, publish, [...own, ...fits, ...shared.checks]);
    } catch (err) {
      if (err instanceof ExtraChecksFailedError && own.length > 0 && err.failed.includes(0)) await refuseWriter(this.deps.budgets, current.budgetId, userId);
      if (err instanceof ExtraChecksFailedError && fits.length > 0 && err.failed.includes(own.length)) await refuseCategories(this.deps.budgets, current.budgetId, userId, sent, () => new ExpenseChangedError());
      if (err instanceof ExtraChecksFailedError) refuseNonMembers(err.failed, own.length + fits.length, shared);
      throw err;
    }
  }

  /** The writer's check a write of `writer` carries: one for a member's request, none for a job's (see WriterKind). */
  private writerChecks(budgetId: string, userId: string, writer: WriterKind) {
    return writer === 'member' ? [writerCheck(this.deps.budgets, budgetId, userId)] : [];
  }

  async remove(budgetId: string, userId: string, expenseId: string, ifMatch: ReadonlySet<number> | undefined): Promise<void> {
    const current = this.prefetch(budgetId, expenseId);
    await authorize(this.deps.budgets, budgetId, userId, 'write');
    await this.removeAuthorized(budgetId, userId, expenseId, current, ifMatch);
  }

  /**
   * The write of a DELETE once the caller was authorized (shared with the bulk edit, as
   * updateAuthorized): one transaction with the totals, the restorable copy, the change-log
   * entry and the expense.deleted event, conditioned on the version read; 404 when it is gone.
   * Answers the expense as it was deleted. `writer`: see WriterKind (the import undo's is 'job').
   */
  async removeAuthorized(
    budgetId: string,
    userId: string,
    expenseId: string,
    current: Promise<Expense | undefined>,
    ifMatch?: ReadonlySet<number>,
    writer: WriterKind = 'member',
  ): Promise<Expense> {
    return this.optimistically(budgetId, expenseId, ifMatch, current, async (current) => {
      const event = await createEvent(expenseDeleted, { ...facts(current), deletedBy: userId }, this.deps.clock);
      try {
        await this.deps.repository.remove(current, { contract: expenseDeleted, event }, userId, this.writerChecks(budgetId, userId, writer));
      } catch (err) {
        if (err instanceof ExtraChecksFailedError) await refuseWriter(this.deps.budgets, budgetId, userId);
        throw err;
      }
      // The expense as deleted (its version is the one its restorable copy keeps: the bulk edit's undo checks it).
      return current;
    });
  }

  /**
   * The expense's first read, queued to travel in the access check's BatchGetItem (platform
   * deferReads): a GET answers, and a PATCH or DELETE writes, after one request. It is used
   * only once authorize() has let the caller in.
   */
  private prefetch(budgetId: string, expenseId: string): Promise<Expense | undefined> {
    const read = deferReads(() => this.deps.repository.get(budgetId, expenseId));
    read.catch(() => undefined); // observed: authorize() may refuse before anyone awaits it
    return read;
  }

  private optimistically<T>(
    budgetId: string,
    expenseId: string,
    ifMatch: ReadonlySet<number> | undefined,
    prefetched: Promise<Expense | undefined>,
    write: (current: Expense) => Promise<T>,
  ): Promise<T> {
    let first: Promise<Expense | undefined> | undefined = prefetched;
    return optimistically({
      read: async () => {
        const read = first ?? this.deps.repository.get(budgetId, expenseId);
        first = undefined;
        const expense = await read;
        if (!expense) throw problems.notFound('Expense not found.');
        return expense;
      },
      ifMatch,
      write,
      lostRace: (err) => err instanceof ExpenseChangedError,
      busyDetail: 'The expense is being changed by others right now; retry.',
    });
  }
}

/**
 * What a list's cursor is bound to: the budget and the filters (not the page size), text as
 * its searchKey (so `q=Cafe` and `q=café` share cursors). Without a search the binding is the
 * one cursors had before search existed, so those stay valid.
 */
function listBinding(budgetId: string, query: ListExpensesInput, search: ExpenseSearch | undefined): string {
  const filters: (string | number | boolean | null)[] = ['expenses', budgetId, query.from ?? null, query.to ?? null, query.categoryId ?? null];
  if (search) filters.push(search.text ?? null, search.merchant ?? null, search.minAmount ?? null, search.maxAmount ?? null, search.createdBy ?? null);
  // Only when sent: a cursor of a search without a tag stays valid (its binding is unchanged).
  if (search?.tag !== undefined) filters.push('tag', search.tag);
  if (search?.reviewed !== undefined) filters.push('reviewed', search.reviewed);
  if (search?.refund !== undefined) filters.push('refund', search.refund);
  if (search?.recurringExpenseId !== undefined) filters.push('recurringExpenseId', search.recurringExpenseId);
  return JSON.stringify(filters);
}
