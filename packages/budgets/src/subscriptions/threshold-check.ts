import {
  conditionFailedAt,
  createEvent,
  dateInTimeZone,
  deferReads,
  inboxPut,
  isTransactionConditionFailed,
  withRequestReads,
  outboxPut,
  type Clock,
  type EventEnvelope,
  type ModuleStore,
} from '@budgeting/platform';
import type { SummarySpendingPort } from '../contract';
import { budgetOverspendProjected, budgetThresholdCrossed } from '../events';
import type { Budget } from '../model';
import { budgetFromItem } from '../repository/items';
import type { BudgetsRepository } from '../repository/budgets.repository';
import type { TransactItem } from '../repository/keys';
import type { ThresholdsRepository } from '../repository/thresholds.repository';
import { periodContaining } from '../domain/periods';
import { budgetInPeriod } from '../domain/period-limits';
import { crossingsNow, sameCrossing, type Crossing } from '../domain/thresholds';
import { paceDays, type PaceDays } from '../domain/pace-math';
import { overspendProjections, paceAlertsDue, type OverspendProjection } from '../domain/pace-alerts';
import type { SpendingTotals } from '../contract';
import type { SummaryService } from '../service/summary.service';

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
 *
 * Pace alerts (docs/alerts.md "Pace alerts", domain/pace-alerts.ts) ride on the same reads: for a
 * budget with `paceAlerts` on, when the expense's period is the current one (today in the
 * budget's time zone, from the clock) and a quarter of it has elapsed, the summary's own plan
 * turns the totals already read into the lines' figures (no request for a budget without
 * rollover); each line projected over that has no pace marker yet is announced with
 * budget.overspend_projected, its marker and outbox item in the same transaction as the
 * threshold announcements (same guard, same inbox item, same race handling). The pace markers
 * are read (one Query) only when some line is projected over. A budget with rollover (its own
 * or a category's) needs what earlier periods left: one more Query of the running totals, only
 * when opted in and a quarter of the current period has elapsed.
 */
export interface ThresholdCheckDeps {
  store: ModuleStore;
  clock: Clock;
  budgets: BudgetsRepository;
  thresholds: ThresholdsRepository;
  spending: SummarySpendingPort;
  /** The summary's plan: pace alerts judge the very figures GET .../summary shows. */
  summary: Pick<SummaryService, 'plan' | 'totalsOf'>;
}

/** How often a delivery recomputes after losing a race, before failing (EventBridge retries it later). */
const MAX_ATTEMPTS = 5;
/** A transaction holds 100 items: the budget check, the inbox item, and 2 per announcement (crossing or projection). */
const ANNOUNCEMENTS_PER_TRANSACTION = 48;

type Announcement = () => Promise<TransactItem[]>;

export class ThresholdCheck {
  constructor(private readonly d: ThresholdCheckDeps) {}

  /**
   * Re-checks the periods of `budgetId` containing `days` (the expense's day; for a refund moved
   * to another day, also the day it left: see the subscription), once per event for
   * `subscription`: their announcements share one transaction with the inbox item.
   */
  async afterExpenseEvent(subscription: string, event: EventEnvelope, budgetId: string, days: readonly [string, ...string[]]): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      const items = await this.announcements(budgetId, days);
      if (items.length === 0) return;
      try {
        await this.d.store.transactWrite([...items, inboxPut(this.d.store, subscription, event.id, this.d.clock)]);
        return;
      } catch (err) {
        // This very event was handled already (a concurrent duplicate delivery): done.
        if (conditionFailedAt(err, items.length)) return;
        // Lost a race (a marker announced meanwhile, the budget changed): recompute from fresh reads.
        if (attempt >= MAX_ATTEMPTS || !isTransactionConditionFailed(err)) throw err;
      }
    }
  }

  /**
   * The transaction items announcing every threshold reached and every line projected over
   * (pace alerts) not yet announced (none when the budget is gone). Should they not fit in one
   * transaction with the inbox item, the first ones are committed here already; their markers
   * make a retry skip them.
   */
  private async announcements(budgetId: string, days: readonly [string, ...string[]]): Promise<TransactItem[]> {
    const [day, ...others] = days;
    const { item, monthTotals } = await this.budgetAndMonthTotals(budgetId, day);
    if (!item) return [];
    const budget = budgetFromItem(item);
    const period = periodContaining(budget.period, day);
    const totals = budget.period === 'monthly' && monthTotals ? await monthTotals : await this.d.spending.totalsBetween(budgetId, period.start, period.end);
    // Another day's period (a refund moved away from it), when it is another period: its totals read on their own.
    const otherPeriods = others.map((d) => periodContaining(budget.period, d)).filter((p, i, all) => p.start !== period.start && all.findIndex((q) => q.start === p.start) === i);
    const checked = [
      { period, totals },
      ...(await Promise.all(otherPeriods.map(async (p) => ({ period: p, totals: await this.d.spending.totalsBetween(budgetId, p.start, p.end) })))),
    ];
    const fresh: Announcement[] = (await Promise.all(checked.map((c) => this.freshOf(budget, c.period, c.totals)))).flat();
    if (fresh.length === 0) return [];

    const guard = this.d.thresholds.budgetUnchanged(budgetId, budget.version);
    const chunks: Announcement[][] = [];
    for (let i = 0; i < fresh.length; i += ANNOUNCEMENTS_PER_TRANSACTION) chunks.push(fresh.slice(i, i + ANNOUNCEMENTS_PER_TRANSACTION));
    const items = async (chunk: Announcement[]) => [guard, ...(await Promise.all(chunk.map((a) => a()))).flat()];
    for (const chunk of chunks.slice(0, -1)) await this.d.store.transactWrite(await items(chunk));
    return items(chunks[chunks.length - 1]!); // afterExpenseEvent appends the inbox item
  }

  /** The announcements due in one period: its thresholds reached and lines projected over, not announced yet. */
  private async freshOf(budget: Budget, period: { start: string; end: string }, totals: SpendingTotals): Promise<Announcement[]> {
    const [crossings, projections] = await Promise.all([this.freshCrossings(budget, period, totals), this.freshProjections(budget, period, totals)]);
    return [
      ...crossings.map((c) => () => this.announce(budget, period, c)),
      ...projections.map(({ projection, days }) => () => this.announcePace(budget, period, projection, days)),
    ];
  }

  /** The thresholds reached and not announced yet; the markers are read only when one is reached. */
  private async freshCrossings(budget: Budget, period: { start: string; end: string }, totals: SpendingTotals): Promise<Crossing[]> {
    // Thresholds are percents of the limits IN this period (limit history, then the
    // overrides of packages/budgets/docs/periods-and-limits.md "Move money").
    const reached = crossingsNow(budgetInPeriod(budget, period), totals);
    if (reached.length === 0) return [];
    const markers = await this.d.thresholds.forPeriod(budget.id, period);
    return reached.filter((c) => !markers.some((m) => sameCrossing(c, m)));
  }

  /**
   * The lines projected over and not announced yet (pace alerts): none unless the budget opted
   * in, the period is the current one and a quarter of it has elapsed. The pace day is today
   * (the projection is about the days still to come), whatever day the expense is on.
   */
  private async freshProjections(
    budget: Budget,
    period: { start: string; end: string },
    totals: SpendingTotals,
  ): Promise<{ projection: OverspendProjection; days: PaceDays }[]> {
    if (budget.paceAlerts !== true) return [];
    const today = dateInTimeZone(this.d.clock.now(), budget.timezone);
    if (today < period.start || today > period.end) return [];
    const days = paceDays(period, today, today);
    if (!paceAlertsDue(days)) return [];
    const plan = this.d.summary.plan(budget, period, 'occurredOn');
    // Without rollover the plan's one range is this period, whose totals are read already.
    const earlier = plan.ranges.length > 1 ? await this.d.summary.totalsOf(budget.id, plan.ranges.slice(1)) : [];
    let summary;
    try {
      summary = plan.summarize([totals, ...earlier]);
    } catch {
      // Carried amounts past 2^53 - 1 (the summary answers a 400): no pace to judge.
      return [];
    }
    const projected = overspendProjections(summary, days);
    if (projected.length === 0) return [];
    const markers = await this.d.thresholds.paceForPeriod(budget.id, period);
    return projected.filter((p) => !markers.some((m) => m.categoryId === p.categoryId)).map((projection) => ({ projection, days }));
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

  private async announce(budget: Budget, period: { start: string; end: string }, c: Crossing): Promise<TransactItem[]> {
    const budgetId = budget.id;
    const data = {
      budgetId,
      periodStart: period.start,
      periodEnd: period.end,
      scope: c.scope,
      categoryId: c.categoryId,
      threshold: c.threshold,
      spent: c.spent,
      limit: c.limit,
      currency: budget.currency,
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

  private async announcePace(budget: Budget, period: { start: string; end: string }, p: OverspendProjection, days: PaceDays): Promise<TransactItem[]> {
    const data = {
      budgetId: budget.id,
      periodStart: period.start,
      periodEnd: period.end,
      categoryId: p.categoryId,
      limit: p.limit,
      spent: p.spent,
      projected: p.projected,
      daysElapsed: days.daysElapsed,
      daysInPeriod: days.daysInPeriod,
      currency: budget.currency,
    };
    const published = await createEvent(budgetOverspendProjected, data, this.d.clock);
    return [
      this.d.thresholds.pacePut({
        budgetId: budget.id,
        periodStart: period.start,
        periodEnd: period.end,
        categoryId: p.categoryId,
        limit: p.limit,
        spent: p.spent,
        projected: p.projected,
        eventId: published.id,
        projectedAt: published.occurredAt,
      }),
      outboxPut(this.d.store, budgetOverspendProjected, published),
    ];
  }
}
