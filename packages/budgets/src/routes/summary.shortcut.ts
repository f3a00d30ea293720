import { isCalendarDate, MAX_DATE, MIN_DATE, requireAuth, type PlatformDeps, type RouteShortcut } from '@budgeting/platform';
import type { SummaryService } from '../service/summary.service';
import { summaryHandlers } from './summary.handlers';

/**
 * GET /v1/budgets/{budgetId}/summary without the budgets router, for the requests its zod
 * validators would accept anyway (summary.routes.ts: any `budgetId`, and a query that is empty
 * or one `date` that is a calendar date in range). The first request of a container is often a
 * summary (an app opening), and this way it needs neither the budgets routes' chunk and schemas
 * nor zod-to-openapi and @hono/zod-openapi (issue 11). Any other query (unknown key, repeated or
 * bad `date`) goes to the router, so its 400 problem+json is the router's own.
 * Same handlers as the router's route otherwise: authentication, then the handler, which reads
 * the validated parameters set here exactly as the validators would set them.
 */
export function summaryShortcut(deps: PlatformDeps, service: SummaryService): RouteShortcut {
  return {
    accepts: (c) => plainSummaryQuery(c.req.queries()) !== null,
    handlers: [
      requireAuth(deps.tokens),
      async (c, next) => {
        c.req.addValidatedData('param', { budgetId: c.req.param('budgetId') });
        c.req.addValidatedData('query', plainSummaryQuery(c.req.queries())!);
        await next();
      },
      // The router's own handler, typed for the route's validated input, which the step above sets.
      summaryHandlers(service).get as never,
    ],
  };
}

/** The query as SummaryQuery parses it when this check can tell it is valid; null otherwise (the router decides). */
export function plainSummaryQuery(queries: Record<string, string[]>): { date?: string } | null {
  const keys = Object.keys(queries);
  if (keys.length === 0) return {};
  const dates = queries.date;
  if (keys.length !== 1 || dates?.length !== 1) return null;
  const date = dates[0]!;
  return isCalendarDate(date) && date >= MIN_DATE && date <= MAX_DATE ? { date } : null;
}
