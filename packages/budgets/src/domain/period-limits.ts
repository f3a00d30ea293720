import { MAX_AMOUNT_MINOR } from '@budgeting/platform';
import { copiedCategoryIds } from './copied-category-ids';
import type { Budget, Category, LimitChange, PeriodLimit } from '../model';
import { budgetLimitAt, categoryLimitAt, historicLimitsSum } from './limit-history';

/**
 * Per-period category limits (packages/budgets/docs/periods-and-limits.md "Move money", as YNAB's assigned amounts per month), pure.
 *
 * A category's `limit` is its limit in every period, unless the budget item's `periodLimits`
 * holds an override for that period (`{periodStart, categoryId, limit}`, `periodStart` the first
 * day of a period of the budget's kind). Overrides are written by POST .../move-money
 * (`moveMoney`), PUT .../period-limits (`setPeriodLimit`) and cleared by DELETE .../period-limits
 * (`clearPeriodLimits`); they live ON the budget item, so every reader that has the budget has them (no read added).
 *
 * Invariants kept by `normalizePeriodLimits` after every write (a move, a set, a PATCH): at most one
 * override per (period, category); no override equal to the category's limit in its period (its
 * limit then, limit-history.ts, 0 in a period in which it had none: it would change nothing); none for a category the budget no longer has, or that has no limit (a limit is what
 * an override replaces), except, for a category whose limit was removed, those of the periods
 * before the removal (before its last limit history entry: those periods keep the limits they
 * had); sorted by periodStart, then categoryId (the Budget resource shows them so). At most
 * MAX_PERIOD_LIMITS of them.
 */

/**
 * At most this many overrides per budget (a move adding entries past it is a 422 naming
 * `periodLimits`). Why 240: two years of monthly moves touching 10 categories, far more than a
 * household makes, yet the budget item, read by EVERY budget request (strongly consistent, 4 KB a
 * read unit), grows by at most about 240 x 75 bytes = 18 KB (each entry a map of a 10-character
 * date, a 26-character id and a number), about 4-5 read units per read at the cap; a budget
 * without moves pays nothing. The item's other contents stay under 45 KB (model.ts), far from
 * DynamoDB's 400 KB.
 */
export const MAX_PERIOD_LIMITS = 240;

/**
 * The category's limit in the period starting `periodStart` (undefined: no limit now): its
 * override there, else its limit then (limit history; 0 when it had none then: what a move or
 * a set starts from).
 */
export function limitInPeriod(budget: Pick<Budget, 'categories' | 'periodLimits' | 'limitHistory'>, categoryId: string, periodStart: string): number | undefined {
  const category = budget.categories.find((c) => c.id === categoryId);
  if (category?.limit === undefined) return undefined;
  const override = budget.periodLimits?.find((p) => p.periodStart === periodStart && p.categoryId === categoryId);
  return override ? override.limit : (categoryLimitAt(budget.limitHistory, category, periodStart) ?? 0);
}

/**
 * THE budget as seen in a period: its own `limit` and its categories' limits as they were in the
 * period starting at `period.start` (the limit history, limit-history.ts: a PATCH applies from
 * its current period on), then, for each category that has an override for the period, that
 * override as its `limit` (every other field, `periodLimits` and `limitHistory` included,
 * unchanged). Every per-period computation (the summary's plan, hence pace, trends, forecast,
 * reports, overview, limit suggestions; the day figures; and the threshold check) works on this.
 * The same object when the period has neither an override nor a history entry after it (the
 * common case: nothing copied).
 */
export function budgetInPeriod<B extends Pick<Budget, 'limit' | 'categories' | 'periodLimits' | 'limitHistory'>>(budget: B, period: { start: string }): B {
  const overrides = (budget.periodLimits ?? []).filter((p) => p.periodStart === period.start);
  const history = (budget.limitHistory ?? []).filter((h) => h.before > period.start);
  if (overrides.length === 0 && history.length === 0) return budget;
  const byCategory = new Map(overrides.map((p) => [p.categoryId, p.limit]));
  const categories = budget.categories.map((c): Category => {
    const override = byCategory.get(c.id);
    // An override is the category's limit in its period, whatever it was then: normalizePeriodLimits
    // keeps one only where the category has a limit (now, or in that period by the limit history).
    const limit = override !== undefined ? override : categoryLimitAt(history, c, period.start);
    if (limit === c.limit) return c;
    const { limit: _current, ...rest } = c;
    return limit === undefined ? rest : { ...rest, limit };
  });
  return { ...budget, limit: budgetLimitAt({ limit: budget.limit, limitHistory: history }, period.start), categories };
}

/**
 * The sum of a category's limits over `periods` consecutive periods starting at `from` and
 * ending before `before` (period starts of the budget's kind; `periods` is how many lie
 * between them): for each period without an override, its limit then (`limit`, its current
 * one, or what its limit history gives: limit-history.ts, when `history` is given), plus each
 * override in that range. Pure arithmetic on the item, in BigInt (many periods of a large limit
 * pass 2^53). What category rollover carries is this sum less what the category spent in those periods.
 */
export function limitsSum(
  periodLimits: readonly PeriodLimit[] | undefined,
  categoryId: string,
  limit: number,
  from: string,
  before: string,
  periods: number,
  history?: Pick<Budget, 'period' | 'limitHistory'>,
): bigint {
  const hasHistory = history?.limitHistory?.some((h) => h.categoryId === categoryId && h.before > from);
  let sum = hasHistory ? historicLimitsSum(history!.period, history!.limitHistory, categoryId, limit, from, before) : BigInt(limit) * BigInt(periods);
  for (const p of periodLimits ?? []) {
    if (p.categoryId !== categoryId || p.periodStart < from || p.periodStart >= before) continue;
    // The override replaces that period's own limit (0 when the category had none then).
    const base = hasHistory ? (categoryLimitAt(history!.limitHistory, { id: categoryId, limit }, p.periodStart) ?? 0) : limit;
    sum += BigInt(p.limit) - BigInt(base);
  }
  return sum;
}

/**
 * The overrides kept for `categories` (see the invariants above): dropped when their category
 * is gone, or has no limit and the period is not before its last `history` entry (a limit
 * removed with `"allPeriods"` leaves none: no period keeps one), or equals its limit in that
 * period (its limit then, with `history`: limit-history.ts); one per (period, category), the
 * last one given winning; sorted by periodStart, then categoryId.
 */
export function normalizePeriodLimits(
  categories: readonly Pick<Category, 'id' | 'limit'>[],
  periodLimits: readonly PeriodLimit[] | undefined,
  history?: readonly LimitChange[],
): PeriodLimit[] {
  const limits = new Map(categories.map((c) => [c.id, c.limit]));
  const kept = new Map<string, PeriodLimit>();
  for (const p of periodLimits ?? []) {
    const key = `${p.periodStart}#${p.categoryId}`;
    kept.delete(key);
    if (!limits.has(p.categoryId)) continue;
    const base = limits.get(p.categoryId);
    // A category whose limit was removed keeps the overrides of the periods before the removal
    // (its last limit history entry): those periods keep the limits they had ("Limit history").
    if (base === undefined && !(p.periodStart < (lastChange(history, p.categoryId) ?? p.periodStart))) continue;
    // Its limit then; 0 in a period in which it had none, as limitInPeriod answers (what a move or
    // a set starts from): money moved there and back, or a set to 0, leaves the period as it was.
    const then = history?.length ? (categoryLimitAt(history, { id: p.categoryId, limit: base }, p.periodStart) ?? 0) : base;
    if (p.limit === then) continue;
    kept.set(key, { periodStart: p.periodStart, categoryId: p.categoryId, limit: p.limit });
  }
  return [...kept.values()].sort((a, b) => (a.periodStart === b.periodStart ? cmp(a.categoryId, b.categoryId) : cmp(a.periodStart, b.periodStart)));
}

const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** The latest `before` of a category's limit history entries (undefined: none). */
function lastChange(history: readonly LimitChange[] | undefined, categoryId: string): string | undefined {
  let last: string | undefined;
  for (const h of history ?? []) if (h.categoryId === categoryId && (last === undefined || h.before > last)) last = h.before;
  return last;
}

/**
 * Whether `next` passes the cap while adding entries to `previous` (a change that does not add
 * any, e.g. back to the categories' limits, is accepted even at the cap).
 */
function pastCap(next: readonly PeriodLimit[], previous: readonly PeriodLimit[] | undefined): boolean {
  return next.length > MAX_PERIOD_LIMITS && next.length > (previous ?? []).length;
}

/** The 422 of the cap: its way out is clearing old overrides. */
const CAP_MESSAGE =
  `A budget holds at most ${MAX_PERIOD_LIMITS} per-period limits: clear old ones (DELETE /v1/budgets/{budgetId}/period-limits?before=YYYY-MM-DD), ` +
  "set a period's limit back to the category's (an override equal to it is removed), or change the categories' limits";

/** Why a move cannot be made, with the request field it is about (and `to`'s own reason when both categories are refused). */
export interface MoveRefusal {
  field: 'from' | 'to' | 'amount' | 'periodLimits';
  message: string;
  also?: { field: 'to'; message: string };
}

export interface MoveOutcome {
  periodLimits: PeriodLimit[];
  /** The two categories' limits in the period, before and after the move. */
  from: { categoryId: string; before: number; after: number };
  to: { categoryId: string; before: number; after: number };
}

/**
 * Moves `amount` (> 0) of limit from `from` to `to` in the period starting `periodStart`:
 * `from`'s limit there goes down by `amount` (never below 0), `to`'s up (never above
 * MAX_AMOUNT_MINOR); the budget's own limit does not move. Both must be categories of the
 * budget with a limit and differ. The new overrides are normalized (a move back to a
 * category's limit removes its override), and may not pass MAX_PERIOD_LIMITS unless the move
 * does not add any (a budget at the cap can still move back).
 */
export function moveMoney(
  budget: Pick<Budget, 'categories' | 'periodLimits' | 'limitHistory'>,
  periodStart: string,
  from: string,
  to: string,
  amount: number,
): MoveOutcome | MoveRefusal {
  if (from === to) return { field: 'to', message: 'Must differ from `from`: money moves between two categories' };
  // Each category is checked on its own, so a move naming two wrong ones says both.
  const categoryRefusal = (id: string) => {
    const category = budget.categories.find((c) => c.id === id);
    if (!category) return 'Not a category of this budget';
    return category.limit === undefined ? 'This category has no limit: set one first (PATCH the budget)' : undefined;
  };
  const [fromRefused, toRefused] = [categoryRefusal(from), categoryRefusal(to)];
  if (fromRefused) return { field: 'from', message: fromRefused, ...(toRefused ? { also: { field: 'to' as const, message: toRefused } } : {}) };
  if (toRefused) return { field: 'to', message: toRefused };
  const fromBefore = limitInPeriod(budget, from, periodStart)!;
  const toBefore = limitInPeriod(budget, to, periodStart)!;
  if (amount > fromBefore) return { field: 'amount', message: `More than the ${fromBefore} left in \`from\`'s limit for this period: its limit may not go below 0` };
  if (toBefore + amount > MAX_AMOUNT_MINOR) return { field: 'amount', message: `\`to\`'s limit for this period would pass ${MAX_AMOUNT_MINOR}` };
  const rest = (budget.periodLimits ?? []).filter((p) => p.periodStart !== periodStart || (p.categoryId !== from && p.categoryId !== to));
  const periodLimits = normalizePeriodLimits(
    budget.categories,
    [...rest, { periodStart, categoryId: from, limit: fromBefore - amount }, { periodStart, categoryId: to, limit: toBefore + amount }],
    budget.limitHistory,
  );
  if (pastCap(periodLimits, budget.periodLimits)) return { field: 'periodLimits', message: CAP_MESSAGE };
  return {
    periodLimits,
    from: { categoryId: from, before: fromBefore, after: fromBefore - amount },
    to: { categoryId: to, before: toBefore, after: toBefore + amount },
  };
}

export const isRefusal = (r: MoveOutcome | MoveRefusal): r is MoveRefusal => 'field' in r;

/** Why a period's limit cannot be set, with the request field it is about. */
export interface SetRefusal {
  field: 'categoryId' | 'periodLimits';
  message: string;
}

export interface SetOutcome {
  periodLimits: PeriodLimit[];
  /** The category's limit in the period before and after (equal: nothing changes). */
  before: number;
  after: number;
}

/**
 * Sets `categoryId`'s limit in the period starting `periodStart` to `limit` (0..MAX_AMOUNT_MINOR,
 * checked by the request schema): unlike a move, the sum of the categories' limits in that period
 * changes (the budget's own limit does not). The category must be one of the budget's with a
 * limit. The overrides are normalized: `limit` equal to the category's own limit removes the
 * period's override. Past MAX_PERIOD_LIMITS only when it does not add an entry.
 */
export function setPeriodLimit(
  budget: Pick<Budget, 'categories' | 'periodLimits' | 'limitHistory'>,
  periodStart: string,
  categoryId: string,
  limit: number,
): SetOutcome | SetRefusal {
  const category = budget.categories.find((c) => c.id === categoryId);
  if (!category) return { field: 'categoryId', message: 'Not a category of this budget' };
  if (category.limit === undefined) return { field: 'categoryId', message: 'This category has no limit: set one first (PATCH the budget)' };
  const before = limitInPeriod(budget, categoryId, periodStart)!;
  const rest = (budget.periodLimits ?? []).filter((p) => p.periodStart !== periodStart || p.categoryId !== categoryId);
  const periodLimits = normalizePeriodLimits(budget.categories, [...rest, { periodStart, categoryId, limit }], budget.limitHistory);
  if (pastCap(periodLimits, budget.periodLimits)) return { field: 'periodLimits', message: CAP_MESSAGE };
  return { periodLimits, before, after: limit };
}

export const isSetRefusal = (r: SetOutcome | SetRefusal): r is SetRefusal => 'field' in r;

export interface ClearOutcome {
  /** The overrides kept (in their order). */
  periodLimits: PeriodLimit[];
  /** The overrides removed (in their order). */
  removed: PeriodLimit[];
}

/**
 * Removes the overrides of periods starting before `before` (all periods when absent), of
 * `categoryId` only when given: those periods' categories are back to their own limits.
 */
export function clearPeriodLimits(periodLimits: readonly PeriodLimit[] | undefined, which: { before?: string; categoryId?: string }): ClearOutcome {
  const kept: PeriodLimit[] = [];
  const removed: PeriodLimit[] = [];
  for (const p of periodLimits ?? []) {
    const goes = (which.before === undefined || p.periodStart < which.before) && (which.categoryId === undefined || p.categoryId === which.categoryId);
    (goes ? removed : kept).push(p);
  }
  return { periodLimits: kept, removed };
}

/**
 * The overrides a copy of `source` (POST .../copy) carries: those of periods starting on or after
 * `copyFirstPeriodStart` (the copy's first period: earlier ones are periods it never had), each
 * under the copy's category of the same name (copiedCategoryIds; a category the copy lacks
 * carries none), normalized for the copy's categories. None when the copy's period kind is not
 * the source's (its periods are others). At most what the source holds, so within the cap.
 */
export function periodLimitsForCopy(
  source: Pick<Budget, 'period' | 'categories' | 'periodLimits'>,
  copy: Pick<Budget, 'period' | 'categories'>,
  copyFirstPeriodStart: string,
): PeriodLimit[] {
  if (source.period !== copy.period || !source.periodLimits?.length) return [];
  const ids = copiedCategoryIds(source.categories, copy.categories);
  const carried = source.periodLimits.flatMap((p) => {
    const categoryId = ids.get(p.categoryId);
    return p.periodStart >= copyFirstPeriodStart && categoryId !== undefined ? [{ periodStart: p.periodStart, categoryId, limit: p.limit }] : [];
  });
  return normalizePeriodLimits(copy.categories, carried);
}
