import { ProblemError, dayNumber, problems, type Clock } from '@budgeting/platform';
import { periodContaining, type BudgetsFacade } from '@budgeting/budgets';
import { todayIn } from '../domain/dates';
import { SPENDING_MAX_DAYS, SPENDING_MAX_EXPENSES, SpendingBreakdown, type SpendingBreakdownResult, type SpendingGrouping } from '../domain/spending-breakdown';
import type { ExpensesRepository } from '../repository/expenses.repository';
import { authorize } from './access';

export interface SpendingBreakdownDeps {
  repository: Pick<ExpensesRepository, 'spendingRows'>;
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
 * tag or member (domain/spending-breakdown.ts). Reads: the access BatchGetItem, then the range's
 * expenses through the date index, a Query page per 1 MB of expenses (about 1,000 to 3,000
 * expenses a page), aggregated page by page, at most `maxExpenses` + 1 read: a range holding
 * more is a 422 naming `from` (narrow it), never a partial answer. by=member adds ONE Query of
 * the budget's memberships (BudgetsFacade.memberNames, for the labels), sent with the first page.
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
    const { from, to } = rangeOf(query, () => periodContaining(access.period, todayIn(access.timezone, this.deps.clock.now())));
    const breakdown = new SpendingBreakdown(query.by);
    // by=member: the members' display names, ONE Query of the memberships, alongside the walk.
    const [read, names] = await Promise.all([
      this.deps.repository.spendingRows(budgetId, from, to, this.maxExpenses, (rows) => {
        for (const row of rows) breakdown.add(row);
      }),
      query.by === 'member' ? this.deps.budgets.memberNames(budgetId) : undefined,
    ]);
    if (read.tooMany) {
      const message = `More than ${this.maxExpenses.toLocaleString('en-US')} expenses fall in this range; ask for a shorter one`;
      throw new ProblemError(422, 'unprocessable', 'Unprocessable request', 'Too many expenses in the range for one answer; narrow the range.', {
        errors: [{ path: 'query.from', message }],
      });
    }
    const result = breakdown.result(query.limit, names && new Map(names.map((m) => [m.userId, m.name])));
    // A tag's groups can sum past total (an expense counts in each of its tags): check what is answered.
    if (![result.total, result.other.amount].every(Number.isSafeInteger)) {
      throw problems.validation([{ path: 'query.from', message: 'The spending of this range would exceed 2^53 - 1 minor units; ask for a shorter one' }]);
    }
    return { by: query.by, from, to, currency: access.currency, ...result };
  }
}

/**
 * The range asked: `from` and `to` together (`from` on or before `to`, at most SPENDING_MAX_DAYS
 * days, both included), or neither (the budget's current period in its time zone, as the summary
 * computes it). Errors name the query parameter.
 */
function rangeOf(range: { from?: string; to?: string }, currentPeriod: () => { start: string; end: string }): { from: string; to: string } {
  if (range.from === undefined && range.to === undefined) {
    const period = currentPeriod();
    return { from: period.start, to: period.end };
  }
  if (range.from === undefined || range.to === undefined) {
    const missing = range.from === undefined ? 'from' : 'to';
    throw problems.validation([{ path: `query.${missing}`, message: 'Give both `from` and `to`, or neither for the current period' }]);
  }
  const { from, to } = range as { from: string; to: string };
  if (from > to) throw problems.validation([{ path: 'query.to', message: 'Must be on or after `from`' }]);
  if (dayNumber(to) - dayNumber(from) + 1 > SPENDING_MAX_DAYS) {
    throw problems.validation([{ path: 'query.to', message: `The range may cover at most ${SPENDING_MAX_DAYS} days, both ends included` }]);
  }
  return { from, to };
}
