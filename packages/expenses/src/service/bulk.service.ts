import { ProblemError, awsErrorToProblem, problems, type Clock, type Logger, type ProblemBody } from '@budgeting/platform';
import type { BudgetsFacade } from '@budgeting/budgets';
import { bulkPatch, categoryRemovedConflict } from '../domain/bulk-edit';
import { undoEntry, type BulkUndoEntry } from '../domain/bulk-undo';
import { CategoryRemovedError, checkAgainstBudget } from '../domain/expense-rules';
import { isBudgetArchived, isRetryableWriteStatus } from '../domain/write-retry';
import type { Expense } from '../model';
import type { BulkUndoRepository } from '../repository/bulk-undo.repository';
import type { ExpenseQueries } from '../repository/expense-queries.repository';
import { BULK_ITEM_STATUSES, type BulkAction, type BulkInput } from '../schemas/bulk.schemas';
import { authorize } from './access';
import { mapBounded } from './bounded';
import type { ExpensesService } from './expenses.service';
import { recordUndo, type UndoHandle } from './undo-record';

/**
 * How many expenses of one bulk edit are written at once. Each is one TransactWriteItems (tens
 * of milliseconds in AWS; a few more when it loses a race and re-reads), so 100 expenses take
 * about 13 rounds: well under a second of the API's 30 s, without firing 100 transactions at
 * one budget's change shards and totals items together (they would only retry each other).
 * Not measured: a bound, not a tuning.
 */
export const BULK_WRITE_CONCURRENCY = 8;

/** The statuses an item's problem can have (what its own PATCH or DELETE can answer once authorized). */
type ProblemStatus = Exclude<(typeof BULK_ITEM_STATUSES)[number], 200 | 204>;

export type BulkItemResult =
  | { expenseId: string; status: 200; expense: Expense }
  | { expenseId: string; status: 204 }
  | { expenseId: string; status: ProblemStatus; problem: ProblemBody };

/** An item's result with what its write changed (its undo entry), when it wrote. */
type WrittenResult = BulkItemResult & { written?: BulkUndoEntry };

export interface BulkServiceDeps {
  expenses: ExpensesService;
  queries: ExpenseQueries;
  budgets: BudgetsFacade;
  /** Where each bulk call that wrote anything leaves its undo record (BulkUndoService undoes it). */
  undos: BulkUndoRepository;
  clock: Clock;
  logger?: Logger;
}

/**
 * Bulk edit (a phone's multi-select: "move these 12 to Groceries", "add #trip", "delete
 * these"): one action applied to up to 100 expenses of a budget, each through the same write
 * as its own PATCH or DELETE (ExpensesService.updateAuthorized / removeAuthorized): its own
 * transaction with its own totals update, change-log entry and event, conditioned on its
 * version. So each expense's totals, sync entry, event and version are exactly those of a
 * single write; the batch as a whole is not atomic (as offline push).
 *
 * The caller's access is checked ONCE, for the request (owners and editors; viewer 403,
 * stranger 404), as is what the action names (the category is the budget's: 400 naming
 * `action.categoryId`); the expenses are read in one BatchGetItem alongside it. Then each
 * expense is answered on its own, in the order sent: 200 with the expense after the change
 * (or as it was, when it already was as asked: nothing written), 204 deleted, 404 not an
 * expense of this budget, 409 what this expense cannot take (a split expense recategorized,
 * more than 10 tags) or lost too many races, 503 throttled, 400 or 422 what its PATCH refuses
 * for what the expense holds (a legacy or damaged item). Retries: the route takes an
 * Idempotency-Key (a replay answers the stored answer and writes nothing). Undo: a call that
 * wrote anything leaves a record of what it changed (`undo` in the answer; BulkUndoService).
 */
export class BulkService {
  constructor(private readonly deps: BulkServiceDeps) {}

  async edit(budgetId: string, userId: string, input: BulkInput) {
    const { action, expenseIds } = input;
    // Read together with the access check (used only once it let the caller in).
    const [access, found] = await Promise.all([
      authorize(this.deps.budgets, budgetId, userId, 'write'),
      this.deps.queries.getMany(budgetId, expenseIds),
    ]);
    if (action.type === 'recategorize') checkAgainstBudget(access, { categoryId: action.categoryId }, 'action.categoryId');
    const written = await mapBounded(expenseIds, BULK_WRITE_CONCURRENCY, (id) => this.one(budgetId, userId, id, found.get(id), action));
    const succeeded = written.filter((r) => r.status < 300).length;
    const entries = written.flatMap((r) => (r.written ? [r.written] : []));
    const results = written.map(({ written: _written, ...r }) => r as BulkItemResult);
    return { results, succeeded, failed: results.length - succeeded, undo: await this.undoRecord(budgetId, userId, entries) };
  }

  /** The undo of this call (BulkUndoService): one write when anything was written (recordUndo). */
  private async undoRecord(budgetId: string, userId: string, entries: BulkUndoEntry[]): Promise<UndoHandle> {
    return recordUndo(this.deps, 'bulk edit', budgetId, userId, entries);
  }

  private async one(budgetId: string, userId: string, expenseId: string, current: Expense | undefined, action: BulkAction): Promise<WrittenResult> {
    try {
      // Not in this budget (never was, deleted, another budget's id): as its PATCH would answer.
      if (!current) throw problems.notFound('Expense not found.');
      const read = Promise.resolve(current);
      if (action.type === 'delete') {
        const deleted = await this.deps.expenses.removeAuthorized(budgetId, userId, expenseId, read);
        return { expenseId, status: 204, written: undoEntry(action, deleted, deleted.version) };
      }
      // The expense as the write that committed found it (a lost race re-reads and asks again),
      // or undefined when it already was as asked (nothing written, nothing to undo).
      let found: Expense | undefined;
      const expense = await this.deps.expenses.updateAuthorized(budgetId, userId, expenseId, read, (now) => {
        const patch = bulkPatch(action, now);
        found = patch === undefined ? undefined : now;
        return patch;
      });
      return { expenseId, status: 200, expense, ...(found ? { written: undoEntry(action, found, expense.version) } : {}) };
    } catch (err) {
      // The category removed after the access check above (the write's categories check): the
      // request was valid when checked, this expense cannot take it now, as a split expense.
      if (err instanceof CategoryRemovedError && action.type === 'recategorize') return { expenseId, status: 409, problem: categoryRemovedConflict().toBody() };
      return { expenseId, ...itemProblem(err) };
    }
  }
}

/**
 * What one expense's PATCH/DELETE would answer with a problem (404 gone, 409 not applicable or
 * lost too many races, 503 throttled, 400 or 422 refused for what the expense holds), as the
 * result of that expense alone in a write of many
 * (the bulk edit, a rule's apply). Anything else (a bug, not an answer about this expense) is
 * thrown again: it fails the request, as it would the PATCH.
 */
/**
 * An expense a write over many could not write (ExpenseWriteFailureSchema): the rule apply's and
 * the reassign's `failed`. `retryable` (domain/write-retry.ts): calling again may write it, so
 * the answer's `more` waits for it. Not retryable: its PATCH refuses the change itself (400,
 * 422), so calling again meets the same refusal; `reason` says so and nothing waits for it, or
 * a client calling until `more` is false would call forever.
 */
export type ExpenseWriteFailure = { id: string; problem: ProblemBody } & ({ retryable: true } | { retryable: false; reason: string });

/** `err` as that expense's failure when its PATCH would answer it with a problem; anything else (a bug) is rethrown: it fails the request. */
export function writeFailure(id: string, err: unknown): ExpenseWriteFailure {
  const problem = err instanceof ProblemError ? err : awsErrorToProblem(err);
  if (!problem) throw err;
  // A 409 that does not clear by itself: the budget was archived after this call's access check
  // (its change counter says so). Every later call is refused at its access check anyway.
  if (isBudgetArchived(problem)) {
    return { id, problem: problem.toBody(), retryable: false, reason: 'budget-archived: the budget was archived meanwhile; unarchive it, then call again.' };
  }
  if (isRetryableWriteStatus(problem.status)) return { id, problem: problem.toBody(), retryable: true };
  const reason = `Its PATCH refuses this change (${problem.status}: see problem); sent again it meets the same refusal, so it is passed over. Change the expense itself, then call again.`;
  return { id, problem: problem.toBody(), retryable: false, reason };
}

export function itemProblem(err: unknown): { status: ProblemStatus; problem: ProblemBody } {
  const problem = err instanceof ProblemError ? err : awsErrorToProblem(err);
  if (!problem || !isProblemStatus(problem.status)) throw err;
  return { status: problem.status, problem: problem.toBody() };
}

const isProblemStatus = (status: number): status is ProblemStatus => status >= 400 && (BULK_ITEM_STATUSES as readonly number[]).includes(status);
