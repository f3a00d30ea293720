import type { ModuleStore } from '@budgeting/platform';
import { totalsVerifyKeys } from './keys';

/**
 * Where the daily totals verification's sweep over every budget goes on (jobs/totals-verify-job.ts):
 * the BudgetsFacade.allBudgetIds page to read (`from`; absent: the first page) and how many of
 * that page's ids were taken already (`skip`: a day's bound may end inside a page).
 */
export interface SweepPosition {
  from?: string;
  skip: number;
}

/** The one item that holds the sweep's place (keys.ts, "Totals sweep place"): a GetItem and a PutItem, each under 1 KB. */
export class TotalsVerifyPosition {
  private readonly key: { pk: string; sk: string };

  constructor(private readonly store: ModuleStore) {
    this.key = totalsVerifyKeys(store).position();
  }

  /** The place the last run left (strongly consistent); the sweep's start before the first run. */
  async read(): Promise<SweepPosition> {
    const item = await this.store.get({ Key: this.key, ConsistentRead: true });
    if (!item) return { skip: 0 };
    return { ...(typeof item.from === 'string' ? { from: item.from } : {}), skip: Number(item.skip ?? 0) };
  }

  /** Keeps `position` (overwriting the last: only the daily planner writes it). `at`: the tick, for an operator reading the item. */
  async write(position: SweepPosition, at: Date): Promise<void> {
    await this.store.put({ Item: { ...this.key, kind: 'totals-verify-position', ...position, at: at.toISOString() } });
  }
}
