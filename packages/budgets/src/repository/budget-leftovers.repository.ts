import { firstKeysOf, type Key, type ModuleStore } from '@budgeting/platform';
import { budgetsKeys } from './keys';

/**
 * What a deleted budget leaves in the budgets module's own partitions besides its budget
 * partition (which the DELETE's transaction empties): its threshold and pace markers, its
 * reports, its invitations, its recorded settle-up payments and its former members' last
 * membership versions, slice by slice for the
 * `budgets-budget-cleanup` job (jobs/budget-cleanup-job.ts). Markers are never taken back and
 * reports are kept, so a budget gathers them with every period: nothing bounds them but the
 * budget's age. None can be added after the deletion (each is written only while the budget
 * exists: ThresholdsRepository, ReportsService.save, InvitationsRepository.create and
 * SettlementsRepository.create; a former member's by a removal, which needs the budget), so what a slice no longer finds is gone for good, and the
 * cleanup needs no cursor.
 */
export class BudgetLeftovers {
  private readonly partitions: (budgetId: string) => string[];

  constructor(private readonly store: ModuleStore) {
    const keys = budgetsKeys(store);
    this.partitions = (budgetId) => [keys.thresholdPk(budgetId), keys.reportsPk(budgetId), keys.invitationsPk(budgetId), keys.settlementsPk(budgetId), keys.formerMembersPk(budgetId)];
  }

  /** Up to `limit` keys of what is left (strongly consistent, one partition at a time); [] when nothing is. */
  slice(budgetId: string, limit: number): Promise<Key[]> {
    return firstKeysOf(this.store, this.partitions(budgetId), limit);
  }
}
