import type { AppEnv } from '@budgeting/platform';
import type { RouteHandler } from '@hono/zod-openapi';
import type { TagRenameService } from '../service/tag-rename.service';
import { awaited, view } from './merchant-rename.handlers';
import type * as tagRoutes from './tag-rename.routes';

/** The tag rename's routes: the merchant rename's, with `to` a tag or null and no rules. */
export function tagRenameHandlers(service: TagRenameService) {
  const renameTag: RouteHandler<typeof tagRoutes.renameTag, AppEnv> = async (c) => {
    const { budgetId } = c.req.valid('param');
    const started = await service.start(budgetId, c.get('userId'), c.req.valid('json'));
    c.header('Location', `/v1/budgets/${budgetId}/tag-renames/${started.id}`);
    const { record, finished } = await awaited(service, c, budgetId, started);
    return finished ? c.json(view(record), 200) : c.json(view(record), 202);
  };

  const getTagRename: RouteHandler<typeof tagRoutes.getTagRename, AppEnv> = async (c) => {
    const { budgetId, renameId } = c.req.valid('param');
    return c.json(view(await service.get(budgetId, c.get('userId'), renameId)), 200);
  };

  return { renameTag, getTagRename };
}
