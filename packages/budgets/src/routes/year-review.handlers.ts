import type { AppEnv } from '@budgeting/platform';
import type { RouteHandler } from '@hono/zod-openapi';
import type { YearReviewService } from '../service/year-review.service';
import type * as routes from './year-review.routes';

export function yearReviewHandlers(service: () => Promise<YearReviewService>) {
  const get: RouteHandler<typeof routes.yearReviewRoute, AppEnv> = async (c) => {
    const review = await (await service()).review(c.req.valid('param').budgetId, c.get('userId'), c.req.valid('query'));
    return c.json(review, 200);
  };
  return { get };
}
