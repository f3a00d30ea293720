import type { BudgetAccess, BudgetsFacade, BudgetWatchersFacade } from '../contract';
import type { BudgetsRepository } from '../repository/budgets.repository';
import type { MembersRepository } from '../repository/members.repository';
import type { WatchersRepository } from '../repository/watchers.repository';
import type { Clock } from '@budgeting/platform';
import type { AccessService } from './access';
import { budgetView } from './budget-view';

/** What other modules may ask of budgets (see contract.ts). */
export function createBudgetsFacade(access: AccessService, members: MembersRepository, budgets: BudgetsRepository): BudgetsFacade {
  return {
    // One BatchGetItem (budget + membership), strongly consistent.
    async getAccess(budgetId, userId): Promise<BudgetAccess | null> {
      const found = await access.find(budgetId, userId);
      if (!found) return null;
      const { budget, role } = found;
      return {
        budgetId: budget.id,
        role,
        currency: budget.currency,
        timezone: budget.timezone,
        period: budget.period,
        categories: budget.categories.map((c) => ({ ...c })),
        budget: budgetView(found),
      };
    },
    memberIds: (budgetId) => members.allUserIds(budgetId),
    writeChecks: (budgetId, userId, value) => budgets.writeChecks(budgetId, userId, value),
  };
}

/** The watchers hint for the webhooks fan-out (see BudgetWatchersFacade). */
export function createWatchersFacade(members: MembersRepository, watchers: WatchersRepository, clock: Clock): BudgetWatchersFacade {
  return {
    eventWatchers: (budgetId) => watchers.get(budgetId),
    recordEventWatchers: (budgetId, ids, gen) => watchers.record(budgetId, ids, gen, clock.now()),
    addEventWatcher: (budgetIds, userId) => watchers.add(budgetIds, userId, clock.now()),
    async budgetIdsOf(userId) {
      const ids: string[] = [];
      let startKey: Record<string, unknown> | undefined;
      do {
        const page = await members.listForUser(userId, 100, startKey);
        ids.push(...page.items.map((m) => m.budgetId));
        startKey = page.lastKey;
      } while (startKey);
      return ids;
    },
  };
}
