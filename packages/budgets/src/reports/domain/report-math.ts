import { isCalendarDate, addDays } from '@budgeting/platform';
import type { DaySpending, MerchantSpending, MonthCashFlow, SpendingTotals } from '../../contract';
import type { Budget, Report, ReportGroup } from '../../model';
import { groupLimit, groupLines, groupsOf, sumOf } from '../../domain/groups-math';
import type { Period } from '../../domain/periods';
import { categoryFigures, groupCarriedOver, type BudgetSummary } from '../../domain/summary-math';

/**
 * The pure part of a period report: ids, and assembling the snapshot from what was read
 * (the period's summary, per-day spending, merchants, the previous period's totals).
 */

/**
 * A report's id is its period ("20261101-20261130"): there is one report per (budget, period),
 * so the id needs no uniqueness item of its own, a GET is one GetItem, and ids sort like the
 * periods they describe. It is only meaningful under its budget's path.
 */
export const reportIdOf = (period: Period): string => `${compact(period.start)}-${compact(period.end)}`;

/** The period a report id names, or null when it is not one (then the report is simply not found). */
export function periodOfReportId(id: string): Period | null {
  const m = /^(\d{4})(\d{2})(\d{2})-(\d{4})(\d{2})(\d{2})$/.exec(id);
  if (!m) return null;
  const start = `${m[1]}-${m[2]}-${m[3]}`;
  const end = `${m[4]}-${m[5]}-${m[6]}`;
  return isCalendarDate(start) && isCalendarDate(end) && start <= end ? { start, end } : null;
}

const compact = (date: string) => date.replaceAll('-', '');

export interface ReportInputs {
  budget: Budget;
  period: Period;
  summary: BudgetSummary;
  days: DaySpending[];
  merchants: MerchantSpending[];
  previous: { period: Period; totals: SpendingTotals } | null;
  /** A monthly budget's month's cash flow (CashFlowSpendingPort); absent or null (not exact): no income shown. */
  cashFlow?: MonthCashFlow | null;
  generatedAt: string;
}

export function buildReport(i: ReportInputs): Report {
  const spentOn = new Map(i.days.map((d) => [d.date, d.total]));
  const byDay: Report['byDay'] = [];
  for (let date = i.period.start; date <= i.period.end; date = addDays(date, 1)) {
    byDay.push({ date, spent: spentOn.get(date) ?? 0 });
  }
  // A rollover category's line carries the summary's carriedOver and available (others: as before).
  const byCategory = i.summary.categories.map(categoryFigures);
  return {
    id: reportIdOf(i.period),
    budgetId: i.budget.id,
    budgetName: i.budget.name,
    ownerId: i.budget.ownerId,
    periodStart: i.period.start,
    periodEnd: i.period.end,
    currency: i.budget.currency,
    limit: i.summary.limit,
    carriedOver: i.summary.carriedOver,
    available: i.summary.available,
    spent: i.summary.spent,
    remaining: i.summary.remaining,
    // Only a month that had income: no rate of nothing, and a report without income keeps the shape of before.
    ...(i.cashFlow && i.cashFlow.income !== 0 && i.cashFlow.savingsRate !== null ? { income: i.cashFlow.income, savingsRate: i.cashFlow.savingsRate } : {}),
    byCategory,
    groups: reportGroupsOf(byCategory),
    uncategorizedSpent: i.summary.uncategorizedSpent,
    byDay,
    topMerchants: i.merchants.map((m) => ({ ...m })),
    // Null too when the previous period's spending passed 2^53 - 1 minor units: no exact figure
    // to show (the report item could not even be written), while this period's own are exact.
    previousPeriod:
      i.previous && Number.isSafeInteger(i.previous.totals.total)
        ? { periodStart: i.previous.period.start, periodEnd: i.previous.period.end, spent: i.previous.totals.total }
        : null,
    generatedAt: i.generatedAt,
  };
}

/**
 * A report's groups, from its own category lines (so the snapshot keeps the groups of the
 * moment it was made, whatever the budget's categories become): the same groups-math the
 * summary uses, so the figures are the summary's groups less `remaining`, which the report's
 * category lines do not carry either.
 */
export function reportGroupsOf(lines: Report['byCategory']): ReportGroup[] {
  const categories = lines.map((l) => (l.group === null ? { id: l.categoryId } : { id: l.categoryId, group: l.group }));
  return groupLines(groupsOf(categories), lines, (members) => {
    const limit = groupLimit(members.map((c) => c.limit));
    // With a rollover category: the summary's group carriedOver and available (summary-math.ts groupCarriedOver).
    const carried = groupCarriedOver(members);
    return {
      limit,
      ...(carried === undefined ? {} : { carriedOver: carried, available: sumOf([limit!, carried]) }),
      spent: sumOf(members.map((c) => c.spent)),
    };
  });
}
