import { addDays, ProblemError, problems, requestedDayRange, type Clock, PLATFORM_PROBLEMS } from '@budgeting/platform';
import type { BudgetsFacade } from '@budgeting/budgets';
import { todayIn } from '../domain/dates';
import { DUPLICATES_DEFAULT_DAYS, DUPLICATES_MAX_LISTED, DuplicateFinder, MAX_DISMISSED_PAIRS, pairsOf } from '../domain/duplicates';
import { SPENDING_MAX_DAYS, SPENDING_MAX_EXPENSES } from '../domain/spending-breakdown';
import type { Expense } from '../model';
import type { DuplicateDismissalsRepository } from '../repository/duplicate-dismissals.repository';
import type { ExpenseQueries } from '../repository/expense-queries.repository';
import { authorize } from './access';
import { guardedWrite } from './guarded-write';
import { tooManyInRange } from './spending-breakdown.service';

export interface DuplicatesDeps {
  repository: Pick<ExpenseQueries, 'rangeExpenses' | 'getMany'>;
  dismissals: DuplicateDismissalsRepository;
  budgets: BudgetsFacade;
  clock: Clock;
}

export interface DuplicatesAnswer {
  from: string;
  to: string;
  items: { expenses: Expense[] }[];
  /** Expenses of the range read. */
  scanned: number;
}

/**
 * Possible duplicates (domain/duplicates.ts). The list: any member; the access BatchGetItem,
 * then the spending breakdown's read of the range (ExpenseQueries.rangeExpenses: the same
 * date index walk, the same bound SPENDING_MAX_EXPENSES and the same 422 past it) alongside ONE
 * Query of the budget's dismissed pairs. The dismissal: owners and editors; the access check,
 * one BatchGetItem of the expenses named, the same Query of the dismissed pairs, and a
 * transaction per 98 new pairs (none when all were dismissed already: it is idempotent); one
 * that meets the cap first forgets the pairs of deleted expenses (withoutDeleted).
 */
export class DuplicatesService {
  private readonly maxExpenses: number;
  private readonly maxDismissed: number;
  private readonly maxListed: number;

  constructor(
    private readonly deps: DuplicatesDeps,
    /** Expenses examined at most (tests lower it; production passes nothing: SPENDING_MAX_EXPENSES, the breakdown's). */
    maxExpenses?: number,
    /** Dismissed pairs per budget at most, expenses listed at most (tests lower them; production passes nothing: MAX_DISMISSED_PAIRS, DUPLICATES_MAX_LISTED). */
    bounds: { maxDismissedPairs?: number; maxListed?: number } = {},
  ) {
    this.maxExpenses = maxExpenses ?? SPENDING_MAX_EXPENSES;
    this.maxDismissed = bounds.maxDismissedPairs ?? MAX_DISMISSED_PAIRS;
    this.maxListed = bounds.maxListed ?? DUPLICATES_MAX_LISTED;
  }

  async list(budgetId: string, userId: string, query: { from?: string; to?: string }): Promise<DuplicatesAnswer> {
    const access = await authorize(this.deps.budgets, budgetId, userId, 'read');
    const lastDays = () => {
      const today = todayIn(access.timezone, this.deps.clock.now());
      return { start: addDays(today, 1 - DUPLICATES_DEFAULT_DAYS), end: today };
    };
    const { from, to } = requestedDayRange(query, lastDays, SPENDING_MAX_DAYS);
    const finder = new DuplicateFinder<Expense>();
    const [read, dismissed] = await Promise.all([
      this.deps.repository.rangeExpenses(budgetId, from, to, this.maxExpenses, (expenses) => {
        for (const expense of expenses) finder.add(expense);
      }),
      this.deps.dismissals.pairs(budgetId),
    ]);
    if (read.tooMany) throw tooManyInRange(this.maxExpenses);
    const groups = finder.groups(dismissed);
    if (groups.reduce((n, g) => n + g.length, 0) > this.maxListed) {
      const message = `More than ${this.maxListed.toLocaleString('en-US')} expenses of this range are possible duplicates; ask for a shorter one`;
      throw new ProblemError(PLATFORM_PROBLEMS['unprocessable'], 'Too many possible duplicates in the range for one answer; narrow the range.', {
        errors: [{ path: 'query.from', message }],
      });
    }
    return { from, to, items: groups.map((expenses) => ({ expenses })), scanned: read.examined };
  }

  /**
   * "These are not duplicates": every pair of `expenseIds` (distinct, 2..20, checked by the
   * schema) stored as dismissed. Ids that are not expenses of the budget: 400 naming
   * `expenseIds`. Past the cap on dismissed pairs: 422 naming `expenseIds`.
   *
   * Not all-or-nothing past 98 new pairs (15 ids or more make 105 or more; 20 make 190): a
   * transaction holds at most 100 items, so the pairs go in transactions of 98, in pairsOf's
   * order. One that fails (the archive's 409, a fault) leaves the transactions before it stored
   * and none after; as each pair is one item that only says "dismissed", a partial dismissal is
   * a smaller one (the list just shows fewer links) and the same request again completes it:
   * it skips the pairs stored and writes the rest. Kept so rather than one item per dismissal
   * (all-or-nothing, but a list would read pairs out of several items and the cap count them).
   */
  async dismiss(budgetId: string, userId: string, expenseIds: readonly string[]): Promise<void> {
    await authorize(this.deps.budgets, budgetId, userId, 'write');
    const [expenses, dismissed] = await Promise.all([this.deps.repository.getMany(budgetId, [...expenseIds]), this.deps.dismissals.pairs(budgetId)]);
    const unknown = expenseIds.filter((id) => !expenses.has(id));
    if (unknown.length > 0) {
      throw problems.validation([{ path: 'expenseIds', message: `Not expenses of this budget: ${unknown.join(', ')}` }]);
    }
    const fresh = pairsOf(expenseIds).filter((pair) => !dismissed.has(pair));
    if (fresh.length === 0) return;
    const kept = dismissed.size + fresh.length > this.maxDismissed ? await this.withoutDeleted(budgetId, dismissed) : dismissed;
    if (kept.size + fresh.length > this.maxDismissed) {
      const message = `A budget keeps at most ${this.maxDismissed.toLocaleString('en-US')} dismissed pairs; ${kept.size.toLocaleString('en-US')} are kept and these ids add ${fresh.length}`;
      throw new ProblemError(PLATFORM_PROBLEMS['unprocessable'], 'Too many dismissed pairs of possible duplicates in this budget.', {
        errors: [{ path: 'expenseIds', message }],
      });
    }
    // The guard (guarded-write.ts): an archive committed since the access read fails the write (409).
    await guardedWrite(
      this.deps.budgets,
      budgetId,
      userId,
      'write',
      (guard) => this.deps.dismissals.dismiss(budgetId, fresh, userId, this.deps.clock.now().toISOString(), guard),
      // Past 98 new pairs an earlier transaction may have been stored: not "nothing was written".
      'The budget was archived or your access changed while the pairs were written; some may be stored already. Send the same request again to complete it.',
    );
  }

  /**
   * Only at the cap: the dismissed pairs whose two expenses both still exist, the others
   * forgotten (deleted from the table). A deleted expense's pairs are not removed when it is
   * deleted (its key is only one half of theirs), so without this they would fill the cap for
   * ever. Cost, paid only by a dismissal that meets the cap: a strongly consistent BatchGetItem
   * per 100 ids named by the pairs (at most 40 at the cap of 2,000 pairs) and a BatchWriteItem
   * per 25 forgotten pairs. An expense restored after this shows again in its pairs, once.
   */
  private async withoutDeleted(budgetId: string, dismissed: ReadonlySet<string>): Promise<Set<string>> {
    const ids = [...new Set([...dismissed].flatMap((pair) => pair.split('#')))];
    const existing = await this.deps.repository.getMany(budgetId, ids);
    const gone = [...dismissed].filter((pair) => pair.split('#').some((id) => !existing.has(id)));
    if (gone.length > 0) await this.deps.dismissals.forget(budgetId, gone);
    const forgotten = new Set(gone);
    return new Set([...dismissed].filter((pair) => !forgotten.has(pair)));
  }
}
