import { changesNothing, newId, problems } from '@budgeting/platform';
import { IdOfDeletedError } from '../domain/resend-tombstone';
import type { Expense } from '../model';
import type { ExpensesRepository } from '../repository/expenses.repository';
import { failedExtras, refuseNonMembers, sharingChecks, type SharedWithChecks } from './shared-with-checks';
import type { CreateExpenseInput } from '../schemas/expenses.schemas';
import { authorize } from './access';
import { writeCheckValue } from '../domain/new-expense';
import { ExpenseDraft, type ExpenseDraftDeps, type RuleSource } from './expense-draft';
import { keyUsedAt, replayOnRefusal, type KeyAlreadyUsed, type KeyedCreate } from './expense-create-key';
import { refuseCategories, refuseWriter, writerCheck } from './write-checks';

/** What the create path reads and writes with (ExpensesService's deps, less its list's). */
export interface ExpenseCreationDeps extends ExpenseDraftDeps {
  repository: ExpensesRepository;
}

/**
 * The create path of POST /expenses and of an offline push's create (ExpensesService.create and
 * createWithId delegate here): the read-first create, the one-round-trip checked create, and an
 * Idempotency-Key's record on the expense's item or as an item of its own. It writes the new
 * expense ExpenseDraft builds (expense-draft.ts) and answers each write's outcome; a used key's
 * record is found by expense-create-key.ts.
 */
export class ExpenseCreation {
  /** The new expense and its event (expense-draft.ts): what the writes below write. */
  private readonly draft: ExpenseDraft;

  constructor(private readonly deps: ExpenseCreationDeps) {
    this.draft = new ExpenseDraft(deps);
  }

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
      // A refusal before the key was found used may be a retry's: replayOnRefusal (expense-create-key.ts).
      const used = key && (await replayOnRefusal(this.deps, budgetId, userId, key, err));
      if (used) return used;
      throw err;
    }
  }

  private async createKeyed(budgetId: string, userId: string, input: CreateExpenseInput, key?: KeyedCreate): Promise<Expense | KeyAlreadyUsed> {
    const rules = this.draft.rulesFor(budgetId, input);
    if (key?.expenseId === undefined && key) return this.createWithRecordItem(budgetId, userId, input, key, key.holderId, rules);
    const id = key?.expenseId ?? newId(this.deps.clock.now().getTime());
    if (input.occurredOn !== undefined) {
      const checked = await this.createChecked(budgetId, userId, input, input.occurredOn, id, key, rules);
      if (checked !== undefined) return checked;
    }
    const made = await this.draft.newExpense(budgetId, userId, input, id, rules);
    const { expense } = made;
    const shared = this.sharedChecks(budgetId, userId, input);
    // The writer's membership check rides the write (a removal or demotion, or the budget's
    // deletion, since the access read fails it: it makes the closed-budget check redundant).
    // Last, so the positions above stay: its categories, checked on the access read, still the budget's.
    const fits = this.fitsCheck(budgetId, expense);
    const outcome = await this.deps.repository.create(expense, await this.draft.recorded(made), [writerCheck(this.deps.budgets, budgetId, userId), ...shared.checks, ...fits], {
      keyRecord: key?.recordOnItem(expense),
      membershipChecked: true,
    });
    if (outcome === 'created') return expense;
    if (failedExtras(outcome).includes(0)) await refuseWriter(this.deps.budgets, budgetId, userId);
    refuseNonMembers(failedExtras(outcome), 1, shared);
    if (fits.length > 0 && failedExtras(outcome).includes(1 + shared.checks.length)) await refuseCategories(this.deps.budgets, budgetId, userId, input, createRaced);
    // The id is the key's, used before: replayed once the caller is authorized again, as the
    // checked create's replay (a removal committed after newExpense's read, and before this
    // write, fails the writer's check too, but 'exists' is all the outcome says; README "HTTP
    // conventions": a replay only to a caller who may still make the request).
    if (key && outcome === 'exists') return this.keyIdTaken(budgetId, userId, input, key);
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
    const made = await this.draft.newExpense(budgetId, userId, input, id, this.draft.rulesFor(budgetId, input, sharedRules));
    const { expense } = made;
    const shared = this.sharedChecks(budgetId, userId, input);
    // After the shared-with checks, so their positions (refuseNonMembers) stay as they were.
    const notDeleted = clientId ? [this.deps.repository.deleted.absentCheck(budgetId, id, this.deps.clock.now())] : [];
    // Last, so the positions above stay as they were: the writer's membership (a removal or demotion since the access read).
    const writerAt = shared.checks.length + notDeleted.length;
    // After it: its categories, checked on the access read, still the budget's.
    const fits = this.fitsCheck(budgetId, expense);
    const outcome = await this.deps.repository.create(expense, await this.draft.recorded(made), [...shared.checks, ...notDeleted, writerCheck(this.deps.budgets, budgetId, userId), ...fits]);
    if (outcome === 'created') return expense;
    if (outcome === 'budget-closed') throw problems.notFound('Budget not found.');
    // Removed or made a viewer since the access read: nothing written, their precise answer.
    if (failedExtras(outcome).includes(writerAt)) await refuseWriter(this.deps.budgets, budgetId, userId);
    if (fits.length > 0 && failedExtras(outcome).includes(writerAt + 1)) await refuseCategories(this.deps.budgets, budgetId, userId, input, createRaced);
    // The copy's check failed: deleted within the last 30 days, whoever else's check failed too.
    if (clientId && failedExtras(outcome).includes(shared.checks.length)) throw new IdOfDeletedError('This id belongs to an expense deleted since.');
    refuseNonMembers(failedExtras(outcome), 0, shared);
    const existing = await this.deps.repository.get(budgetId, id);
    if (!existing) throw new IdOfDeletedError('This id belongs to an expense deleted since.');
    if (existing.createdBy !== userId) throw problems.conflict('This id belongs to another expense.');
    // A resend of the client's own create, but with other values: the phone changed the expense
    // in its queue after a first send whose answer it lost. Answered as the same create, the stored
    // copy would replace the user's edit on the phone: a conflict shows it instead (as a key
    // reused with another body is a 422). Only while the expense is as its create left it
    // (version 1: a later change makes it differ from any body) and for the client's own ids (a
    // key's derived id is resent with the same body, the key's fingerprint says so).
    if (clientId && existing.version === 1 && !sameCreate(existing, expense, input.occurredOn !== undefined)) {
      throw problems.conflict('This id holds the expense you created with other values; it is shown as stored: send your change as an update of it.');
    }
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
    const made = await this.draft.checkedExpense(budgetId, userId, input, occurredOn, id, rules);
    const { expense } = made;
    const checks = this.deps.budgets.writeChecks(budgetId, userId, writeCheckValue(made.input));
    const shared = this.sharedChecks(budgetId, userId, input);
    // `checks` starts with the membership's: it makes the closed-budget check redundant (see create).
    const outcome = await this.deps.repository.create(expense, await this.draft.recorded(made), [...checks, ...shared.checks], {
      membershipChecked: true,
      keyRecord: key?.recordOnItem(expense),
    });
    if (outcome === 'created') return expense;
    // Only a named user's membership failed: the writer's own checks held, so the 400 is theirs.
    refuseNonMembers(failedExtras(outcome), checks.length, shared);
    if (key && outcome === 'exists') return this.keyIdTaken(budgetId, userId, input, key);
    return undefined;
  }

  /**
   * A keyed create found its key's expense id taken: the key's live record there is replayed
   * once the caller is authorized again (an archived budget does not refuse a replay, nor a
   * category removed since: root README "HTTP conventions"); without one (the key reused after
   * its record expired) the create goes on with a fresh id and the key's own record item.
   */
  private async keyIdTaken(budgetId: string, userId: string, input: CreateExpenseInput, key: KeyedCreate): Promise<Expense | KeyAlreadyUsed> {
    const used = await keyUsedAt(this.deps.repository, budgetId, key);
    if (!used) return this.createWithRecordItem(budgetId, userId, input, key, undefined);
    await authorize(this.deps.budgets, budgetId, userId, 'write', { replay: true });
    return used;
  }

  /**
   * The key's holder (`holder`: a tombstone under the id the key names) failed its condition: the
   * id is taken. By this key's live record (an attempt that committed, whichever side of the
   * window its key time was on): replayed, once the caller is authorized again when `authorized`
   * says the write's own check did not; otherwise (the id's expense or tombstone outlived its
   * record: the key reused after 24 h) the create goes on with the key's own record item.
   */
  private async holderTaken(budgetId: string, userId: string, input: CreateExpenseInput, key: KeyedCreate, authorized: boolean, rules?: RuleSource): Promise<Expense | KeyAlreadyUsed> {
    const used = await keyUsedAt(this.deps.repository, budgetId, key);
    if (!used) return this.createWithRecordItem(budgetId, userId, input, key, undefined, rules);
    if (!authorized) await authorize(this.deps.budgets, budgetId, userId, 'write', { replay: true });
    return used;
  }

  /**
   * A create under a fresh id whose key's record is an item of its own, joining the expense's
   * transaction (as before records moved onto expenses; the write has one item more):
   * - a key that names no id (no creation time in it: see platform idFromKey);
   * - a key whose time lies outside idFromKey's window (a phone's clock an hour or more off, a
   *   key made long before its first request): the item is a tombstone under the id the key
   *   names (`holder`, platform keyHolderId), put only if nothing is there, not a record item:
   *   the window moves with the server's clock, so a retry of this request may find the key's
   *   time inside it and take the create under that id; it meets the tombstone and replays
   *   (and a key first used inside the window and retried once outside meets its expense
   *   there the same way). Until 2026-12-07 the record was an item of its own that such a
   *   retry never read: it recorded the spending a second time;
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
    holder: string | undefined,
    rules?: RuleSource,
  ): Promise<Expense | KeyAlreadyUsed> {
    const id = newId(this.deps.clock.now().getTime());
    const shared = this.sharedChecks(budgetId, userId, input);
    // A key that names a time outside the window keeps its record on a tombstone under the id
    // it names (`holder`), where a retry looks once its time is inside (or was, on the first
    // request: keyUsedAt), rather than in an item of its own that such a retry never reads.
    const keyItem = (expense: Expense) => (holder !== undefined ? this.deps.repository.keyHolderPut(budgetId, holder, key.recordOnItem(expense)) : key.recordItem(expense));
    if (input.occurredOn !== undefined) {
      const made = await this.draft.checkedExpense(budgetId, userId, input, input.occurredOn, id, rules);
      const { expense } = made;
      const checks = [keyItem(expense), ...this.deps.budgets.writeChecks(budgetId, userId, writeCheckValue(made.input))];
      const outcome = await this.deps.repository.create(expense, await this.draft.recorded(made), [...checks, ...shared.checks], { membershipChecked: true });
      if (outcome === 'created') return expense;
      if (typeof outcome === 'object' && outcome.extraFailed === 0) {
        if (holder !== undefined) return this.holderTaken(budgetId, userId, input, key, false, rules);
        await authorize(this.deps.budgets, budgetId, userId, 'write', { replay: true });
        return { replay: 'key-record' };
      }
      refuseNonMembers(failedExtras(outcome), checks.length, shared);
    }
    const made = await this.draft.newExpense(budgetId, userId, input, id, rules);
    const { expense } = made;
    const fits = this.fitsCheck(budgetId, expense);
    const outcome = await this.deps.repository.create(expense, await this.draft.recorded(made), [keyItem(expense), writerCheck(this.deps.budgets, budgetId, userId), ...shared.checks, ...fits], {
      membershipChecked: true,
    });
    if (outcome === 'created') return expense;
    // The record's own failure (its key used) is the replay below, whatever else failed with it.
    if (failedExtras(outcome).includes(1) && !failedExtras(outcome).includes(0)) await refuseWriter(this.deps.budgets, budgetId, userId);
    refuseNonMembers(failedExtras(outcome), 2, shared);
    if (fits.length > 0 && !failedExtras(outcome).includes(0) && failedExtras(outcome).includes(2 + shared.checks.length)) await refuseCategories(this.deps.budgets, budgetId, userId, input, createRaced);
    if (outcome !== 'exists') {
      // The key used while the writer's check failed too (removed, made a viewer or archived since
      // newExpense's read): replayed only if authorized again (an archive does not refuse a replay).
      if (holder !== undefined) return this.holderTaken(budgetId, userId, input, key, !failedExtras(outcome).includes(1), rules);
      if (failedExtras(outcome).includes(1)) await authorize(this.deps.budgets, budgetId, userId, 'write', { replay: true });
      return { replay: 'key-record' };
    }
    throw problems.conflict('The new expense collided with an existing one; retry.');
  }

  /** The membership checks of a create's `sharedWith` or `sharedAmounts` (none without either: the transaction is as before). */
  private sharedChecks(budgetId: string, userId: string, input: CreateExpenseInput): SharedWithChecks {
    return sharingChecks(this.deps.budgets, budgetId, [userId], input);
  }

  /** The categories check of a new expense written after an access read (none when it names none). */
  private fitsCheck(budgetId: string, expense: Pick<Expense, 'categoryId' | 'splits'>) {
    return this.deps.budgets.categoriesCheck(budgetId, [expense.categoryId, ...(expense.splits ?? []).map((p) => p.categoryId)]);
  }
}

/** A create whose categories check failed though its body names none removed (a rule's category removed meanwhile). */
const createRaced = () => problems.conflict("The budget's categories changed while this was written; nothing was written, retry.");

/**
 * Whether `made` (a resent create's body, built as its first send was: the rules applied) records
 * what `found` holds: every field the body decides, the day too when the body names one (without,
 * the server's today, which moves between sends). Its id, creator, version and stamps aside.
 */
function sameCreate(found: Expense, made: Expense, daySent: boolean): boolean {
  const content = ({ id: _id, createdBy: _by, version: _v, createdAt: _c, updatedAt: _u, occurredOn, ...rest }: Expense) => (daySent ? { ...rest, occurredOn } : rest);
  return changesNothing(content(found), content(made), []);
}
