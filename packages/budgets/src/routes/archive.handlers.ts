import { expectedVersion, setEtag, type AppEnv } from '@budgeting/platform';
import type { RouteHandler } from '@hono/zod-openapi';
import type { ArchiveService } from '../service/archive.service';
import { budgetView } from '../service/budget-view';
import type * as routes from './archive.routes';

export function archiveHandlers(service: () => Promise<ArchiveService>) {
  const answer = (archive: boolean): RouteHandler<typeof routes.archiveBudgetRoute | typeof routes.unarchiveBudgetRoute, AppEnv> =>
    async (c) => {
      const ifMatch = expectedVersion(c);
      const changed = await (await service()).setArchived(c.req.valid('param').budgetId, c.get('userId'), archive, ifMatch);
      setEtag(c, changed.budget.version);
      return c.json(budgetView(changed), 200);
    };
  return { archive: answer(true), unarchive: answer(false) };
}
