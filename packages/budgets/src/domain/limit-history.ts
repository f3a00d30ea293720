import type { BudgetPeriod } from '../contract';
import type { Budget, Category, LimitChange } from '../model';
import { periodsBetween } from './periods';

/**
 * Limit history (as YNAB keeps each month's assigned amounts), pure: a PATCH of the budget's
 * `limit` or of a category's applies from the CURRENT period onward; periods that started
 * before keep the limit they had. The budget item's `limitHistory` holds, per target (the
 * budget's own limit: no `categoryId`; a category's: its id), entries `{before, limit}`: in the
 * periods that start before `before`, and not before the target's previous entry's `before`,
 * the target's limit was `limit` (null: the category had none). From the target's last entry's
 * `before` on, its current limit applies. It lives ON the budget item, as the per-period
 * overrides (period-limits.ts) do, so every reader that has the budget has it (no read added);
 * `budgetInPeriod` resolves it, and the overrides apply on top of it.
 *
 * Invariants kept by `normalizeLimitHistory` after every PATCH: at most one entry per (target,
 * before); none for a category the budget no longer has; none without effect (equal to the
 * value that follows it: the target's next entry's, or its current limit), but for the latest
 * null entry of a category without a limit now (it dates the removal, see normalizeLimitHistory); sorted by `before`,
 * then the budget's own entry first, then categoryId. At most MAX_LIMIT_HISTORY entries.
 */

/**
 * At most this many entries per budget (a PATCH adding entries past it is a 422 naming
 * `limit`). Why 240, as MAX_PERIOD_LIMITS: two years of monthly changes of 10 limits; the
 * budget item, read by every budget request, grows by at most about 240 x 75 bytes = 18 KB.
 * Why a 422 and not dropping the oldest entries: an entry dropped re-values the periods before
 * it, and with rollover the carry of EVERY later period (the current one too) sums them, so
 * the promise "earlier periods keep their limit" would break silently.
 */
export const MAX_LIMIT_HISTORY = 240;

/** A target's history value in the period starting `periodStart`; `current` when none applies. */
function limitAt(history: readonly LimitChange[] | undefined, categoryId: string | undefined, current: number | null, periodStart: string): number | null {
  let found: LimitChange | undefined;
  for (const h of history ?? []) {
    if (h.categoryId !== categoryId || h.before <= periodStart) continue;
    if (!found || h.before < found.before) found = h;
  }
  return found ? found.limit : current;
}

/** The budget's own limit in the period starting `periodStart`. */
export function budgetLimitAt(budget: Pick<Budget, 'limit' | 'limitHistory'>, periodStart: string): number {
  return limitAt(budget.limitHistory, undefined, budget.limit, periodStart) ?? budget.limit;
}

/** A category's limit (before any per-period override) in the period starting `periodStart` (undefined: none). */
export function categoryLimitAt(history: readonly LimitChange[] | undefined, category: Pick<Category, 'id' | 'limit'>, periodStart: string): number | undefined {
  return limitAt(history, category.id, category.limit ?? null, periodStart) ?? undefined;
}

/**
 * A target's limits summed over the periods from `from` to `before` (period starts of `kind`),
 * each period's being what it was then (0 where the category had none), before any override.
 * BigInt: many periods of a large limit pass 2^53. Walks the target's entries (each a run of
 * periods), not the periods: cost bounded by the history, not by how far `before` is.
 */
export function historicLimitsSum(
  kind: BudgetPeriod,
  history: readonly LimitChange[] | undefined,
  categoryId: string | undefined,
  current: number,
  from: string,
  before: string,
): bigint {
  const entries = (history ?? []).filter((h) => h.categoryId === categoryId && h.before > from).sort((a, b) => cmp(a.before, b.before));
  let sum = 0n;
  let start = from;
  for (const h of entries) {
    if (start >= before) break;
    const end = h.before < before ? h.before : before;
    sum += BigInt(periodsBetween(kind, start, end)) * BigInt(h.limit ?? 0);
    start = end;
  }
  if (start < before) sum += BigInt(periodsBetween(kind, start, before)) * BigInt(current);
  return sum;
}

/** The history kept for `budget` (its categories and limits): see the invariants above. */
export function normalizeLimitHistory(budget: Pick<Budget, 'limit' | 'categories'>, history: readonly LimitChange[] | undefined): LimitChange[] {
  const current = new Map<string | undefined, number | null>([[undefined, budget.limit], ...budget.categories.map((c): [string, number | null] => [c.id, c.limit ?? null])]);
  const byTarget = new Map<string | undefined, Map<string, number | null>>();
  for (const h of history ?? []) {
    if (!current.has(h.categoryId)) continue;
    const entries = byTarget.get(h.categoryId) ?? new Map<string, number | null>();
    byTarget.set(h.categoryId, entries.set(h.before, h.limit));
  }
  const kept: LimitChange[] = [];
  for (const [categoryId, entries] of byTarget) {
    // From the latest entry back: one equal to the value that follows it changes nothing.
    let following = current.get(categoryId)!;
    let latest = true;
    for (const before of [...entries.keys()].sort().reverse()) {
      const limit = entries.get(before)!;
      // A category without a limit keeps its latest entry even when it had none before it either
      // (a limit given and removed in one period): its `before` is when the limit went, which
      // keeps the per-period limits of the periods before (normalizePeriodLimits' lastChange).
      const removal = latest && categoryId !== undefined && limit === null && following === null;
      latest = false;
      if (limit === following && !removal) continue;
      kept.push({ before, ...(categoryId === undefined ? {} : { categoryId }), limit });
      following = limit;
    }
  }
  return kept.sort((a, b) => (a.before === b.before ? cmp(a.categoryId ?? '', b.categoryId ?? '') : cmp(a.before, b.before)));
}

const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** How a PATCH's limit changes apply (its `limitChangesApplyTo`). */
export type LimitChangesApplyTo = 'currentPeriod' | 'allPeriods';

/**
 * The history after a PATCH from `previous` to `next` (same period kind; another kind has
 * other periods: the caller drops the history), the current period starting `currentStart`.
 * Each target whose limit changed (a category added with a limit had none before; one removed
 * takes its entries with it):
 * - 'currentPeriod': gets `{before: currentStart, limit: its previous limit}`, unless it has an
 *   entry with that `before` already (that older value is what applied before this period), or
 *   a later one (a time zone moved west: the earliest such entry's value is what applied before
 *   this period, and the later entries go, their periods now having the new limit), and
 *   nothing when the current period is the budget's first (`firstStart`: no earlier period);
 * - 'allPeriods' (a typo fixed everywhere, the behaviour before the history): loses its entries.
 * Then normalized. Undefined when past MAX_LIMIT_HISTORY while adding entries (the caller's 422).
 */
export function limitHistoryAfter(
  previous: Pick<Budget, 'limit' | 'categories' | 'limitHistory'>,
  next: Pick<Budget, 'limit' | 'categories'>,
  applyTo: LimitChangesApplyTo,
  currentStart: string,
  firstStart: string,
): LimitChange[] | undefined {
  const before = new Map(previous.categories.map((c) => [c.id, c.limit ?? null]));
  const changed: { categoryId?: string; limit: number | null }[] = [];
  if (next.limit !== previous.limit) changed.push({ limit: previous.limit });
  for (const c of next.categories) {
    const old = before.has(c.id) ? before.get(c.id)! : null;
    if (old !== (c.limit ?? null)) changed.push({ categoryId: c.id, limit: old });
  }
  const history = previous.limitHistory ?? [];
  let entries: LimitChange[];
  if (applyTo === 'allPeriods') {
    const targets = new Set(changed.map((c) => c.categoryId));
    entries = history.filter((h) => !targets.has(h.categoryId));
  } else {
    // A target's entries from the current period on are replaced by one at its start. Usually
    // there is at most one (the same period changed before: the older value it keeps is what
    // applied before this period); a time zone moved west can bring "now" back into a period
    // before a change recorded in the old zone (1 December on Kiritimati is 30 November in
    // Honolulu), and then the value the periods before this one had is that later entry's, not
    // the limit this PATCH replaces (which applied from that later period on).
    const targets = new Set(changed.map((c) => c.categoryId));
    entries = history.filter((h) => !(targets.has(h.categoryId) && h.before >= currentStart));
    if (currentStart > firstStart) {
      for (const c of changed) {
        const from = history.filter((h) => h.categoryId === c.categoryId && h.before >= currentStart).sort((a, b) => cmp(a.before, b.before))[0];
        entries.push({ before: currentStart, ...c, ...(from ? { limit: from.limit } : {}) });
      }
    }
  }
  const kept = normalizeLimitHistory(next, entries);
  return kept.length > MAX_LIMIT_HISTORY && kept.length > history.length ? undefined : kept;
}

/** The 422 message of the cap: its ways out. */
export const LIMIT_HISTORY_CAP_MESSAGE =
  `A budget keeps at most ${MAX_LIMIT_HISTORY} earlier limits (limitHistory): send limitChangesApplyTo "allPeriods" to change ` +
  'these limits in every period (their earlier values are forgotten), or change fewer limits at once';
