import { expectedVersion, pickFields, setEtag, type AppEnv } from '@budgeting/platform';
import type { RouteHandler } from '@hono/zod-openapi';
import type { RecurringExpense } from '../model';
import { paymentsLeft } from '../domain/installments';
import { publicPauses } from '../domain/pause-history';
import type { RecurringService } from '../service/recurring.service';
import { budgetResourceHandlers, type BudgetResourceHandlers } from './budget-resource';
import { present as presentExpense } from './expenses.handlers';
import type { recordNextRecurringExpense, recurringRoutes, skipRecurringExpense } from './recurring.routes';

/**
 * Handlers: take the validated input, call the service, shape the HTTP response. The list, get,
 * update and delete handlers are the ones every budget resource shares (budget-resource.ts);
 * the create is this resource's own: it takes the id the Idempotency-Key middleware chose.
 */
export function recurringHandlers(service: RecurringService) {
  const createRecurring: RouteHandler<typeof recurringRoutes.create, AppEnv> = async (c) => {
    const { budgetId } = c.req.valid('param');
    const created = await service.create(budgetId, c.get('userId'), c.req.valid('json'), c.get('idempotentResourceId'));
    setEtag(c, created.version);
    c.header('Location', `/v1/budgets/${encodeURIComponent(budgetId)}/recurring-expenses/${created.id}`);
    return c.json(presentRecurring(created), 201);
  };

  const skipRecurring: RouteHandler<typeof skipRecurringExpense, AppEnv> = async (c) => {
    const { budgetId, recurringExpenseId } = c.req.valid('param');
    const skipped = await service.skip(budgetId, c.get('userId'), recurringExpenseId, expectedVersion(c));
    setEtag(c, skipped.version);
    return c.json(presentRecurring(skipped), 200);
  };

  const recordNext: RouteHandler<typeof recordNextRecurringExpense, AppEnv> = async (c) => {
    const { budgetId, recurringExpenseId } = c.req.valid('param');
    const { expense, recurringExpense } = await service.recordNext(
      budgetId,
      c.get('userId'),
      recurringExpenseId,
      c.req.valid('json'),
      expectedVersion(c),
      c.get('idempotentResourceId'),
    );
    setEtag(c, recurringExpense.version);
    return c.json({ expense: presentExpense(expense), recurringExpense: presentRecurring(recurringExpense) }, 200);
  };

  const shared: BudgetResourceHandlers<typeof recurringRoutes> = budgetResourceHandlers('recurringExpenseId', service, presentRecurring);
  return { create: createRecurring, skip: skipRecurring, recordNext, ...shared };
}

/** The API shape (GET's; delta sync's too): exactly the RecurringExpense schema's fields (no keys or bookkeeping). */
export function presentRecurring(r: RecurringExpense) {
  const left = paymentsLeft(r);
  return {
    ...pickFields(r, PUBLIC_FIELDS),
    schedule: pickFields(r.schedule, SCHEDULE_FIELDS),
    ...(left !== undefined ? { paymentsLeft: left } : {}),
    pauses: publicPauses(r),
  };
}

const PUBLIC_FIELDS = ['id', 'budgetId', 'amount', 'categoryId', 'splits', 'description', 'merchant', 'tags', 'foreign', 'sharedWith', 'sharedAmounts', 'schedule', 'nextOccurrenceOn', 'paused', 'createdBy', 'version', 'createdAt', 'updatedAt'] as const;
const SCHEDULE_FIELDS = ['frequency', 'interval', 'startsOn', 'endsOn', 'count'] as const;
