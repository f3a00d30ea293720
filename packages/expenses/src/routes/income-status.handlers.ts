import type { AppEnv } from '@budgeting/platform';
import type { RouteHandler } from '@hono/zod-openapi';
import type { IncomeStatusService } from '../service/income-status.service';
import type { getIncomeStatus } from './income-status.routes';

/** The paychecks' status of a month: read-only, computed on read. */
export function incomeStatusHandler(service: IncomeStatusService): RouteHandler<typeof getIncomeStatus, AppEnv> {
  return async (c) => c.json(await service.status(c.req.valid('param').budgetId, c.get('userId'), c.req.valid('query').month), 200);
}
