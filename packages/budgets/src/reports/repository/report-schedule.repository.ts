import { addDays, dueInstant, startOfDayIn, type ModuleStore } from '@budgeting/platform';
import type { Budget } from '../../model';
import { firstPeriodOf, periodContaining, type Period } from '../../domain/periods';
import type { BudgetItem } from '../../repository/items';
import { REPORT_DUE_SHARDS, type BudgetsKeys, type TransactItem } from '../../repository/keys';
import { toPage, type Page } from '../../repository/page';
import { sampleDueShard } from './due-index-sample';

/**
 * Where the report job keeps its place, on the budget item itself:
 * - `reportsThrough`: the last day covered by the job's reports (before the first one: the
 *   day before the budget's first period);
 * - the due index (gsi2), write-sharded: `budgets#reports-due#<shard>` /
 *   `budgets#due#<instant>#<budgetId>`, where <instant> is the UTC instant at which the day
 *   after the next reported period begins in the budget's own time zone.
 * So a tick reads exactly the budgets that are due (one Query per shard up to the tick's
 * instant), never a budget whose local day has not come yet, never the whole table. The index
 * entry may be EARLIER than the true due instant (a changed period kind or time zone sets it
 * to RECHECK; the job then finds nothing to do and moves it on), never later, so no report is
 * ever missed.
 */
export const RECHECK = '0000-00-00T00:00:00Z';

/** The instant a report falls due: the start of its local due day, in UTC. */
export const dueAt = (due: string, timezone: string): string => dueInstant(startOfDayIn(due, timezone));

/**
 * The period after `reportsThrough` and the day its report falls due. Never one before the
 * budget's first period: after a change of period kind (yearly to monthly, say) the reports
 * go on from the first period of the new kind the budget existed in, not from January.
 */
export function nextReport(budget: Budget, reportsThrough: string): { period: Period; due: string } {
  const after = addDays(reportsThrough, 1);
  const first = firstPeriodOf(budget).start;
  const next = periodContaining(budget.period, after > first ? after : first);
  return { period: next, due: addDays(next.end, 1) };
}

/** Where a budget's reports start: the day before its first period. */
export const initialReportsThrough = (budget: Budget): string => addDays(firstPeriodOf(budget).start, -1);

export class ReportScheduleRepository {
  constructor(
    private readonly store: ModuleStore,
    private readonly keys: BudgetsKeys,
  ) {}

  /** The attributes a new budget item starts with. */
  initialAttributes(budget: Budget): Record<string, string> {
    const through = initialReportsThrough(budget);
    return { reportsThrough: through, ...this.keys.reportDue(budget.id, dueAt(nextReport(budget, through).due, budget.timezone)) };
  }

  /** The index entry that makes the job look at the budget on its next tick (its period kind or time zone changed). */
  recheckAttributes(budgetId: string): Record<string, string> {
    return this.keys.reportDue(budgetId, RECHECK);
  }

  /**
   * A page of one shard's due entries up to the instant `at`, earliest first. The index is
   * eventually consistent: the job re-reads each budget before acting.
   */
  async due(shard: number, at: string, limit: number, startKey?: Record<string, unknown>): Promise<Page<{ id: string; dueAt: string }>> {
    const { lo, hi } = this.keys.reportDueRange(at);
    const { items, lastKey } = await this.store.query<{ id: string; gsi2sk: string } & Record<string, unknown>>({
      IndexName: 'gsi2',
      KeyConditionExpression: 'gsi2pk = :pk AND gsi2sk BETWEEN :lo AND :hi',
      ExpressionAttributeValues: { ':pk': this.keys.reportDuePk(shard), ':lo': lo, ':hi': hi },
      ProjectionExpression: 'pk, sk, gsi2pk, gsi2sk, id',
      Limit: limit + 1,
      ExclusiveStartKey: startKey,
    });
    return toPage(items, limit, ['pk', 'sk', 'gsi2pk', 'gsi2sk'], (i) => ({ id: i.id, dueAt: this.keys.reportDueAt(i.gsi2sk) }), lastKey);
  }

  readonly shards = REPORT_DUE_SHARDS;

  /** Up to `count` ids of one shard from a random point (due-index-sample.ts). */
  sample(shard: number, count: number, random: () => number): Promise<string[]> {
    return sampleDueShard(this.store, this.keys, shard, count, random, RECHECK);
  }

  /**
   * Moves the budget's place from `item`'s reportsThrough to `through` (due `due`), only if no
   * one moved it meanwhile and the budget still exists: joins the report's transaction.
   */
  advance(item: BudgetItem, through: string, due: string): TransactItem {
    return { Update: this.move(item, through, due) };
  }

  /** The same move on its own (the report existed already, or only the due date changes); false if someone moved first. */
  async moveAlone(item: BudgetItem, through: string, due: string): Promise<boolean> {
    return this.store.updateIf(this.move(item, through, due));
  }

  private move(item: BudgetItem, through: string, due: string) {
    const index = this.keys.reportDue(item.id, dueAt(due, item.timezone));
    const read = typeof item.reportsThrough === 'string' ? item.reportsThrough : undefined;
    return {
      Key: this.keys.budget(item.id),
      UpdateExpression: 'SET reportsThrough = :through, gsi2pk = :duePk, gsi2sk = :dueSk',
      // The period kind and time zone `due` and its instant were computed from are still the
      // budget's: a PATCH of either committed since the read set the entry to RECHECK, which a
      // move computed from the old ones would overwrite with a LATER instant (the new kind's
      // reports late until then). Losing here leaves RECHECK: the next tick re-reads.
      ConditionExpression: `${read === undefined ? 'attribute_exists(pk) AND attribute_not_exists(reportsThrough)' : 'attribute_exists(pk) AND reportsThrough = :read'} AND #period = :period AND #timezone = :timezone`,
      ExpressionAttributeNames: { '#period': 'period', '#timezone': 'timezone' },
      ExpressionAttributeValues: {
        ':through': through,
        ':duePk': index.gsi2pk,
        ':dueSk': index.gsi2sk,
        ':period': item.period,
        ':timezone': item.timezone,
        ...(read === undefined ? {} : { ':read': read }),
      },
    };
  }

  /** The due instant the item's index entry names (undefined without one). */
  dueAtOf(item: BudgetItem): string | undefined {
    return typeof item.gsi2sk === 'string' ? this.keys.reportDueAt(item.gsi2sk) : undefined;
  }

  /** The gsi2 sort key the item should have for `due` (a local date in its time zone). */
  dueKey(budget: { id: string; timezone: string }, due: string): string {
    return this.keys.reportDue(budget.id, dueAt(due, budget.timezone)).gsi2sk;
  }
}
