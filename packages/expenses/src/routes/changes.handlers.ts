import type { AppEnv } from '@budgeting/platform';
import type { RouteHandler } from '@hono/zod-openapi';
import type { ChangesService } from '../service/changes.service';
import { present } from './expenses.handlers';
import { presentIncome } from './income.handlers';
import { presentRecurring } from './recurring.handlers';
import { presentRecurringIncome } from './recurring-income.handlers';
import type * as routes from './changes.routes';

export function changesHandlers(service: ChangesService) {
  const getChanges: RouteHandler<typeof routes.getChanges, AppEnv> = async (c) => {
    const { budgetId } = c.req.valid('param');
    const page = await service.changes(budgetId, c.get('userId'), c.req.valid('query'));
    const expenses = page.expenses.map((e) => ('deleted' in e ? { kind: 'deleted' as const, ...e } : { kind: 'expense' as const, ...present(e) }));
    const income = page.income.map((i) => ('deleted' in i ? { kind: 'deleted' as const, ...i } : { kind: 'income' as const, ...presentIncome(i) }));
    const recurringExpenses = page.recurringExpenses.map((r) => ('deleted' in r ? { kind: 'deleted' as const, ...r } : { kind: 'recurringExpense' as const, ...presentRecurring(r) }));
    const recurringIncome = page.recurringIncome.map((r) => ('deleted' in r ? { kind: 'deleted' as const, ...r } : { kind: 'recurringIncome' as const, ...presentRecurringIncome(r) }));
    // Each only when something of its kind changed: a sync of expenses alone answers as before income and definitions were synced.
    return c.json(
      {
        ...page,
        expenses,
        income: income.length > 0 ? income : undefined,
        recurringExpenses: recurringExpenses.length > 0 ? recurringExpenses : undefined,
        recurringIncome: recurringIncome.length > 0 ? recurringIncome : undefined,
      },
      200,
    );
  };

  return { getChanges };
}
