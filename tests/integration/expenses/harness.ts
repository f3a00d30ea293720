import type { BudgetAccess, BudgetRole, BudgetsFacade } from '@budgeting/budgets';
import { createExpensesModule } from '@budgeting/expenses';
import { newId } from '@budgeting/platform';
import { createApp } from '../../../packages/app/src/http/create-app';
import { call } from '../../support/http';
import { createTestSystem, type TestSystem } from '../../support/test-system';

/**
 * TEMPORARY development harness: the expenses module composed with an in-memory budgets
 * facade, until the budgets module's routes exist. Same interface as the real-system one.
 */
export interface User {
  id: string;
  token: string;
}
export interface Budget {
  id: string;
  currency: string;
  categories: { id: string; name: string }[];
}

export async function createHarness() {
  const t = await createTestSystem({ env: { LOG_LEVEL: process.env.DEBUG_LOG ?? 'SILENT' } });
  const budgets = new Map<string, { access: Omit<BudgetAccess, 'role'>; roles: Map<string, BudgetRole> }>();
  const facade: BudgetsFacade = {
    async getAccess(budgetId, userId) {
      const b = budgets.get(budgetId);
      const role = b?.roles.get(userId);
      return b && role ? { ...b.access, role } : null;
    },
  };
  const expenses = createExpensesModule(t.system.deps, { budgets: facade });
  const app = createApp({ logger: t.system.deps.logger, modules: [expenses.runtime], corsOrigins: ['*'] });

  return {
    t,
    app,
    spending: expenses.spending,
    async signup(_label: string): Promise<User> {
      const id = newId();
      return { id, token: await t.system.deps.tokens.sign({ userId: id }) };
    },
    async createBudget(
      owner: User,
      opts: { currency?: string; categories?: string[]; timezone?: string } = {},
    ): Promise<Budget> {
      const id = newId();
      const categories = (opts.categories ?? ['Groceries', 'Transport']).map((name) => ({ id: newId(), name }));
      budgets.set(id, {
        access: {
          budgetId: id,
          currency: opts.currency ?? 'USD',
          timezone: opts.timezone ?? 'UTC',
          period: 'monthly',
          categories,
        },
        roles: new Map([[owner.id, 'owner']]),
      });
      return { id, currency: opts.currency ?? 'USD', categories };
    },
    async addMember(budget: Budget, _owner: User, member: User, role: 'editor' | 'viewer') {
      budgets.get(budget.id)!.roles.set(member.id, role);
    },
    /** Spending of the month containing `date`, as the budget summary reports it. */
    async spent(budget: Budget, _token: string, date: string): Promise<number> {
      const [y, m] = date.split('-').map(Number) as [number, number];
      const last = new Date(Date.UTC(y, m, 0)).getUTCDate();
      return (await expenses.spending.totalsBetween(budget.id, `${date.slice(0, 7)}-01`, `${date.slice(0, 7)}-${last}`)).total;
    },
    call: (method: string, path: string, options: Parameters<typeof call>[3] = {}) => call(app, method, path, options),
    destroy: () => t.destroy(),
  };
}

export type Harness = Awaited<ReturnType<typeof createHarness>>;
export type { TestSystem };
