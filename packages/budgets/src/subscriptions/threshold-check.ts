import {
  conditionFailedAt,
  createEvent,
  deferReads,
  inboxPut,
  withRequestReads,
  outboxPut,
  type Clock,
  type EventEnvelope,
  type ModuleStore,
} from '@budgeting/platform';
import type { SummarySpendingPort } from '../contract';
import { budgetThresholdCrossed } from '../events';
import { budgetFromItem } from '../repository/items';
import type { BudgetsRepository } from '../repository/budgets.repository';
import type { TransactItem } from '../repository/keys';
import type { ThresholdsRepository } from '../repository/thresholds.repository';
import { periodContaining } from '../domain/periods';
import { budgetInPeriod } from '../domain/period-limits';
import { crossingsNow, sameCrossing, type Crossing } from '../domain/thresholds';

/**
 * Publishes budget.threshold_crossed when spending in a period first reaches an alert
 * threshold: exactly once per (budget, period, scope, threshold).
 *
 * It is level-triggered: on an expense event it reads the period's spending NOW (running
 * totals, a bounded number of requests) and the markers of thresholds already announced,
 * and announces every threshold reached that has no marker. So order and duplicates of
 * expense events do not matter, and a crossing caused by something else (a lowered limit)
 * is announced with the next expense event of that period. One consequence: spending that
 * crosses and falls back below before the event is handled announces nothing.
 *
 * Exactly once: each announcement is a marker (attribute_not_exists) + its outbox item in
 * one transaction with the inbox item and a check that the budget is unchanged. A racing
 * delivery that announced the same threshold first makes ours fail as a whole; we then
 * re-read and announce only what is still missing.
 *
 * Cost: most expense events reach no new threshold, and then the check is ONE request and
 * writes nothing: the budget and the calendar month's totals (by key) travel in one strongly
 * consistent BatchGetItem (platform request-reads). For a monthly budget that month is the
 * period; a weekly or yearly one reads its period's totals with a Query after (two requests,
 * the month's 4 small items read for nothing). No inbox lookup first and no inbox item
 * for such an event: being level-triggered, a redelivery just reads again and finds the same
 * (or announces what a later write made reachable, which is due anyway). The markers are what
 * make announcements exactly once; the inbox item rides along only when something is written.
 * The markers are read only when some threshold is reached.
 */
export interface ThresholdCheckDeps {
  store: ModuleStore;
  clock: Clock;
  budgets: BudgetsRepository;
  thresholds: ThresholdsRepository;
  spending: SummarySpendingPort;
}

/** How often a delivery recomputes after losing a race, before failing (EventBridge retries it later). */
const MAX_ATTEMPTS = 5;
/** A transaction holds 100 items: the budget check, the inbox item, and 2 per crossing. */
const CROSSINGS_PER_TRANSACTION = 48;

export class ThresholdCheck {
  constructor(private readonly d: ThresholdCheckDeps) {}

  /** Re-checks the period of `budgetId` containing `day`, once per event for `subscription`. */
  async afterExpenseEvent(subscription: string, event: EventEnvelope, budgetId: string, day: string): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      const items = await this.announcements(budgetId, day);
      if (items.length === 0) return;
      try {
        await this.d.store.transactWrite([...items, inboxPut(this.d.store, subscription, event.id, this.d.clock)]);
        return;
      } catch (err) {
        // This very event was handled already (a concurrent duplicate delivery): done.
        if (conditionFailedAt(err, items.length)) return;
        // Lost a race (a marker announced meanwhile, the budget changed): recompute from fresh reads.
        if (attempt >= MAX_ATTEMPTS || !isCancelledByCondition(err)) throw err;
      }
    }
  }

  /**
   * The transaction items announcing every threshold reached and not yet announced (none
   * when the budget is gone). Should they not fit in one transaction with the inbox item,
   * the first ones are committed here already; their markers make a retry skip them.
   */
  private async announcements(budgetId: string, day: string): Promise<TransactItem[]> {
    const { item, monthTotals } = await this.budgetAndMonthTotals(budgetId, day);
    if (!item) return [];
    const budget = budgetFromItem(item);
    const period = periodContaining(budget.period, day);
    const totals = budget.period === 'monthly' && monthTotals ? await monthTotals : await this.d.spending.totalsBetween(budgetId, period.start, period.end);
    // Thresholds are percents of the limits IN this period (limit history, then "Move money" overrides).
    const reached = crossingsNow(budgetInPeriod(budget, period), totals);
    if (reached.length === 0) return [];
    const markers = await this.d.thresholds.forPeriod(budgetId, period);
    const fresh = reached.filter((c) => !markers.some((m) => sameCrossing(c, m)));
    if (fresh.length === 0) return [];

    const guard = this.d.thresholds.budgetUnchanged(budgetId, budget.version);
    const chunks: Crossing[][] = [];
    for (let i = 0; i < fresh.length; i += CROSSINGS_PER_TRANSACTION) chunks.push(fresh.slice(i, i + CROSSINGS_PER_TRANSACTION));
    const items = async (chunk: Crossing[]) => [guard, ...(await Promise.all(chunk.map((c) => this.announce(budgetId, period, c)))).flat()];
    for (const chunk of chunks.slice(0, -1)) await this.d.store.transactWrite(await items(chunk));
    return items(chunks[chunks.length - 1]!); // afterExpenseEvent appends the inbox item
  }

  /**
   * The budget and (when the port can read by key) the totals of the calendar month of `day`,
   * in one BatchGetItem: the budget's read is queued (deferReads) and the month's key read
   * takes it along. Both strongly consistent, as two separate reads would be.
   */
  private async budgetAndMonthTotals(budgetId: string, day: string) {
    const byKey = this.d.spending.monthTotalsByKey;
    if (!byKey) return { item: await this.d.budgets.getItem(budgetId), monthTotals: undefined };
    return withRequestReads(async () => {
      const item = deferReads(() => this.d.budgets.getItem(budgetId));
      const monthTotals = byKey.call(this.d.spending, budgetId, day.slice(0, 7));
      // Observed now: a weekly or yearly budget does not await it.
      monthTotals.catch(() => undefined);
      return { item: await item, monthTotals: monthTotals as Promise<Awaited<typeof monthTotals>> | undefined };
    });
  }

  private async announce(budgetId: string, period: { start: string; end: string }, c: Crossing): Promise<TransactItem[]> {
    const data = {
      budgetId,
      periodStart: period.start,
      periodEnd: period.end,
      scope: c.scope,
      categoryId: c.categoryId,
      threshold: c.threshold,
      spent: c.spent,
      limit: c.limit,
    };
    const published = await createEvent(budgetThresholdCrossed, data, this.d.clock);
    return [
      this.d.thresholds.put({
        ...data,
        eventId: published.id,
        crossedAt: published.occurredAt,
      }),
      outboxPut(this.d.store, budgetThresholdCrossed, published),
    ];
  }
}

function isCancelledByCondition(err: unknown): boolean {
  const e = err as { name?: string; CancellationReasons?: { Code?: string }[] };
  return e?.name === 'TransactionCanceledException' && (e.CancellationReasons ?? []).some((r) => r.Code === 'ConditionalCheckFailed');
}
