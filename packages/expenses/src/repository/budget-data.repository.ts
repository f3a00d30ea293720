import { firstKeysOf, type Key, type ModuleStore } from '@budgeting/platform';
import { changeKeys, expenseKeys, totalsKeys, totalsRepairKeys } from './keys';

/**
 * A deleted budget's data, slice by slice: its expense partition (expenses, recurring
 * definitions, occurrence and import markers), its running totals, its change log and the
 * totals repairs' audit records (kept two years, but not past the budget). The
 * cleanup deletes what a slice names and asks again; what is gone is not returned again, so
 * the cleanup needs no cursor and any number of invocations can share the work.
 */
export class BudgetDataRepository {
  private readonly partitions: (budgetId: string) => string[];

  constructor(private readonly store: ModuleStore) {
    const expenses = expenseKeys(store);
    const totals = totalsKeys(store);
    const changes = changeKeys(store);
    const repairs = totalsRepairKeys(store);
    this.partitions = (budgetId) => [expenses.budgetPk(budgetId), totals.totalsPk(budgetId), changes.changesPk(budgetId), repairs.repairsPk(budgetId)];
  }

  /** Up to `limit` keys of what is left of the budget's data (strongly consistent); [] when nothing is. */
  slice(budgetId: string, limit: number): Promise<Key[]> {
    return firstKeysOf(this.store, this.partitions(budgetId), limit);
  }
}
