import type { BudgetAccess, BudgetsFacade } from '../contract';
import type { BudgetsRepository } from '../repository/budgets.repository';
import type { MembersRepository } from '../repository/members.repository';
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
