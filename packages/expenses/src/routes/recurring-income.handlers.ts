import { expectedVersion, jsonAnswer, keyCompletion, pickFields, setEtag, type AppEnv } from '@budgeting/platform';
import { expectedNextOccurrence, nextOccurrenceVariant } from './next-occurrence-etag';
import type { RouteHandler } from '@hono/zod-openapi';
import type { RecurringIncome } from '../model';
import { publicPauses } from '../domain/pause-history';
import type { RecordedNext, RecurringIncomeService } from '../service/recurring-income.service';
import { budgetResourceHandlers, type BudgetResourceHandlers } from './budget-resource';
import { presentIncome } from './income.handlers';
import type { listUpcomingIncome, recordNextRecurringIncome, recurringIncomeRoutes, skipRecurringIncome } from './recurring-income.routes';

/**
 * Handlers: the list, get, update and delete every budget resource shares (budget-resource.ts);
 * the create takes the id the Idempotency-Key middleware chose; the create, skip and record-next
 * complete their key in their own transaction (`keyCompletion`: the answer built from what is
 * written, as the income create's); upcoming is a plain read.
 */
export function recurringIncomeHandlers(service: RecurringIncomeService) {
  const create: RouteHandler<typeof recurringIncomeRoutes.create, AppEnv> = async (c) => {
    const { budgetId } = c.req.valid('param');
    const location = (r: RecurringIncome) => `/v1/budgets/${encodeURIComponent(budgetId)}/recurring-income/${r.id}`;
    // The key's answer, exactly as answered below, committed with the definition.
    const completeKey = keyCompletion(c, (r: RecurringIncome) => jsonAnswer(201, presentRecurringIncome(r), r.version, location(r), nextOccurrenceVariant(r)));
    const created = await service.create(budgetId, c.get('userId'), c.req.valid('json'), c.get('idempotentResourceId'), false, completeKey);
    setEtag(c, created.version, nextOccurrenceVariant(created));
    c.header('Location', location(created));
    return c.json(presentRecurringIncome(created), 201);
  };
  const upcoming: RouteHandler<typeof listUpcomingIncome, AppEnv> = async (c) =>
    c.json(await service.upcoming(c.req.valid('param').budgetId, c.get('userId'), c.req.valid('query')), 200);
  const skip: RouteHandler<typeof skipRecurringIncome, AppEnv> = async (c) => {
    const { budgetId, recurringIncomeId } = c.req.valid('param');
    const completeKey = keyCompletion(c, (r: RecurringIncome) => jsonAnswer(200, presentRecurringIncome(r), r.version, undefined, nextOccurrenceVariant(r)));
    const skipped = await service.skip(budgetId, c.get('userId'), recurringIncomeId, expectedVersion(c), completeKey, expectedNextOccurrence(c));
    setEtag(c, skipped.version, nextOccurrenceVariant(skipped));
    return c.json(presentRecurringIncome(skipped), 200);
  };
  const recordNext: RouteHandler<typeof recordNextRecurringIncome, AppEnv> = async (c) => {
    const { budgetId, recurringIncomeId } = c.req.valid('param');
    const completeKey = keyCompletion(c, (r: RecordedNext) => jsonAnswer(200, presentRecordedNext(r), r.recurringIncome.version, undefined, nextOccurrenceVariant(r.recurringIncome)));
    const recorded = await service.recordNext(budgetId, c.get('userId'), recurringIncomeId, c.req.valid('json'), expectedVersion(c), c.get('idempotentResourceId'), completeKey, expectedNextOccurrence(c));
    setEtag(c, recorded.recurringIncome.version, nextOccurrenceVariant(recorded.recurringIncome));
    return c.json(presentRecordedNext(recorded), 200);
  };
  const shared: BudgetResourceHandlers<typeof recurringIncomeRoutes> = budgetResourceHandlers('recurringIncomeId', service, presentRecurringIncome, nextOccurrenceVariant);
  return { create, upcoming, skip, recordNext, ...shared };
}

/** record-next's answer: the entry recorded and the definition moved past it. */
function presentRecordedNext({ income, recurringIncome }: RecordedNext) {
  return { income: presentIncome(income), recurringIncome: presentRecurringIncome(recurringIncome) };
}

/** The API shape (GET's; delta sync's too): exactly the RecurringIncome schema's fields (no keys or bookkeeping). */
export function presentRecurringIncome(r: RecurringIncome) {
  return { ...pickFields(r, PUBLIC_FIELDS), schedule: pickFields(r.schedule, SCHEDULE_FIELDS), pauses: publicPauses(r) };
}

const PUBLIC_FIELDS = ['id', 'budgetId', 'amount', 'source', 'description', 'schedule', 'nextOccurrenceOn', 'paused', 'createdBy', 'version', 'createdAt', 'updatedAt'] as const;
const SCHEDULE_FIELDS = ['frequency', 'interval', 'startsOn', 'endsOn', 'count'] as const;
