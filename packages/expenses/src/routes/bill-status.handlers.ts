import type { AppEnv } from '@budgeting/platform';
import type { RouteHandler } from '@hono/zod-openapi';
import type { BillStatusService } from '../service/bill-status.service';
import type { getBillStatus } from './bill-status.routes';

/** The bill status of a period: read-only, computed on read. */
export function billStatusHandler(service: BillStatusService): RouteHandler<typeof getBillStatus, AppEnv> {
  return async (c) => c.json(await service.status(c.req.valid('param').budgetId, c.get('userId'), c.req.valid('query').date), 200);
}
