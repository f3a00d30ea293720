import type { AppEnv } from '@budgeting/platform';
import type { RouteHandler } from '@hono/zod-openapi';
import type { PushService } from '../service/push.service';
import { present } from './expenses.handlers';
import { presentIncome } from './income.handlers';
import type * as routes from './push.routes';

export function pushHandlers(service: PushService) {
  const pushChanges: RouteHandler<typeof routes.pushChanges, AppEnv> = async (c) => {
    const { budgetId } = c.req.valid('param');
    const { results, serverKnowledge } = await service.push(budgetId, c.get('userId'), c.req.valid('json'), c.get('idempotentResourceId'), c.req.valid('query').since);
    const shaped = results.map((r) => {
      if ('expense' in r) return { ...r, expense: present(r.expense) };
      if ('income' in r) return { ...r, income: presentIncome(r.income) };
      // `kind` tells the server's copy apart, as in GET /changes (a discriminator for generated clients).
      if (r.status === 'conflict' && 'type' in r) return { status: r.status, current: { kind: 'income' as const, ...presentIncome(r.current) } };
      if (r.status === 'conflict') {
        return { ...r, current: 'deleted' in r.current ? { kind: 'deleted' as const, ...r.current } : { kind: 'expense' as const, ...present(r.current) } };
      }
      return r;
    });
    return c.json({ results: shaped, serverKnowledge }, 200);
  };
  return { pushChanges };
}
