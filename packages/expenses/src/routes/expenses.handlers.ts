import { etagFor, pickFields, setEtag, type AppEnv, type IdempotentWrite, type StoredResponse } from '@budgeting/platform';
import type { RouteHandler } from '@hono/zod-openapi';
import type { Expense } from '../model';
import type { ExpensesService } from '../service/expenses.service';
import type { KeyAlreadyUsed, KeyedCreate } from '../service/expense-create-key';
import { budgetResourceHandlers, type BudgetResourceHandlers } from './budget-resource';
import type { expenseRoutes } from './expenses.routes';

/**
 * Handlers: take the validated input, call the service, shape the HTTP response. The list, get,
 * update and delete handlers are the ones every budget resource shares (budget-resource.ts);
 * the create is this resource's own: with an Idempotency-Key, the expense takes the key's id
 * and its item holds the answer (ExpensesService.create).
 */
export function expensesHandlers(service: ExpensesService) {
  const createExpense: RouteHandler<typeof expenseRoutes.create, AppEnv> = async (c) => {
    const { budgetId } = c.req.valid('param');
    const location = (e: Expense) => `/v1/budgets/${encodeURIComponent(budgetId)}/expenses/${e.id}`;
    const answer = (e: Expense): StoredResponse => ({
      status: 201,
      headers: { 'content-type': 'application/json', etag: etagFor(e.version), location: location(e) },
      body: JSON.stringify(present(e)),
    });
    const key = c.get('idempotentWrite');
    const created = await service.create(budgetId, c.get('userId'), c.req.valid('json'), key && keyedCreate(key, answer));
    // The stored answer of this very route (201, an ExpenseSchema body), as the first attempt gave it.
    if (isKeyAlreadyUsed(created)) return (created.replay === 'key-record' ? await key!.replay() : key!.replayHeld(created.replay)) as never;
    setEtag(c, created.version);
    c.header('Location', location(created));
    return c.json(present(created), 201);
  };

  const shared: BudgetResourceHandlers<typeof expenseRoutes> = budgetResourceHandlers('expenseId', service, present);
  return { create: createExpense, ...shared };
}

/** The request's Idempotency-Key as the create needs it, answering `answer(expense)`. */
function keyedCreate(key: IdempotentWrite, answer: (e: Expense) => StoredResponse): KeyedCreate {
  return {
    expenseId: key.resourceId,
    holderId: key.holderId,
    recordOnItem: (e) => key.recordOnItem(answer(e)),
    liveRecordOf: (stored) => key.liveRecordOf(stored),
    recordItem: (e) => key.record(answer(e)),
    recordItemUsed: () => key.recorded(),
  };
}

const isKeyAlreadyUsed = (outcome: Expense | KeyAlreadyUsed): outcome is KeyAlreadyUsed => 'replay' in outcome;

/** The API shape: exactly the Expense schema's fields (no keys or bookkeeping). */
export function present(e: Expense) {
  return pickFields(e, PUBLIC_FIELDS);
}

const PUBLIC_FIELDS = ['id', 'budgetId', 'amount', 'categoryId', 'splits', 'occurredOn', 'description', 'merchant', 'tags', 'foreign', 'sharedWith', 'sharedAmounts', 'reviewed', 'refund', 'recurringExpenseId', 'createdBy', 'version', 'createdAt', 'updatedAt'] as const;
