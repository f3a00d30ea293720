import { dateInTimeZone, ProblemError, problems, type Clock, PLATFORM_PROBLEMS } from '@budgeting/platform';
import type { CashFlowSpendingPort } from '../contract';
import { assignedIn, periodsStartingIn, readyToAssign, type Assignable } from '../domain/assignable';
import { firstPeriodOf } from '../domain/periods';
import type { AccessService } from './access';

/**
 * Ready to assign (GET /v1/budgets/{budgetId}/assignable, docs/periods-and-limits.md "Ready to assign"): a month's
 * income less the category limits its periods assign (domain/assignable.ts, limits resolved by
 * budgetInPeriod, the summary's own). Reads: the access BatchGetItem, then ONE strongly
 * consistent Query of the month's items of the running totals through the cash flow's port
 * (CashFlowSpendingPort.totalsAndCashFlow, no spending range asked: its 4 spending shards and
 * its income total item), so the month's income is GET .../cash-flow's figure by construction.
 * The limits are on the budget item the access check read: nothing more is read for them.
 */
export class AssignableService {
  constructor(
    private readonly access: AccessService,
    private readonly spending: CashFlowSpendingPort,
    private readonly clock: Clock,
  ) {}

  async assignable(budgetId: string, userId: string, query: { month?: string }): Promise<Assignable> {
    const { budget } = await this.access.require(budgetId, userId);
    const month = query.month ?? dateInTimeZone(this.clock.now(), budget.timezone).slice(0, 7);
    const periods = periodsStartingIn(budget.period, month, firstPeriodOf(budget).start);
    if (periods === null) {
      // Income is kept per calendar month; a yearly period is twelve of them, so no month assigns it
      // (counting the year's limits in January, its first month, would show every January over-assigned).
      throw new ProblemError(PLATFORM_PROBLEMS['unprocessable'], 'Ready to assign is given per month, for monthly and weekly budgets: this budget is yearly.', {
        errors: [{ path: 'period', message: 'Must be monthly or weekly (a yearly period spans twelve months of income)' }],
      });
    }
    // The month's income alone: its spending and savings rate are not figures of this answer, so
    // one past 2^53 - 1 (1 cent of income against 10^12 spent) must not refuse it.
    const { monthsIncome } = await this.spending.totalsAndCashFlow(budget.id, [], null, { from: month, to: month });
    const income = monthsIncome[0] ?? null;
    const answer = income === null ? null : readyToAssign(month, budget.currency, income, assignedIn(budget, periods));
    if (answer === null) throw problems.unprocessable("A figure of this month passes 2^53 - 1 minor units: ready to assign cannot be given exactly.");
    return answer;
  }
}
