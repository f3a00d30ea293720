import { createRouter } from '@budgeting/platform';
import type { PushService } from '../service/push.service';
import { present } from './expenses.handlers';
import type { pushRoutes } from './push.routes';

export function pushRouter(routes: ReturnType<typeof pushRoutes>, service: PushService) {
  const router = createRouter();
  router.openapi(routes.pushChanges, async (c) => {
    const { budgetId } = c.req.valid('param');
    const { results, serverKnowledge } = await service.push(budgetId, c.get('userId'), c.req.valid('json'), c.get('idempotentResourceId'));
    const shaped = results.map((r) => {
      if ('expense' in r) return { ...r, expense: present(r.expense) };
      if (r.status === 'conflict' && !('deleted' in r.current)) return { ...r, current: present(r.current) };
      return r;
    });
    return c.json({ results: shaped, serverKnowledge }, 200);
  });
  return router;
}
