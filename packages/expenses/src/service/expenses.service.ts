import { changesNothing, createEvent, deferReads, loadOnce, newId, ProblemError, problems, type Clock, type CursorCodec, type KeyRecordOnItem } from '@budgeting/platform';
import { IdOfDeletedError } from '../domain/resend-tombstone';
import { UNCATEGORIZED_KEY, type BudgetsFacade } from '@budgeting/budgets';
import { todayIn } from '../domain/dates';
import { expenseDeleted, expenseUpdated } from '../events';
import type { CategorizationRule, Expense } from '../model';
import { appliedRules, wantsRule } from '../domain/categorization';
import type { RulesRepository } from '../repository/rules.repository';
import { ExpenseChangedError, ExtraChecksFailedError, type ExpensesRepository } from '../repository/expenses.repository';
import type { ExpenseQueries } from '../repository/expense-queries.repository';
import { failedExtras, refuseNonMembers, sharingChecks, type SharedWithChecks } from './shared-with-checks';
import type { CreateExpenseInput, ListExpensesInput, UpdateExpenseInput } from '../schemas/expenses.schemas';
import { authorize } from './access';
import { isBudgetArchived } from '../domain/write-retry';
import { checkAgainstBudget, checkAgainstBudgetAgain, requireAChange } from '../domain/expense-rules';
import { optionalText, patchOptionalText } from '../domain/optional-text';
import { patchTags, tagsField } from '../domain/tags';
import { foreignField, patchForeign } from '../domain/foreign';
import { patchSharedWith, sharedWithField } from '../domain/shared-with';
import { createdSharedAmounts, patchSharedAmounts } from '../domain/shared-amounts';
import { createdReviewed, patchedReviewed } from '../domain/review';
import { patchRefund, refundField } from '../domain/refunds';
import { createdCategories, patchedCategories } from '../domain/splits';
import { optimistically } from './optimistic';
import { facts, fieldChanges, recordedEvent } from './expense-facts';
import { LIST_MAX_EXAMINED, checkListFilters, expenseSearchOf, type ExpenseSearch } from '../domain/expense-search';

export interface ExpensesServiceDeps {
  repository: ExpensesRepository;
  /** The list's pages (ExpenseQueries.page). */
  queries: Pick<ExpenseQueries, 'page'>;
  /** The budget's categorization rules, read by a create without a category (domain/categorization.ts). */
  rules: Pick<RulesRepository, 'all'>;
  budgets: BudgetsFacade;
  clock: Clock;
  cursors: CursorCodec;
  /** Stored expenses one searched list request may examine (tests lower it; LIST_MAX_EXAMINED otherwise). */
  listMaxExamined?: number;
}

/**
 * What create() needs of the request's Idempotency-Key (platform IdempotentWrite, bound by the
 * route to the answer it gives for an expense).
 */
export interface KeyedCreate {
  /**
   * The id of the expense this key creates, the same for every retry (derived from a key that
   * carries its creation time: platform idFromKey); `undefined` for any other key, whose record
   * is then an item of its own (`recordItem`).
   */
  expenseId: string | undefined;
  /** The key's record holding the answer for `expense`, stored on the expense item. */
  recordOnItem(expense: Expense): KeyRecordOnItem;
  /** The live record of this key in an item's stored attribute, if there is one. */
  liveRecordOf(stored: unknown): KeyRecordOnItem | undefined;
  /** The key's record as an item of its own (a key naming no id, or one reused after its record expired). */
  recordItem(expense: Expense): TransactItem;
  /** Whether that record item exists and is live (one read). */
  recordItemUsed(): Promise<boolean>;
}

/**
 * create() found its Idempotency-Key used: the caller replays `held` (the record on the item
 * under the key's expense id: an expense's or a deleted one's tombstone), or, for a key reused
 * after its first record expired, the key's own record item ('key-record').
 */
export interface KeyAlreadyUsed {
  replay: KeyRecordOnItem | 'key-record';
}

type TransactItem = Parameters<ExpensesRepository['create']>[2] extends (infer T)[] | undefined ? T : never;

/**
 * The budget's categorization rules for a create that may take its category from them, read
 * at most once however often asked (the read-first path after a failed checked write reuses
 * them; an offline push shares one read among its creates).
 */
export type RuleSource = () => Promise<CategorizationRule[]>;

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

/** A new expense and the rules that renamed its merchant and filled in its category (if any did): its event says so. */
interface NewExpense {
  expense: Expense;
  ruleId?: string;
  renameRuleId?: string;
}

export class ExpensesService {
  constructor(private readonly deps: ExpensesServiceDeps) {}

  /**
   * With an Idempotency-Key (`key`), the expense takes the key's id and carries the key's
   * record (holding the answer) on its own item, so the expense and the answer to its request
   * exist together or not at all, in one item. When the id is taken (a retry of a committed
   * attempt, a concurrent duplicate, a retry after the expense was updated or deleted),
   * nothing is written and the caller replays the record found there, once the caller's
   * authorization was checked again. See createWithRecordItem for a key that names no id or whose record expired.
   */
  async create(budgetId: string, userId: string, input: CreateExpenseInput): Promise<Expense>;
  async create(budgetId: string, userId: string, input: CreateExpenseInput, key: KeyedCreate | undefined): Promise<Expense | KeyAlreadyUsed>;
  async create(budgetId: string, userId: string, input: CreateExpenseInput, key?: KeyedCreate): Promise<Expense | KeyAlreadyUsed> {
    try {
      return await this.createKeyed(budgetId, userId, input, key);
    } catch (err) {
      const used = key && (isBudgetArchived(err) || isBodyRefused(err)) ? await this.replayOnRefusal(budgetId, userId, key) : undefined;
      if (used) return used;
      throw err;
    }
  }

  /**
   * A keyed create refused before it found its key used (the read-first path: no day named, or
   * a checked write that failed on the archive or the category too), with 409 budget-archived
   * or a 400 of its body against the budget as it is now (a category removed, a member it
   * shares with gone): a retry of a create committed before still gets the stored answer (a
   * replay writes nothing and answers what was answered: root README "HTTP conventions"), once the
   * caller's membership and role are checked again; the body is not checked again (the stored
   * answer is the key's, and another body is the replay's 422). Reads the key's record (on the
   * expense under the key's id, else its own item) only on such a refusal.
   */
  private async replayOnRefusal(budgetId: string, userId: string, key: KeyedCreate): Promise<KeyAlreadyUsed | undefined> {
    const used = (key.expenseId !== undefined ? await this.keyUsedAt(budgetId, key) : undefined) ?? ((await key.recordItemUsed()) ? { replay: 'key-record' as const } : undefined);
    if (used) await authorize(this.deps.budgets, budgetId, userId, 'write', { replay: true });
    return used;
  }

  private async createKeyed(budgetId: string, userId: string, input: CreateExpenseInput, key?: KeyedCreate): Promise<Expense | KeyAlreadyUsed> {
    const rules = this.rulesFor(budgetId, input);
    if (key?.expenseId === undefined && key) return this.createWithRecordItem(budgetId, userId, input, key, rules);
    const id = key?.expenseId ?? newId(this.deps.clock.now().getTime());
    if (input.occurredOn !== undefined) {
      const checked = await this.createChecked(budgetId, userId, input, input.occurredOn, id, key, rules);
      if (checked !== undefined) return checked;
    }
    const made = await this.newExpense(budgetId, userId, input, id, rules);
    const { expense } = made;
    const shared = this.sharedChecks(budgetId, userId, input);
    // The writer's membership check rides the write (a removal or demotion, or the budget's
    // deletion, since the access read fails it: it makes the closed-budget check redundant).
    // Last, so the positions above stay: its categories, checked on the access read, still the budget's.
    const fits = this.fitsCheck(budgetId, expense);
    const outcome = await this.deps.repository.create(expense, await this.recorded(made), [this.writerCheck(budgetId, userId), ...shared.checks, ...fits], {
      keyRecord: key?.recordOnItem(expense),
      membershipChecked: true,
    });
    if (outcome === 'created') return expense;
    if (failedExtras(outcome).includes(0)) await this.refuseWriter(budgetId, userId);
    refuseNonMembers(failedExtras(outcome), 1, shared);
    if (fits.length > 0 && failedExtras(outcome).includes(1 + shared.checks.length)) await this.refuseCategories(budgetId, userId, input, createRaced);
    // The id is the key's, used before: replayed once the caller is authorized again, as the
    // checked create's replay (a removal committed after newExpense's read, and before this
    // write, fails the writer's check too, but 'exists' is all the outcome says; README "HTTP
    // conventions": a replay only to a caller who may still make the request).
    if (key && outcome === 'exists') {
      const used = await this.keyUsedAt(budgetId, key);
      if (!used) return this.createWithRecordItem(budgetId, userId, input, key);
      await authorize(this.deps.budgets, budgetId, userId, 'write', { replay: true });
      return used;
    }
    // A fresh id taken by another expense: only a broken id generator gets here.
    throw problems.conflict('The new expense collided with an existing one; retry.');
  }

  /**
   * Creates an expense under an id the client chose (offline push). The same id sent again by
   * its creator finds the expense instead of recording the spending twice; an id taken by
   * someone else's expense is a 409; an id taken by no expense (the tombstone of one deleted
   * since, within 24 h of its creation: ExpensesRepository.remove) is IdOfDeletedError (domain/resend-tombstone.ts),
   * not recorded again.
   *
   * `clientId`: the id is the client's (not derived from the push's Idempotency-Key), so a
   * resend may come after the expense was deleted more than 24 h after its creation, when no
   * tombstone holds the id any more: the transaction then also checks that the id has no
   * restorable copy (DeletedExpenses.absentCheck, one item more), and its failure is the same
   * IdOfDeletedError, nothing written. A restore removes the copy and puts the expense back, so
   * a resend after it finds the expense as before.
   */
  async createWithId(budgetId: string, userId: string, input: CreateExpenseInput, id: string, sharedRules?: RuleSource, clientId = false): Promise<Expense> {
    const made = await this.newExpense(budgetId, userId, input, id, this.rulesFor(budgetId, input, sharedRules));
    const { expense } = made;
    const shared = this.sharedChecks(budgetId, userId, input);
    // After the shared-with checks, so their positions (refuseNonMembers) stay as they were.
    const notDeleted = clientId ? [this.deps.repository.deleted.absentCheck(budgetId, id, this.deps.clock.now())] : [];
    // Last, so the positions above stay as they were: the writer's membership (a removal or demotion since the access read).
    const writerAt = shared.checks.length + notDeleted.length;
    // After it: its categories, checked on the access read, still the budget's.
    const fits = this.fitsCheck(budgetId, expense);
    const outcome = await this.deps.repository.create(expense, await this.recorded(made), [...shared.checks, ...notDeleted, this.writerCheck(budgetId, userId), ...fits]);
    if (outcome === 'created') return expense;
    if (outcome === 'budget-closed') throw problems.notFound('Budget not found.');
    // Removed or made a viewer since the access read: nothing written, their precise answer.
    if (failedExtras(outcome).includes(writerAt)) await this.refuseWriter(budgetId, userId);
    if (fits.length > 0 && failedExtras(outcome).includes(writerAt + 1)) await this.refuseCategories(budgetId, userId, input, createRaced);
    // The copy's check failed: deleted within the last 30 days, whoever else's check failed too.
    if (clientId && failedExtras(outcome).includes(shared.checks.length)) throw new IdOfDeletedError('This id belongs to an expense deleted since.');
    refuseNonMembers(failedExtras(outcome), 0, shared);
    const existing = await this.deps.repository.get(budgetId, id);
    if (!existing) throw new IdOfDeletedError('This id belongs to an expense deleted since.');
    if (existing.createdBy !== userId) throw problems.conflict('This id belongs to another expense.');
    return existing;
  }

  /**
   * The one-round-trip create: when the client names the day (nothing to take from the budget),
   * the write's own transaction checks access and the category (BudgetsFacade.writeChecks)
   * instead of a read before it, and the request's account check rides along (platform
   * deferGuard). Undefined when anything but 'created' came back: nothing was written, and
   * the caller takes the read-first path, which gives the precise answer (404, 403, 422)
   * exactly as before. A used Idempotency-Key is replayed only after that same read-first
   * authorization (a caller who lost access meanwhile gets 404/403, not the old answer).
   * A create asking a rule for its category reads the rules first (one Query) and names the
   * matching rule's category in the same check; a category removed since fails it, and the
   * read-first path then passes that rule over.
   */
  private async createChecked(
    budgetId: string,
    userId: string,
    input: CreateExpenseInput,
    occurredOn: string,
    id: string,
    key?: KeyedCreate,
    rules?: RuleSource,
  ): Promise<Expense | KeyAlreadyUsed | undefined> {
    const made = await this.checkedExpense(budgetId, userId, input, occurredOn, id, rules);
    const { expense } = made;
    const checks = this.deps.budgets.writeChecks(budgetId, userId, writeCheckValue(made.input));
    const shared = this.sharedChecks(budgetId, userId, input);
    // `checks` starts with the membership's: it makes the closed-budget check redundant (see create).
    const outcome = await this.deps.repository.create(expense, await this.recorded(made), [...checks, ...shared.checks], {
      membershipChecked: true,
      keyRecord: key?.recordOnItem(expense),
    });
    if (outcome === 'created') return expense;
    // Only a named user's membership failed: the writer's own checks held, so the 400 is theirs.
    refuseNonMembers(failedExtras(outcome), checks.length, shared);
    if (key && outcome === 'exists') {
      const used = await this.keyUsedAt(budgetId, key);
      if (!used) return this.createWithRecordItem(budgetId, userId, input, key);
      // A replay: an archived budget does not refuse it, nor a category removed since (root README "HTTP conventions").
      await authorize(this.deps.budgets, budgetId, userId, 'write', { replay: true });
      return used;
    }
    return undefined;
  }

  /** The live record of `key` on the item under its expense id (strongly consistent), if any. */
  private async keyUsedAt(budgetId: string, key: KeyedCreate): Promise<KeyAlreadyUsed | undefined> {
    const held = key.liveRecordOf(await this.deps.repository.keyRecordAt(budgetId, key.expenseId!));
    return held && { replay: held };
  }

  /**
   * A create whose key's record is an item of its own, joining the expense's transaction
   * (as before records moved onto expenses; the write has one item more):
   * - a key that names no id (no creation time in it: see platform idFromKey);
   * - a key reused after its record expired (24 h): a new request, but the key's expense id
   *   is taken by the first request's expense (or by its tombstone, until the TTL removes
   *   it), so the expense gets a fresh id. Why a record at all: a retry of THIS request (a
   *   timeout, a lost answer) would meet the same taken id, find no live record there and
   *   record the spending a second time; the own record makes it replay instead. (Left
   *   open: if the first expense is deleted without a tombstone, its record having expired,
   *   between this request and its retry, the retry finds the key's id free and creates a
   *   second expense.)
   * The day named: one transaction that also checks access (as createChecked); otherwise,
   * or when that transaction failed on anything but the record, the read-first path.
   */
  private async createWithRecordItem(
    budgetId: string,
    userId: string,
    input: CreateExpenseInput,
    key: KeyedCreate,
    rules?: RuleSource,
  ): Promise<Expense | KeyAlreadyUsed> {
    const id = newId(this.deps.clock.now().getTime());
    const shared = this.sharedChecks(budgetId, userId, input);
    if (input.occurredOn !== undefined) {
      const made = await this.checkedExpense(budgetId, userId, input, input.occurredOn, id, rules);
      const { expense } = made;
      const checks = [key.recordItem(expense), ...this.deps.budgets.writeChecks(budgetId, userId, writeCheckValue(made.input))];
      const outcome = await this.deps.repository.create(expense, await this.recorded(made), [...checks, ...shared.checks], { membershipChecked: true });
      if (outcome === 'created') return expense;
      if (typeof outcome === 'object' && outcome.extraFailed === 0) {
        await authorize(this.deps.budgets, budgetId, userId, 'write', { replay: true });
        return { replay: 'key-record' };
      }
      refuseNonMembers(failedExtras(outcome), checks.length, shared);
    }
    const made = await this.newExpense(budgetId, userId, input, id, rules);
    const { expense } = made;
    const fits = this.fitsCheck(budgetId, expense);
    const outcome = await this.deps.repository.create(expense, await this.recorded(made), [key.recordItem(expense), this.writerCheck(budgetId, userId), ...shared.checks, ...fits], {
      membershipChecked: true,
    });
    if (outcome === 'created') return expense;
    // The record's own failure (its key used) is the replay below, whatever else failed with it.
    if (failedExtras(outcome).includes(1) && !failedExtras(outcome).includes(0)) await this.refuseWriter(budgetId, userId);
    refuseNonMembers(failedExtras(outcome), 2, shared);
    if (fits.length > 0 && !failedExtras(outcome).includes(0) && failedExtras(outcome).includes(2 + shared.checks.length)) await this.refuseCategories(budgetId, userId, input, createRaced);
    if (outcome !== 'exists') {
      // The key used while the writer's check failed too (removed, made a viewer or archived since
      // newExpense's read): replayed only if authorized again (an archive does not refuse a replay).
      if (failedExtras(outcome).includes(1)) await authorize(this.deps.budgets, budgetId, userId, 'write', { replay: true });
      return { replay: 'key-record' };
    }
    throw problems.conflict('The new expense collided with an existing one; retry.');
  }

  /**
   * The read-first create: access (and the budget's categories and time zone) read, then the
   * expense built. Asking a rule, the rules are read alongside the access (two requests at
   * once) and a rule naming a category the budget no longer has is passed over.
   */
  private async newExpense(budgetId: string, userId: string, input: CreateExpenseInput, id: string, rules?: RuleSource): Promise<NewExpense> {
    const [access, read] = await Promise.all([authorize(this.deps.budgets, budgetId, userId, 'write'), rules?.()]);
    checkAgainstBudget(access, input);
    const filled = read ? appliedRules(input, read, (categoryId) => access.categories.some((c) => c.id === categoryId)) : { input };
    const occurredOn = input.occurredOn ?? todayIn(access.timezone, this.deps.clock.now());
    return { expense: this.expenseOf(budgetId, userId, filled.input, occurredOn, id), ...ruleIds(filled) };
  }

  /**
   * The expense of a checked create (nothing read of the budget): the first matching rule's
   * category, if asked, which the write's budget check then verifies. `input`: what was
   * recorded (its category is what the check must find).
   */
  private async checkedExpense(
    budgetId: string,
    userId: string,
    input: CreateExpenseInput,
    occurredOn: string,
    id: string,
    rules?: RuleSource,
  ): Promise<NewExpense & { input: CreateExpenseInput }> {
    const filled = rules ? appliedRules(input, await rules(), () => true) : { input };
    return { expense: this.expenseOf(budgetId, userId, filled.input, occurredOn, id), input: filled.input, ...ruleIds(filled) };
  }

  /**
   * A create's rules source, only when the create asks for a categorization (a merchant and no
   * `categoryId` field, no splits: wantsRule); the rules then also rename its merchant
   * (appliedRules). A create naming its category is not renamed: reading the rules for it would
   * add a Query to every such write (the one-request create, packages/expenses/docs/storage-and-totals.md "What one write costs"),
   * and a merchant typed by hand is the user's own spelling. Imports read the rules once per
   * file and rename every row (CsvImportService). `shared`: one read for a whole push.
   */
  private rulesFor(budgetId: string, input: CreateExpenseInput, shared?: RuleSource): RuleSource | undefined {
    if (!wantsRule(input)) return undefined;
    return shared ?? loadOnce(() => this.deps.rules.all(budgetId));
  }

  /** The membership checks of a create's `sharedWith` or `sharedAmounts` (none without either: the transaction is as before). */
  private sharedChecks(budgetId: string, userId: string, input: CreateExpenseInput): SharedWithChecks {
    return sharingChecks(this.deps.budgets, budgetId, [userId], input);
  }

  /** The expense.recorded event of a new expense, naming the rules that renamed and categorized it. */
  private recorded(made: NewExpense) {
    const origin = {
      ...(made.ruleId ? { categorizedBy: { ruleId: made.ruleId } } : {}),
      ...(made.renameRuleId ? { renamedBy: { ruleId: made.renameRuleId } } : {}),
    };
    return recordedEvent(made.expense, this.deps.clock, Object.keys(origin).length > 0 ? origin : undefined);
  }

  private expenseOf(budgetId: string, userId: string, input: CreateExpenseInput, occurredOn: string, id: string): Expense {
    const timestamp = this.deps.clock.now().toISOString();
    return {
      id,
      budgetId,
      amount: input.amount,
      ...createdCategories(input),
      occurredOn,
      ...optionalText(input),
      ...tagsField(input.tags),
      ...foreignField(input.foreign),
      ...sharedWithField(input.sharedWith),
      ...createdSharedAmounts(input),
      reviewed: createdReviewed(input.reviewed),
      ...refundField(input.refund),
      createdBy: userId,
      version: 1,
      createdAt: timestamp,
      updatedAt: timestamp,
    };
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
      // Only a search (or uncategorized) is bounded: without one every expense read is listed, as before search.
      maxExamined: search || uncategorized ? (this.deps.listMaxExamined ?? LIST_MAX_EXAMINED) : undefined,
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
    checkAgainstBudget(access, input);
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
      const event = await createEvent(
        expenseUpdated,
        {
          ...facts(next),
          updatedBy: userId,
          version: next.version,
          previous: {
            amount: current.amount,
            // Only when the expense was a refund before (its spending was -amount).
            ...refundField(current.refund),
            categoryId: current.categoryId,
            ...(current.splits ? { splits: current.splits } : {}),
            occurredOn: current.occurredOn,
          },
          changes: fieldChanges(current, next),
          ...origin,
        },
        this.deps.clock,
      );
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
      if (err instanceof ExtraChecksFailedError && own.length > 0 && err.failed.includes(0)) await this.refuseWriter(current.budgetId, userId);
      if (err instanceof ExtraChecksFailedError && fits.length > 0 && err.failed.includes(own.length)) await this.refuseCategories(current.budgetId, userId, sent, () => new ExpenseChangedError());
      if (err instanceof ExtraChecksFailedError) refuseNonMembers(err.failed, own.length + fits.length, shared);
      throw err;
    }
  }

  /**
   * A category the write names was removed after the access read (its categoriesCheck failed,
   * nothing written): the 400 the access check gives now, naming the field sent. Were it to pass
   * (the category came from a rule, not the body), `otherwise`: a PATCH tries again from a fresh
   * read, a create answers 409 (retried, it passes the rule over).
   */
  private async refuseCategories(budgetId: string, userId: string, sent: CategoriesSent, otherwise: () => Error): Promise<never> {
    checkAgainstBudgetAgain(await authorize(this.deps.budgets, budgetId, userId, 'write'), sent);
    throw otherwise();
  }

  /** The categories check of a new expense written after an access read (none when it names none). */
  private fitsCheck(budgetId: string, expense: Pick<Expense, 'categoryId' | 'splits'>) {
    return this.deps.budgets.categoriesCheck(budgetId, [expense.categoryId, ...(expense.splits ?? []).map((p) => p.categoryId)]);
  }

  /** The writer's check a write of `writer` carries: one for a member's request, none for a job's (see WriterKind). */
  private writerChecks(budgetId: string, userId: string, writer: WriterKind) {
    return writer === 'member' ? [this.writerCheck(budgetId, userId)] : [];
  }

  /**
   * The writer's membership check (BudgetsFacade.writeChecks: a writing role, the budget not
   * archived) for a write that authorized with a read first: a removal, a demotion to viewer
   * or the budget's deletion that commits between that read and the write fails it, so no
   * write of someone who lost the right commits after the change that took it
   * (packages/budgets/docs/members.md).
   */
  private writerCheck(budgetId: string, userId: string) {
    return this.deps.budgets.writeChecks(budgetId, userId, {})[0]!;
  }

  /** After the writer's check failed: the precise answer (404, 403, 409 budget-archived), else a 409 to retry (nothing written). */
  private async refuseWriter(budgetId: string, userId: string): Promise<never> {
    await authorize(this.deps.budgets, budgetId, userId, 'write');
    throw problems.conflict('Your access to the budget changed while this was written; nothing was written, retry.');
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
        if (err instanceof ExtraChecksFailedError) await this.refuseWriter(budgetId, userId);
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

function applyPatch(current: Expense, input: UpdateExpenseInput, now: string): Expense {
  const { splits: _splits, ...unsplit } = current;
  const next: Expense = {
    ...unsplit,
    ...patchedCategories(current, input),
    occurredOn: input.occurredOn ?? current.occurredOn,
    version: current.version + 1,
    updatedAt: now,
  };
  patchOptionalText(next, input);
  patchTags(next, input.tags);
  patchForeign(next, input.foreign);
  patchSharedWith(next, input.sharedWith);
  // After sharedWith: a list of either removes the other; the amounts checked against the new amount.
  patchSharedAmounts(next, input);
  next.reviewed = patchedReviewed(current, input.reviewed);
  patchRefund(next, input.refund);
  return next;
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

/**
 * What the write's ConditionCheck must find in the budget: the currency, every category the
 * expense names (its own or its parts'), and another currency than a foreign amount's, all in
 * one check (BudgetsFacade.writeChecks). A foreign currency equal to the budget's fails it,
 * and the read-first path then answers the 400 naming `foreign.currency`.
 */
/** A 400 of the body: its fields against the budget as it is now (a category, a currency, a member shared with). */
const isBodyRefused = (err: unknown) => err instanceof ProblemError && err.status === 400;

function writeCheckValue(input: CreateExpenseInput) {
  return {
    categoryId: input.categoryId,
    ...(input.splits ? { categoryIds: input.splits.map((p) => p.categoryId) } : {}),
    ...(input.currency === undefined ? {} : { currency: input.currency }),
    ...(input.foreign ? { notCurrency: input.foreign.currency } : {}),
  };
}

/** What a create's event names of the rules that applied (appliedRules). */
function ruleIds(filled: { categorizedBy?: string; renamedBy?: string }): { ruleId?: string; renameRuleId?: string } {
  return { ...(filled.categorizedBy ? { ruleId: filled.categorizedBy } : {}), ...(filled.renamedBy ? { renameRuleId: filled.renamedBy } : {}) };
}


/** The categories `next` names that `current` does not (its own or a part's): those a PATCH moves the expense into. */
function movedInto(current: Pick<Expense, 'categoryId' | 'splits'>, next: Pick<Expense, 'categoryId' | 'splits'>): string[] {
  const named = (e: Pick<Expense, 'categoryId' | 'splits'>) => [e.categoryId, ...(e.splits ?? []).map((p) => p.categoryId)].filter((id): id is string => id !== null);
  const had = new Set(named(current));
  return named(next).filter((id) => !had.has(id));
}

/** What a write's body says of categories (checkAgainstBudget's part of it). */
type CategoriesSent = { categoryId?: string | null; splits?: { categoryId: string | null }[] | null };

/** A create whose categories check failed though its body names none removed (a rule's category removed meanwhile). */
const createRaced = () => problems.conflict("The budget's categories changed while this was written; nothing was written, retry.");
