import { expectedVersion, pickFields, setEtag, type AppEnv } from '@budgeting/platform';
import type { RouteHandler } from '@hono/zod-openapi';
import type { RecurringIncome } from '../model';
import { publicPauses } from '../domain/pause-history';
import type { RecurringIncomeService } from '../service/recurring-income.service';
import { budgetResourceHandlers, type BudgetResourceHandlers } from './budget-resource';
import { presentIncome } from './income.handlers';
import type { listUpcomingIncome, recordNextRecurringIncome, recurringIncomeRoutes, skipRecurringIncome } from './recurring-income.routes';

/**
 * Handlers: the list, get, update and delete every budget resource shares (budget-resource.ts);
 * the create takes the id the Idempotency-Key middleware chose; upcoming is a plain read.
 */
export function recurringIncomeHandlers(service: RecurringIncomeService) {
  const create: RouteHandler<typeof recurringIncomeRoutes.create, AppEnv> = async (c) => {
    const { budgetId } = c.req.valid('param');
    const created = await service.create(budgetId, c.get('userId'), c.req.valid('json'), c.get('idempotentResourceId'));
    setEtag(c, created.version);
    c.header('Location', `/v1/budgets/${encodeURIComponent(budgetId)}/recurring-income/${created.id}`);
    return c.json(presentRecurringIncome(created), 201);
  };
  const upcoming: RouteHandler<typeof listUpcomingIncome, AppEnv> = async (c) =>
    c.json(await service.upcoming(c.req.valid('param').budgetId, c.get('userId'), c.req.valid('query')), 200);
  const skip: RouteHandler<typeof skipRecurringIncome, AppEnv> = async (c) => {
    const { budgetId, recurringIncomeId } = c.req.valid('param');
    const skipped = await service.skip(budgetId, c.get('userId'), recurringIncomeId, expectedVersion(c));
    setEtag(c, skipped.version);
    return c.json(presentRecurringIncome(skipped), 200);
  };
  const recordNext: RouteHandler<typeof recordNextRecurringIncome, AppEnv> = async (c) => {
    const { budgetId, recurringIncomeId } = c.req.valid('param');
    const { income, recurringIncome } = await service.recordNext(budgetId, c.get('userId'), recurringIncomeId, c.req.valid('json'), expectedVersion(c), c.get('idempotentResourceId'));
    setEtag(c, recurringIncome.version);
    return c.json({ income: presentIncome(income), recurringIncome: presentRecurringIncome(recurringIncome) }, 200);
  };
  const shared: BudgetResourceHandlers<typeof recurringIncomeRoutes> = budgetResourceHandlers('recurringIncomeId', service, presentRecurringIncome);
  return { create, upcoming, skip, recordNext, ...shared };
}

/** The API shape (GET's; delta sync's too): exactly the RecurringIncome schema's fields (no keys or bookkeeping). */
export function presentRecurringIncome(r: RecurringIncome) {
  return { ...pickFields(r, PUBLIC_FIELDS), schedule: pickFields(r.schedule, SCHEDULE_FIELDS), pauses: publicPauses(r) };
}

const PUBLIC_FIELDS = ['id', 'budgetId', 'amount', 'source', 'description', 'schedule', 'nextOccurrenceOn', 'paused', 'createdBy', 'version', 'createdAt', 'updatedAt'] as const;
const SCHEDULE_FIELDS = ['frequency', 'interval', 'startsOn', 'endsOn', 'count'] as const;
