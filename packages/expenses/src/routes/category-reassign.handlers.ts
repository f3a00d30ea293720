import type { AppEnv } from '@budgeting/platform';
import type { RouteHandler } from '@hono/zod-openapi';
import type { CategoryReassignService } from '../service/category-reassign.service';
import type { reassignCategoryExpenses } from './category-reassign.routes';

export function categoryReassignHandlers(service: CategoryReassignService) {
  const reassign: RouteHandler<typeof reassignCategoryExpenses, AppEnv> = async (c) => {
    const { budgetId, categoryId } = c.req.valid('param');
    return c.json(await service.reassign(budgetId, c.get('userId'), categoryId, c.req.valid('json')), 200);
  };
  return { reassign };
}
