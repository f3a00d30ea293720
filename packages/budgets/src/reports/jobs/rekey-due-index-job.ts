import { isConditionFailed, type FanOutJob, type ModuleStore, type PlanPage } from '@budgeting/platform';
import type { BudgetsKeys } from '../../repository/keys';
import type { ReportScheduleRepository } from '../repository/report-schedule.repository';

/**
 * One-off operator job: `npm run job -- budgets-rekey-due-index`. Before issue 10 the report
 * due index was ONE partition, `budgets#reports-due`, keyed by a local date
 * (`budgets#due#<date>#<id>`); the report planner now reads only the 16 write-sharded
 * partitions keyed by instant, so a budget still indexed the old way would never be reported
 * again. The planner pages that old partition (nothing else: O(old entries)); each unit moves
 * one budget's entry to RECHECK in its new shard, conditionally on it still being the old one,
 * so the next report tick recomputes its true due instant (and writes any report it missed).
 * Running it twice, or concurrently with the report job, changes nothing more.
 *
 * Recurring definitions need no such job: their old entries are in `expenses#due#0..3`, a
 * subset of the 16 shards the recurring planner reads, and a date-only sort key falls inside
 * the planner's range from the first tick of that UTC day, so each is read once and re-keyed
 * by the write that records (or, not due yet in its zone, re-keys) it. See the expenses README.
 */
export const REKEY_DUE_INDEX = 'budgets-rekey-due-index';

const PAGE_SIZE = 100;

export interface RekeyUnit {
  budgetId: string;
}

export function rekeyDueIndexJob(d: { store: ModuleStore; keys: BudgetsKeys; schedule: ReportScheduleRepository }): FanOutJob<RekeyUnit> {
  const legacyPk = d.keys.legacyReportDuePk;
  return {
    name: REKEY_DUE_INDEX,
    async plan(_now, cursor): Promise<PlanPage<RekeyUnit>> {
      const { items, lastKey } = await d.store.query<{ id: string }>({
        IndexName: 'gsi2',
        KeyConditionExpression: 'gsi2pk = :pk',
        ExpressionAttributeValues: { ':pk': legacyPk },
        ProjectionExpression: 'id',
        Limit: PAGE_SIZE,
        ExclusiveStartKey: cursor ? (JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as Record<string, unknown>) : undefined,
      });
      return {
        units: items.map((i) => ({ budgetId: i.id })),
        ...(lastKey ? { cursor: Buffer.from(JSON.stringify(lastKey)).toString('base64url') } : {}),
      };
    },
    async work(unit) {
      const entry = d.schedule.recheckAttributes(unit.budgetId);
      try {
        await d.store.update({
          Key: d.keys.budget(unit.budgetId),
          UpdateExpression: 'SET gsi2pk = :pk, gsi2sk = :sk',
          ConditionExpression: 'gsi2pk = :legacy',
          ExpressionAttributeValues: { ':pk': entry.gsi2pk, ':sk': entry.gsi2sk, ':legacy': legacyPk },
        });
        return { done: 1 };
      } catch (err) {
        if (isConditionFailed(err)) return {}; // re-keyed already (a second run), or deleted
        throw err;
      }
    },
    parseUnit(raw) {
      const unit = raw as Partial<RekeyUnit> | null;
      if (!unit || typeof unit.budgetId !== 'string' || unit.budgetId.length === 0) throw new Error('rekey unit needs a budgetId');
      return { budgetId: unit.budgetId };
    },
  };
}
