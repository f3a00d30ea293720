import { createRouter } from '@budgeting/platform';
import type { ChangesService } from '../service/changes.service';
import type { changesRoutes } from './changes.routes';
import { present } from './expenses.handlers';

export function changesRouter(routes: ReturnType<typeof changesRoutes>, service: ChangesService) {
  const router = createRouter();
  router.openapi(routes.getChanges, async (c) => {
    const { budgetId } = c.req.valid('param');
    const page = await service.changes(budgetId, c.get('userId'), c.req.valid('query'));
    const expenses = page.expenses.map((e) => ('deleted' in e ? { kind: 'deleted' as const, ...e } : { kind: 'expense' as const, ...present(e) }));
    return c.json({ ...page, expenses }, 200);
  });
  return router;
}
