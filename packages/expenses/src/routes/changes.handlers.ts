import type { AppEnv } from '@budgeting/platform';
import type { RouteHandler } from '@hono/zod-openapi';
import type { ChangesService } from '../service/changes.service';
import { present } from './expenses.handlers';
import { presentIncome } from './income.handlers';
import type * as routes from './changes.routes';

export function changesHandlers(service: ChangesService) {
  const getChanges: RouteHandler<typeof routes.getChanges, AppEnv> = async (c) => {
    const { budgetId } = c.req.valid('param');
    const page = await service.changes(budgetId, c.get('userId'), c.req.valid('query'));
    const expenses = page.expenses.map((e) => ('deleted' in e ? { kind: 'deleted' as const, ...e } : { kind: 'expense' as const, ...present(e) }));
    const income = page.income.map((i) => ('deleted' in i ? { kind: 'deleted' as const, ...i } : { kind: 'income' as const, ...presentIncome(i) }));
    // Only when an income entry changed: a sync of expenses alone answers as before income was synced.
    return c.json({ ...page, expenses, ...(income.length > 0 ? { income } : { income: undefined }) }, 200);
  };

  return { getChanges };
}
