import { problems, searchKey, type Clock } from '@budgeting/platform';
import type { BudgetsFacade } from '@budgeting/budgets';
import { monthRange } from '../domain/cash-flow';
import { firstDayOfMonth, lastDayOfMonth, monthOf, todayIn } from '../domain/dates';
import { SPENDING_MAX_EXPENSES } from '../domain/spending-breakdown';
import { SPENDING_MONTHLY_DEFAULT_MONTHS, SPENDING_MONTHLY_MAX_MONTHS, SpendingMonthly, type SpendingMonthlyResult } from '../domain/spending-monthly';
import type { SpendingReads } from '../repository/spending-reads.repository';
import { authorize } from './access';
import { tooManyInRange } from './spending-breakdown.service';

export interface SpendingMonthlyDeps {
  repository: Pick<SpendingReads, 'monthlySpendingRows'>;
  budgets: BudgetsFacade;
  clock: Clock;
}

export interface SpendingMonthlyQuery {
  merchant?: string | undefined;
  tag?: string | undefined;
  from?: string | undefined;
  to?: string | undefined;
}

export type SpendingMonthlyAnswer = ({ merchant: string } | { tag: string }) & { currency: string; from: string; to: string } & SpendingMonthlyResult;

/**
 * GET /v1/budgets/{budgetId}/spending/monthly: any member's month-by-month spending of one
 * merchant or one tag (domain/spending-monthly.ts). Reads what the spending breakdown reads: the
 * access BatchGetItem, then the range's expenses through the date index, a Query page per 1 MB
 * (about 1,000 to 3,000 expenses), folded page by page, at most `maxExpenses` + 1 read: a range
 * holding more is the breakdown's 422 naming `from`. Every expense of the range is read, the
 * merchant's or not: the folding (case, accents) cannot be a DynamoDB filter.
 */
export class SpendingMonthlyService {
  private readonly maxExpenses: number;

  constructor(
    private readonly deps: SpendingMonthlyDeps,
    /** Expenses examined at most (the breakdown's option: tests lower it; production passes nothing). */
    maxExpenses?: number,
  ) {
    this.maxExpenses = maxExpenses ?? SPENDING_MAX_EXPENSES;
  }

  async monthly(budgetId: string, userId: string, query: SpendingMonthlyQuery): Promise<SpendingMonthlyAnswer> {
    const asked = askedFor(query);
    const access = await authorize(this.deps.budgets, budgetId, userId, 'read');
    // Months in the budget's time zone: the current one is today's there.
    const range = monthRange(query, monthOf(todayIn(access.timezone, this.deps.clock.now())), SPENDING_MONTHLY_DEFAULT_MONTHS, SPENDING_MONTHLY_MAX_MONTHS);
    if ('path' in range) throw problems.validation([range]);
    const monthly = new SpendingMonthly(asked.kind, asked.value, range.from, range.to);
    const read = await this.deps.repository.monthlySpendingRows(budgetId, firstDayOfMonth(range.from), lastDayOfMonth(range.to), this.maxExpenses, (rows) => {
      for (const row of rows) monthly.add(row);
    });
    if (read.tooMany) throw tooManyInRange(this.maxExpenses);
    // Every month's figure, not only the total: a refund in one month can bring an unsafe other one back under 2^53.
    if (monthly.exceedsSafeIntegers()) {
      throw problems.validation([{ path: 'query.from', message: 'The spending of this range would exceed 2^53 - 1 minor units; ask for a shorter one' }]);
    }
    const result = monthly.result();
    const echo = asked.kind === 'merchant' ? { merchant: asked.value } : { tag: asked.value };
    const { label, ...figures } = result;
    return { ...echo, label, currency: access.currency, from: range.from, to: range.to, ...figures };
  }
}

/** Exactly one of `merchant` and `tag`, with something left once folded; else a 400 naming the field. */
function askedFor(query: SpendingMonthlyQuery): { kind: 'merchant' | 'tag'; value: string } {
  const { merchant, tag } = query;
  if (merchant !== undefined && tag !== undefined) {
    throw problems.validation([{ path: 'query.tag', message: 'Give `merchant` or `tag`, not both' }]);
  }
  if (merchant === undefined && tag === undefined) {
    const message = 'Give a `merchant` or a `tag`';
    throw problems.validation([
      { path: 'query.merchant', message },
      { path: 'query.tag', message },
    ]);
  }
  const kind = merchant !== undefined ? 'merchant' : 'tag';
  const value = (merchant ?? tag) as string;
  if (searchKey(value) === '') throw problems.validation([{ path: `query.${kind}`, message: 'Must have a letter or digit once spacing is ignored' }]);
  return { kind, value };
}
