import type { AppEnv } from '@budgeting/platform';
import type { RouteHandler } from '@hono/zod-openapi';
import type { SpendingBreakdownService } from '../service/spending-breakdown.service';
import type { getSpendingBreakdown } from './spending.routes';

/** Handler of the spending breakdown (no ETag nor Cache-Control: as the summary and the trends). */
export function spendingHandlers(service: SpendingBreakdownService) {
  const get: RouteHandler<typeof getSpendingBreakdown, AppEnv> = async (c) => {
    const breakdown = await service.breakdown(c.req.valid('param').budgetId, c.get('userId'), c.req.valid('query'));
    return c.json(breakdown, 200);
  };
  return { get };
}
