import type { AppEnv } from '@budgeting/platform';
import type { RouteHandler } from '@hono/zod-openapi';
import type { SpendingBreakdownService } from '../service/spending-breakdown.service';
import type { SpendingMonthlyService } from '../service/spending-monthly.service';
import type { getSpendingBreakdown, getSpendingMonthly } from './spending.routes';

/** Handlers of the spending breakdown and the monthly spending (no ETag nor Cache-Control: as the summary and the trends). */
export function spendingHandlers(service: SpendingBreakdownService, monthlyService: SpendingMonthlyService) {
  const get: RouteHandler<typeof getSpendingBreakdown, AppEnv> = async (c) => {
    const breakdown = await service.breakdown(c.req.valid('param').budgetId, c.get('userId'), c.req.valid('query'));
    return c.json(breakdown, 200);
  };
  const monthly: RouteHandler<typeof getSpendingMonthly, AppEnv> = async (c) => {
    const answer = await monthlyService.monthly(c.req.valid('param').budgetId, c.get('userId'), c.req.valid('query'));
    return c.json(answer, 200);
  };
  return { get, monthly };
}
