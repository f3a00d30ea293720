import type { AppEnv } from '@budgeting/platform';
import type { RouteHandler } from '@hono/zod-openapi';
import type { PushedItem, PushService } from '../service/push.service';
import { present } from './expenses.handlers';
import { presentIncome } from './income.handlers';
import { presentRecurring } from './recurring.handlers';
import { presentRecurringIncome } from './recurring-income.handlers';
import type * as routes from './push.routes';

export function pushHandlers(service: PushService) {
  const pushChanges: RouteHandler<typeof routes.pushChanges, AppEnv> = async (c) => {
    const { budgetId } = c.req.valid('param');
    const { results, serverKnowledge } = await service.push(budgetId, c.get('userId'), c.req.valid('json'), c.get('idempotentResourceId'), c.req.valid('query').since);
    const shaped = results.map((r) => {
      // The item under its kind's name (`expense`, `income`, `recurringExpense`, `recurringIncome`), as its route shows it.
      // A recordNext's also the entry it recorded (`expense` beside `recurringExpense`, `income` beside `recurringIncome`).
      if ('stored' in r) return { status: r.status, ...applied(r.stored), ...(r.recorded ? applied(r.recorded) : {}), version: r.version };
      // `kind` tells the server's copy apart, as in GET /changes (a discriminator for generated clients).
      if (r.status === 'conflict') return { status: r.status, current: 'deleted' in r.current ? { kind: 'deleted' as const, ...r.current } : conflicting(r.current) };
      return r;
    });
    return c.json({ results: shaped, serverKnowledge }, 200);
  };
  return { pushChanges };
}

function applied(s: PushedItem) {
  switch (s.kind) {
    case 'expense':
      return { expense: present(s.item) };
    case 'income':
      return { income: presentIncome(s.item) };
    case 'recurringExpense':
      return { recurringExpense: presentRecurring(s.item) };
    case 'recurringIncome':
      return { recurringIncome: presentRecurringIncome(s.item) };
  }
}

function conflicting(s: PushedItem) {
  switch (s.kind) {
    case 'expense':
      return { kind: s.kind, ...present(s.item) };
    case 'income':
      return { kind: s.kind, ...presentIncome(s.item) };
    case 'recurringExpense':
      return { kind: s.kind, ...presentRecurring(s.item) };
    case 'recurringIncome':
      return { kind: s.kind, ...presentRecurringIncome(s.item) };
  }
}
