import { expectedVersion, pickFields, setEtag, type AppEnv } from '@budgeting/platform';
import type { RouteHandler } from '@hono/zod-openapi';
import type { RecurringExpense } from '../model';
import type { RecurringService } from '../service/recurring.service';
import type * as routes from './recurring.routes';

/** Handlers: take the validated input, call the service, shape the HTTP response. */
// The same steps as expenses.handlers.ts, typed by this module's routes: see the note there.
export function recurringHandlers(service: RecurringService) {
  const createRecurring: RouteHandler<typeof routes.createRecurring, AppEnv> = async (c) => {
    const { budgetId } = c.req.valid('param');
    const created = await service.create(budgetId, c.get('userId'), c.req.valid('json'), c.get('idempotentResourceId'));
    setEtag(c, created.version);
    c.header('Location', `/v1/budgets/${encodeURIComponent(budgetId)}/recurring-expenses/${created.id}`);
    return c.json(present(created), 201);
  };

  const listRecurring: RouteHandler<typeof routes.listRecurring, AppEnv> = async (c) => {
    const { budgetId } = c.req.valid('param');
    const page = await service.list(budgetId, c.get('userId'), c.req.valid('query'));
    return c.json({ items: page.items.map(present), nextCursor: page.nextCursor }, 200);
  };

  const getRecurring: RouteHandler<typeof routes.getRecurring, AppEnv> = async (c) => {
    const { budgetId, recurringExpenseId } = c.req.valid('param');
    const found = await service.get(budgetId, c.get('userId'), recurringExpenseId);
    setEtag(c, found.version);
    return c.json(present(found), 200);
  };

  const updateRecurring: RouteHandler<typeof routes.updateRecurring, AppEnv> = async (c) => {
    const { budgetId, recurringExpenseId } = c.req.valid('param');
    const ifMatch = expectedVersion(c);
    const changed = await service.update(budgetId, c.get('userId'), recurringExpenseId, c.req.valid('json'), ifMatch);
    setEtag(c, changed.version);
    return c.json(present(changed), 200);
  };

  const deleteRecurring: RouteHandler<typeof routes.deleteRecurring, AppEnv> = async (c) => {
    const { budgetId, recurringExpenseId } = c.req.valid('param');
    await service.remove(budgetId, c.get('userId'), recurringExpenseId, expectedVersion(c));
    return c.body(null, 204);
  };

  return { createRecurring, listRecurring, getRecurring, updateRecurring, deleteRecurring };
}

/** The API shape: exactly the RecurringExpense schema's fields (no keys or bookkeeping). */
function present(r: RecurringExpense) {
  return { ...pickFields(r, PUBLIC_FIELDS), schedule: pickFields(r.schedule, SCHEDULE_FIELDS) };
}

const PUBLIC_FIELDS = ['id', 'budgetId', 'amount', 'categoryId', 'description', 'merchant', 'schedule', 'nextOccurrenceOn', 'createdBy', 'version', 'createdAt', 'updatedAt'] as const;
const SCHEDULE_FIELDS = ['frequency', 'interval', 'startsOn', 'endsOn'] as const;
