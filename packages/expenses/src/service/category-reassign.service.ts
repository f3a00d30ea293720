import { ProblemError, problems, type CursorCodec, type FieldError } from '@budgeting/platform';
import type { BudgetsFacade } from '@budgeting/budgets';
import { reassignPatch } from '../domain/category-reassign';
import type { Expense } from '../model';
import type { ExpenseQueries } from '../repository/expense-queries.repository';
import { REASSIGN_MAX_EXAMINED, REASSIGN_MAX_WRITES, type ReassignCategoryInput } from '../schemas/category-reassign.schemas';
import { authorize } from './access';
import { resumeAt } from './resume-at';
import { mapBounded } from './bounded';
import { BULK_WRITE_CONCURRENCY, writeFailure, type ExpenseWriteFailure } from './bulk.service';
import type { ExpensesService } from './expenses.service';
import { patchUndoEntry, type BulkUndoEntry } from '../domain/bulk-undo';
import { recordUndo, type UndoHandle, type UndoRecordDeps } from './undo-record';

export interface CategoryReassignServiceDeps {
  /** The category's expenses, newest first (the list by category's read); those written, in one BatchGetItem. */
  repository: Pick<ExpenseQueries, 'page' | 'getMany'>;
  /** The write of one expense: the PATCH's (as the bulk edit's and the rule apply's). */
  writer: Pick<ExpensesService, 'updateAuthorized'>;
  budgets: BudgetsFacade;
  cursors: CursorCodec;
  /** Where each call that moved anything leaves its undo record (the bulk edit's kind: BulkUndoService undoes it). */
  undo: UndoRecordDeps;
}

/** A reassign's answer (CategoryReassignmentSchema). */
export interface CategoryReassignment {
  from: string;
  to: string;
  moved: { id: string; version: number }[];
  /** The expenses whose write failed: not moved (ExpenseWriteFailure). */
  failed: ExpenseWriteFailure[];
  more: boolean;
  cursor: string | null;
  /** This call's undo (POST .../expenses/bulk/{id}/undo), null when it moved nothing; a call following `cursor` gets its own. */
  undo: UndoHandle;
}

type MoveOutcome = { kind: 'moved'; move: { id: string; version: number }; written: BulkUndoEntry } | { kind: 'failed'; failure: ExpenseWriteFailure };

const CURSOR_FIELD: FieldError = { path: 'cursor', message: 'Invalid cursor: send the `cursor` of a previous answer for the same category' };

/**
 * POST .../categories/{categoryId}/reassign (YNAB's "delete category: reassign its
 * transactions to", Firefly III's bulk category change): every expense of a category, across
 * all dates, moved to another category, bounded per call.
 *
 * Who: owners and editors, as the bulk edit (moving expenses between categories is what an
 * editor does one PATCH or one bulk edit at a time; the category list itself is not changed).
 * Viewer 403, stranger 404. `to` must be one of the budget's categories now (the access
 * check's: no extra read) and not `categoryId` itself (400s naming `to`). `categoryId` need not
 * be one of them: expenses keep a removed category's id and its index partition, and emptying
 * it is the main use after removing a category. An id with no expenses (never a category, or
 * emptied) answers nothing moved: removed categories are kept nowhere, so it cannot be told
 * from one the budget never had.
 *
 * Read: the list by category's (ExpenseQueries.page with `categoryId`): the category's gsi2
 * partition merged with the budget's split partition (filtered on the parts' categories),
 * newest first, never the date index, at most REASSIGN_MAX_WRITES expenses and
 * REASSIGN_MAX_EXAMINED index entries per call. Those found are read again in one
 * BatchGetItem (strongly consistent, as the rule apply's) and each written by
 * ExpensesService.updateAuthorized, the PATCH's own write (version, totals, change log,
 * expense.updated and what it drives: alerts, activity), the patch computed on the expense as
 * it is when written (domain/category-reassign.ts): one moved or deleted meanwhile is left
 * out. A moved expense leaves the category's partition (a split one no longer matches the
 * filter), so calling again continues with the rest, with or without the answer's `cursor`
 * (which only skips the split expenses of other categories read before). A call with nothing
 * left writes nothing. A write that fails as its PATCH would answer (409 changed by others too
 * often, 503 throttled: bulk.service.ts itemProblem) is that expense's alone, as in the bulk
 * edit and the rule apply: listed in `failed`, not moved, the others still written. When the
 * failure may clear (retryable: 409 changed by others too often, 503 throttled), `more` is
 * true and the answer's `cursor` resumes right before it (resumeAt), so the next call, with or
 * without `cursor`, retries it. When it cannot (the PATCH refuses this change: 400/422 about
 * the expense as stored), it is listed with `retryable: false` and a `reason`, and neither
 * `more` nor the cursor waits for it: following `cursor` goes on past it (a call from the
 * newest meets it again and lists it again).
 */
export class CategoryReassignService {
  private readonly maxWrites: number;
  private readonly maxExamined: number;

  constructor(
    private readonly deps: CategoryReassignServiceDeps,
    /** Bounds per call (tests lower them; production passes nothing: REASSIGN_MAX_WRITES, REASSIGN_MAX_EXAMINED). */
    bounds: { maxWrites?: number; maxExamined?: number } = {},
  ) {
    this.maxWrites = bounds.maxWrites ?? REASSIGN_MAX_WRITES;
    this.maxExamined = bounds.maxExamined ?? REASSIGN_MAX_EXAMINED;
  }

  async reassign(budgetId: string, userId: string, from: string, input: ReassignCategoryInput): Promise<CategoryReassignment> {
    const access = await authorize(this.deps.budgets, budgetId, userId, 'write');
    const { to } = input;
    if (to === from) throw problems.validation([{ path: 'to', message: 'Must be another category than the one whose expenses move' }]);
    if (!access.categories.some((c) => c.id === to)) throw problems.validation([{ path: 'to', message: 'Not a category of this budget' }]);
    const binding = JSON.stringify(['category-reassign', budgetId, from]);
    const startKey = this.deps.cursors.decode(input.cursor, binding, CURSOR_FIELD);
    const page = await this.deps.repository.page({ budgetId, categoryId: from, limit: this.maxWrites, startKey, maxExamined: this.maxExamined });
    const ids = page.items.map((e) => e.id);
    const found = ids.length > 0 ? await this.deps.repository.getMany(budgetId, ids) : new Map<string, Expense>();
    const outcomes = await mapBounded(ids, BULK_WRITE_CONCURRENCY, (id) => this.moveOne(budgetId, userId, id, found.get(id), from, to));
    const moved = outcomes.flatMap((o) => (o?.kind === 'moved' ? [o.move] : []));
    const failed = outcomes.flatMap((o) => (o?.kind === 'failed' ? [o.failure] : []));
    const more = page.lastKey !== undefined || failed.some((f) => f.retryable);
    const entries = outcomes.flatMap((o) => (o?.kind === 'moved' ? [o.written] : []));
    const undo = await recordUndo(this.deps.undo, 'category reassign', budgetId, userId, entries);
    return { from, to, moved, failed, more, cursor: this.deps.cursors.encode(resumeAt(page, startKey, outcomes), binding), undo };
  }

  /** One expense through the PATCH's write; undefined when it no longer has anything in `from` (or is gone). */
  private async moveOne(budgetId: string, userId: string, id: string, current: Expense | undefined, from: string, to: string): Promise<MoveOutcome | undefined> {
    // The expense as the write that committed found it, and its patch (the undo's before-image).
    let written: { found: Expense; patch: NonNullable<ReturnType<typeof reassignPatch>> } | undefined;
    try {
      const after = await this.deps.writer.updateAuthorized(budgetId, userId, id, Promise.resolve(current), (expense) => {
        // Recomputed on every attempt: the expense as it is when written.
        const patch = reassignPatch(expense, from, to);
        written = patch === undefined ? undefined : { found: expense, patch };
        return patch;
      });
      const w = written as typeof written;
      return w ? { kind: 'moved', move: { id, version: after.version }, written: patchUndoEntry(w.patch, w.found, after.version) } : undefined;
    } catch (err) {
      // Deleted meanwhile: nothing to move.
      if (err instanceof ProblemError && err.status === 404) return undefined;
      // What its PATCH would answer with a problem is this expense's alone; anything else (a bug) fails the request.
      return { kind: 'failed', failure: writeFailure(id, err) };
    }
  }
}
