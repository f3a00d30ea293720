import { ProblemError, requestedDayRange, problems, type Clock, PLATFORM_PROBLEMS } from '@budgeting/platform';
import { periodContaining, type BudgetsFacade } from '@budgeting/budgets';
import { todayIn } from '../domain/dates';
import { SPENDING_MAX_DAYS, SPENDING_MAX_EXPENSES, SpendingBreakdown, type SpendingBreakdownResult, type SpendingGrouping } from '../domain/spending-breakdown';
import type { SpendingReads } from '../repository/spending-reads.repository';
import { authorize } from './access';

export interface SpendingBreakdownDeps {
  repository: Pick<SpendingReads, 'spendingRows'>;
  budgets: BudgetsFacade;
  clock: Clock;
}

export interface SpendingBreakdownQuery {
  by: SpendingGrouping;
  from?: string;
  to?: string;
  limit: number;
}

export type SpendingBreakdownAnswer = { by: SpendingGrouping; from: string; to: string; currency: string } & SpendingBreakdownResult;

/**
 * GET /v1/budgets/{budgetId}/spending: any member's breakdown of a range's spending by merchant,
 * tag, member, category or category group (domain/spending-breakdown.ts). Reads: the access BatchGetItem, then the range's
 * expenses through the date index, a Query page per 1 MB of expenses (about 1,000 to 3,000
 * expenses a page), aggregated page by page, at most `maxExpenses` + 1 read: a range holding
 * more is a 422 naming `from` (narrow it), never a partial answer. by=member adds ONE Query of
 * the budget's memberships (BudgetsFacade.memberNames, for the labels), sent with the first page;
 * by=category and by=group read nothing more (the access check carries the budget's categories).
 */
export class SpendingBreakdownService {
  private readonly maxExpenses: number;

  constructor(
    private readonly deps: SpendingBreakdownDeps,
    /** Expenses examined at most (tests lower it; production passes nothing: SPENDING_MAX_EXPENSES). */
    maxExpenses?: number,
  ) {
    this.maxExpenses = maxExpenses ?? SPENDING_MAX_EXPENSES;
  }

  async breakdown(budgetId: string, userId: string, query: SpendingBreakdownQuery): Promise<SpendingBreakdownAnswer> {
    const access = await authorize(this.deps.budgets, budgetId, userId, 'read');
    const { from, to } = requestedDayRange(query, () => periodContaining(access.period, todayIn(access.timezone, this.deps.clock.now())), SPENDING_MAX_DAYS);
    // by=category and by=group: labelled from the budget's categories the access check returned (no read more).
    const breakdown = new SpendingBreakdown(query.by, access.categories);
    // by=member: the members' display names, ONE Query of the memberships, alongside the walk.
    const [read, names] = await Promise.all([
      this.deps.repository.spendingRows(budgetId, from, to, this.maxExpenses, (rows) => {
        for (const row of rows) breakdown.add(row);
      }),
      query.by === 'member' ? this.deps.budgets.memberNames(budgetId) : undefined,
    ]);
    if (read.tooMany) throw tooManyInRange(this.maxExpenses);
    const result = breakdown.result(query.limit, names && new Map(names.map((m) => [m.userId, m.name])));
    // Every running sum, not only the total: a group's can pass 2^53 - 1 while another's refunds (or,
    // by tag, an expense counted in each of its tags) leave the total under it; `other` sums groups.
    if (breakdown.exceedsSafeIntegers() || !Number.isSafeInteger(result.other.amount)) {
      throw problems.validation([{ path: 'query.from', message: 'The spending of this range would exceed 2^53 - 1 minor units; ask for a shorter one' }]);
    }
    return { by: query.by, from, to, currency: access.currency, ...result };
  }
}

/** The 422 of a range holding more than `maxExpenses` expenses (the breakdown's, the possible duplicates' and the price changes' read), naming `from` (or `path`: the price changes' `days`). */
export function tooManyInRange(maxExpenses: number, path = 'query.from'): ProblemError {
  const message = `More than ${maxExpenses.toLocaleString('en-US')} expenses fall in this range; ask for a shorter one`;
  return new ProblemError(PLATFORM_PROBLEMS['unprocessable'], 'Too many expenses in the range for one answer; narrow the range.', {
    errors: [{ path, message }],
  });
}
