import { ProblemError, awsErrorToProblem, deferReads, newId, problems, type Clock, type ProblemBody } from '@budgeting/platform';
import type { BudgetAccess, BudgetsFacade } from '@budgeting/budgets';
import { putBackByDeadCall, removedCategoryIn, undoPatch, type BulkUndoEntry, type DeadClaimWindow, type KeptReason } from '../domain/bulk-undo';
import { CategoryRemovedError, checkAgainstBudget } from '../domain/expense-rules';
import type { Expense } from '../model';
import type { BulkUndoOutcome, BulkUndoRepository } from '../repository/bulk-undo.repository';
import type { ExpensesRepository } from '../repository/expenses.repository';
import type { ExpenseQueries } from '../repository/expense-queries.repository';
import { authorize, refuseArchived } from './access';
import { mapBounded } from './bounded';
import { BULK_WRITE_CONCURRENCY } from './bulk.service';
import type { ExpensesService } from './expenses.service';
import type { RestoreService } from './restore.service';

/**
 * How long an undo's claim keeps other calls from doing the work: past the API's 30 s, so a
 * live call is never overtaken; a call that died mid-way is taken over after it.
 */
export const BULK_UNDO_CLAIM_MS = 60_000;
/** A concurrent call waits this long (polling the record) for the working call's outcome, then answers 409. */
const WAIT_FOR_OUTCOME_MS = 10_000;
const POLL_MS = 250;

export interface BulkUndoServiceDeps {
  expenses: ExpensesService;
  restore: RestoreService;
  repository: Pick<ExpensesRepository, 'deleted'>;
  queries: Pick<ExpenseQueries, 'getMany'>;
  undos: BulkUndoRepository;
  budgets: BudgetsFacade;
  clock: Clock;
}

type EntryResult = { expenseId: string; undone: true } | { expenseId: string; kept: KeptReason } | { expenseId: string; problem: ProblemBody };

/**
 * Undo of a bulk edit, a category reassign call or a rule apply call (POST
 * .../expenses/bulk/{bulkId}/undo, with that answer's `undo.id`: one record kind for the three,
 * service/undo-record.ts): each expense the call wrote is
 * put back, but only if it is still at the version the bulk's write left it at, so a change
 * made since is never overwritten. A changed expense is written back by the PATCH's write (If-Match
 * on the recorded version: totals, change log, expense.updated, activity as any PATCH); a
 * deleted one is restored by the restore's write (when its restorable copy is the one the
 * delete left). Work bounded to the bulk's (at most 100 writes, BULK_WRITE_CONCURRENCY at a
 * time). The outcome is stored on the record under a claim, so a second call answers the same
 * and of concurrent calls one does the work.
 */
export class BulkUndoService {
  constructor(private readonly deps: BulkUndoServiceDeps) {}

  async undo(budgetId: string, userId: string, bulkId: string): Promise<BulkUndoOutcome & { id: string }> {
    const { undos, clock } = this.deps;
    // The record travels in the access check's BatchGetItem (platform deferReads).
    const read = deferReads(() => undos.get(budgetId, bulkId, clock.now()));
    read.catch(() => undefined); // observed: authorize() may refuse before anyone awaits it
    // Who may undo this one is checked before the archive (authorize's archiveAfterOwnRule).
    const access = await authorize(this.deps.budgets, budgetId, userId, 'write', { archiveAfterOwnRule: true });
    const record = await read;
    if (!record) throw notFound();
    if (record.createdBy !== userId && access.role !== 'owner') throw problems.forbidden('Only who made the change (the bulk edit, reassign or rule apply call), or the budget\'s owner, can undo it.');
    refuseArchived(access, budgetId);
    if (record.outcome) return { id: bulkId, ...record.outcome };

    const token = newId(clock.now().getTime());
    const at = clock.now().getTime();
    if (!(await undos.claim(budgetId, bulkId, token, at, at - BULK_UNDO_CLAIM_MS))) return { id: bulkId, ...(await this.outcomeOfOther(budgetId, bulkId)) };

    // A claim on the record as read was a call's that died part-way (ours was taken only because it
    // was stale): what it put back is told from its write (putBackByDeadCall), not reported as changed.
    const dead: DeadClaimWindow | undefined = record.claim ? { from: record.claim.at, to: record.claim.at + BULK_UNDO_CLAIM_MS } : undefined;
    // Every entry's expense in one BatchGetItem (at most 100 keys): a deleted one found here was restored since.
    const current = await this.deps.queries.getMany(budgetId, record.entries.map((e) => e.expenseId));
    const results = await mapBounded(record.entries, BULK_WRITE_CONCURRENCY, (entry) => this.one(access, userId, entry, current.get(entry.expenseId), dead));
    const outcome: BulkUndoOutcome = {
      undone: results.flatMap((r) => ('undone' in r ? [r.expenseId] : [])),
      kept: results.flatMap((r) => ('kept' in r ? [{ expenseId: r.expenseId, reason: r.kept }] : [])),
      failed: results.flatMap((r) => ('problem' in r ? [{ expenseId: r.expenseId, problem: r.problem }] : [])),
    };
    if (!(await undos.finish(budgetId, bulkId, token, outcome))) {
      // Taken over (this call outlived its claim): the stored outcome is the answer.
      const stored = await undos.get(budgetId, bulkId, clock.now());
      if (stored?.outcome) return { id: bulkId, ...stored.outcome };
    }
    return { id: bulkId, ...outcome };
  }

  /**
   * Another call holds the claim: its outcome once stored, else (still working after the wait) a
   * 409. The wait is measured on the wall clock, the reads' time included: counting only the
   * pauses (until 2026-12-08), slow reads of the record (a throttled table: the SDK's retries)
   * made 40 rounds of them, a second each took the answer past API Gateway's 29 s (a 504).
   */
  private async outcomeOfOther(budgetId: string, bulkId: string): Promise<BulkUndoOutcome> {
    const until = Date.now() + WAIT_FOR_OUTCOME_MS;
    for (;;) {
      const record = await this.deps.undos.get(budgetId, bulkId, this.deps.clock.now());
      if (!record) throw notFound();
      if (record.outcome) return record.outcome;
      if (Date.now() >= until) throw problems.conflict('This change is being undone by another request; call again in a few seconds for its result.');
      await new Promise((resolve) => setTimeout(resolve, Math.min(POLL_MS, until - Date.now())));
    }
  }

  private async one(access: BudgetAccess, userId: string, entry: BulkUndoEntry, current: Expense | undefined, dead: DeadClaimWindow | undefined): Promise<EntryResult> {
    const { expenseId } = entry;
    try {
      if (entry.before === 'deleted') return await this.restore(access.budgetId, userId, entry, current);
      // Written, but its before-image did not fit the record (domain/bulk-undo.ts boundedEntries).
      if (entry.before === 'not-recorded') return { expenseId, kept: 'not-restorable' };
      if (!current) return { expenseId, kept: 'gone' };
      if (current.version !== entry.version) return putBackByDeadCall(dead, entry, current) ? { expenseId, undone: true } : { expenseId, kept: 'changed' };
      const patch = undoPatch(entry.before);
      // A category removed from the budget since (the expense's or a part's) cannot be written
      // back (a PATCH would answer 400 naming it): the expense stays as it is, and the answer says why.
      if (removedCategoryIn(patch, new Set(access.categories.map((c) => c.id)))) return { expenseId, kept: 'category-removed' };
      // As PATCH: whatever else the budget refuses (nothing today: the patch carries no currency) is a 400 in `failed`.
      checkAgainstBudget(access, patch);
      await this.deps.expenses.updateAuthorized(access.budgetId, userId, expenseId, Promise.resolve(current), () => patch, new Set([entry.version]));
      return { expenseId, undone: true };
    } catch (err) {
      // Removed between the access read above and the write (its categories check): as had it been removed before.
      if (err instanceof CategoryRemovedError) return { expenseId, kept: 'category-removed' };
      const problem = err instanceof ProblemError ? err : awsErrorToProblem(err);
      if (!problem) throw err;
      // Changed or deleted between our read and our write: kept, as if seen at the read.
      if (problem.status === 412) return { expenseId, kept: 'changed' };
      if (problem.status === 404 && entry.before !== 'deleted') return { expenseId, kept: 'gone' };
      return { expenseId, problem: problem.toBody() };
    }
  }

  /** A deleted expense back through the restore's write, when its copy is the one the bulk's delete left. */
  private async restore(budgetId: string, userId: string, entry: BulkUndoEntry, current: Expense | undefined): Promise<EntryResult> {
    const { expenseId } = entry;
    // Restored (by hand) since: whatever it is now is someone's.
    if (current) return { expenseId, kept: 'changed' };
    const deleted = await this.deps.repository.deleted.get(budgetId, expenseId, this.deps.clock.now());
    if (!deleted) return { expenseId, kept: 'not-restorable' };
    // Restored, changed and deleted again: that later delete is not this bulk's to undo.
    if (deleted.expense.version !== entry.version) return { expenseId, kept: 'changed' };
    const { outcome } = await this.deps.restore.putBack(deleted, userId);
    if (outcome === 'restored') return { expenseId, undone: true };
    if (outcome === 'exists') return { expenseId, kept: 'changed' };
    if (outcome === 'gone') return { expenseId, kept: 'not-restorable' };
    return { expenseId, problem: problems.notFound('Budget not found.').toBody() };
  }
}

const notFound = () => problems.notFound('No such change to undo in this budget (unknown id, or made more than 24 hours ago).');
