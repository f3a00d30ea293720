import { addDays } from '@budgeting/platform';
import type { BudgetPeriod } from '../contract';
import type { Budget } from '../model';
import { budgetInPeriod } from './period-limits';
import { periodContaining, type Period } from './periods';

/**
 * Ready to assign (GET /v1/budgets/{budgetId}/assignable, docs/periods-and-limits.md "Ready to assign"), kept pure:
 * which budget periods a calendar month assigns, and what their category limits add up to.
 * Income is kept per calendar month (packages/expenses/docs/income.md "Income and cash flow"), so a month is
 * what income is set against; each budget period is counted in exactly ONE month, the month
 * it starts in, so a year's months together assign every period of it once.
 */

/** What a month assigned to one category: its limits of the month's periods, summed. */
export interface CategoryAssigned {
  categoryId: string;
  name: string;
  assigned: bigint;
}

/**
 * The periods a month (YYYY-MM) assigns: monthly, the month itself; weekly, the ISO weeks
 * whose Monday falls in it (4 or 5; a week straddling two months counts in the month it starts
 * in). Periods before `firstStart` (the budget's first period) are left out: no budget existed
 * to assign anything. Yearly budgets have no monthly assignment (the service's 422): null.
 */
export function periodsStartingIn(kind: BudgetPeriod, month: string, firstStart: string): Period[] | null {
  const first = `${month}-01`;
  const last = periodContaining('monthly', first).end;
  let periods: Period[];
  switch (kind) {
    case 'yearly':
      return null;
    case 'monthly':
      periods = [{ start: first, end: last }];
      break;
    case 'weekly': {
      periods = [];
      // The first Monday on or after the 1st: the week containing the 1st, unless it started before.
      let week = periodContaining('weekly', first);
      if (week.start < first) week = periodContaining('weekly', addDays(week.end, 1));
      for (; week.start <= last; week = periodContaining('weekly', addDays(week.end, 1))) periods.push(week);
      break;
    }
  }
  return periods.filter((p) => p.start >= firstStart);
}

/**
 * Each category's limits in `periods`, summed in BigInt, as every per-period figure sees them
 * (budgetInPeriod: limit history, then per-period overrides, packages/budgets/docs/periods-and-limits.md "Move money"), in the budget's
 * order; a category listed when it has a limit in at least one of them. Only category limits
 * count: the budget's own `limit` caps spending, it assigns no money to anything. Carried-over
 * amounts (rollover) are not assigned again here: they are what earlier periods' limits left.
 */
export function assignedIn(budget: Pick<Budget, 'limit' | 'categories' | 'periodLimits' | 'limitHistory'>, periods: readonly Period[]): { categories: CategoryAssigned[]; assigned: bigint } {
  const sums = new Map<string, bigint>();
  for (const period of periods) {
    for (const category of budgetInPeriod(budget, period).categories) {
      if (category.limit !== undefined) sums.set(category.id, (sums.get(category.id) ?? 0n) + BigInt(category.limit));
    }
  }
  const categories = budget.categories.flatMap((c) => {
    const assigned = sums.get(c.id);
    return assigned === undefined ? [] : [{ categoryId: c.id, name: c.name, assigned }];
  });
  return { categories, assigned: categories.reduce((sum, c) => sum + c.assigned, 0n) };
}

/** What GET .../assignable answers, exact. */
export interface Assignable {
  month: string;
  currency: string;
  income: number;
  assigned: number;
  readyToAssign: number;
  categories: { categoryId: string; name: string; assigned: number }[];
  overAssigned: boolean;
}

/**
 * income - assigned (negative: more assigned than came in, `overAssigned`), or null when a
 * figure passes 2^53 - 1 and cannot be given exactly (the service's 422, as the cash flow's).
 */
export function readyToAssign(month: string, currency: string, income: number, assignedIn: { categories: CategoryAssigned[]; assigned: bigint }): Assignable | null {
  const ready = BigInt(income) - assignedIn.assigned;
  const figures = [ready, assignedIn.assigned, ...assignedIn.categories.map((c) => c.assigned)];
  const max = BigInt(Number.MAX_SAFE_INTEGER);
  if (figures.some((n) => n > max || n < -max)) return null;
  return {
    month,
    currency,
    income,
    assigned: Number(assignedIn.assigned),
    readyToAssign: Number(ready),
    categories: assignedIn.categories.map((c) => ({ categoryId: c.categoryId, name: c.name, assigned: Number(c.assigned) })),
    overAssigned: ready < 0n,
  };
}
