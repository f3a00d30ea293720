import { expectedVersion, jsonAnswer, keyCompletion, pickFields, setEtag, type AppEnv } from '@budgeting/platform';
import { expectedNextOccurrence, nextOccurrenceVariant } from './next-occurrence-etag';
import type { RouteHandler } from '@hono/zod-openapi';
import type { RecurringExpense } from '../model';
import { paymentsLeft } from '../domain/installments';
import { publicPauses } from '../domain/pause-history';
import type { RecordedNextExpense, RecurringService } from '../service/recurring.service';
import { budgetResourceHandlers, type BudgetResourceHandlers } from './budget-resource';
import { present as presentExpense } from './expenses.handlers';
import type { recordNextRecurringExpense, recurringRoutes, skipRecurringExpense } from './recurring.routes';

/**
 * Handlers: take the validated input, call the service, shape the HTTP response. The list, get,
 * update and delete handlers are the ones every budget resource shares (budget-resource.ts);
 * the create is this resource's own: it takes the id the Idempotency-Key middleware chose. The
 * create, skip and record-next complete their key in their own transaction (`keyCompletion`:
 * the answer built from what is written, as the income create's).
 */
export function recurringHandlers(service: RecurringService) {
  const createRecurring: RouteHandler<typeof recurringRoutes.create, AppEnv> = async (c) => {
    const { budgetId } = c.req.valid('param');
    const location = (r: RecurringExpense) => `/v1/budgets/${encodeURIComponent(budgetId)}/recurring-expenses/${r.id}`;
    // The key's answer, exactly as answered below, committed with the definition.
    const completeKey = keyCompletion(c, (r: RecurringExpense) => jsonAnswer(201, presentRecurring(r), r.version, location(r), nextOccurrenceVariant(r)));
    const created = await service.create(budgetId, c.get('userId'), c.req.valid('json'), c.get('idempotentResourceId'), false, completeKey);
    setEtag(c, created.version, nextOccurrenceVariant(created));
    c.header('Location', location(created));
    return c.json(presentRecurring(created), 201);
  };

  const skipRecurring: RouteHandler<typeof skipRecurringExpense, AppEnv> = async (c) => {
    const { budgetId, recurringExpenseId } = c.req.valid('param');
    const completeKey = keyCompletion(c, (r: RecurringExpense) => jsonAnswer(200, presentRecurring(r), r.version, undefined, nextOccurrenceVariant(r)));
    const skipped = await service.skip(budgetId, c.get('userId'), recurringExpenseId, expectedVersion(c), completeKey, expectedNextOccurrence(c));
    setEtag(c, skipped.version, nextOccurrenceVariant(skipped));
    return c.json(presentRecurring(skipped), 200);
  };

  const recordNext: RouteHandler<typeof recordNextRecurringExpense, AppEnv> = async (c) => {
    const { budgetId, recurringExpenseId } = c.req.valid('param');
    const completeKey = keyCompletion(c, (r: RecordedNextExpense) => jsonAnswer(200, presentRecordedNext(r), r.recurringExpense.version, undefined, nextOccurrenceVariant(r.recurringExpense)));
    const recorded = await service.recordNext(budgetId, c.get('userId'), recurringExpenseId, c.req.valid('json'), expectedVersion(c), c.get('idempotentResourceId'), completeKey, expectedNextOccurrence(c));
    setEtag(c, recorded.recurringExpense.version, nextOccurrenceVariant(recorded.recurringExpense));
    return c.json(presentRecordedNext(recorded), 200);
  };

  const shared: BudgetResourceHandlers<typeof recurringRoutes> = budgetResourceHandlers('recurringExpenseId', service, presentRecurring, nextOccurrenceVariant);
  return { create: createRecurring, skip: skipRecurring, recordNext, ...shared };
}

/** record-next's answer: the expense recorded and the definition moved past it. */
function presentRecordedNext({ expense, recurringExpense }: RecordedNextExpense) {
  return { expense: presentExpense(expense), recurringExpense: presentRecurring(recurringExpense) };
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
