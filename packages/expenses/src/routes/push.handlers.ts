import type { AppEnv } from '@budgeting/platform';
import type { RouteHandler } from '@hono/zod-openapi';
import type { PushService } from '../service/push.service';
import { present } from './expenses.handlers';
import type * as routes from './push.routes';

export function pushHandlers(service: PushService) {
  const pushChanges: RouteHandler<typeof routes.pushChanges, AppEnv> = async (c) => {
    const { budgetId } = c.req.valid('param');
    const { results, serverKnowledge } = await service.push(budgetId, c.get('userId'), c.req.valid('json'), c.get('idempotentResourceId'));
    const shaped = results.map((r) => {
      if ('expense' in r) return { ...r, expense: present(r.expense) };
      if (r.status === 'conflict' && !('deleted' in r.current)) return { ...r, current: present(r.current) };
      return r;
    });
    return c.json({ results: shaped, serverKnowledge }, 200);
  };
  return { pushChanges };
}
