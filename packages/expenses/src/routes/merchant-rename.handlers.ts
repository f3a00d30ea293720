import type { AppEnv } from '@budgeting/platform';
import type { RouteHandler } from '@hono/zod-openapi';
import type { RenameRecord } from '../repository/renames.repository';
import type { MerchantRenameService } from '../service/merchant-rename.service';
import type { RenameJobService } from '../service/rename-job.service';
import type { TagRenameService } from '../service/tag-rename.service';
import type * as routes from './merchant-rename.routes';
import type * as tagRoutes from './tag-rename.routes';
import { preferredWaitSeconds, waitForJob } from './prefer-wait';

export function merchantRenameHandlers(service: MerchantRenameService) {
  const renameMerchant: RouteHandler<typeof routes.renameMerchant, AppEnv> = async (c) => {
    const { budgetId } = c.req.valid('param');
    const started = await service.start(budgetId, c.get('userId'), c.req.valid('json'));
    c.header('Location', `/v1/budgets/${budgetId}/merchant-renames/${started.id}`);
    const { record, finished } = await awaited(service, c, budgetId, started);
    const body = { ...view(record), to: record.to ?? '' };
    return finished ? c.json(body, 200) : c.json(body, 202);
  };

  const getMerchantRename: RouteHandler<typeof routes.getMerchantRename, AppEnv> = async (c) => {
    const { budgetId, renameId } = c.req.valid('param');
    const record = await service.get(budgetId, c.get('userId'), renameId);
    return c.json({ ...view(record), to: record.to ?? '' }, 200);
  };

  return { renameMerchant, getMerchantRename };
}

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

/**
 * `Prefer: wait=N` on a started rename: without it, the record as started; with it
 * (`Preference-Applied`), the record once finished or after N seconds, whichever first.
 */
async function awaited(service: Pick<RenameJobService, 'peek'>, c: { req: { header(name: string): string | undefined }; header(name: string, value: string): void }, budgetId: string, started: RenameRecord) {
  const wait = preferredWaitSeconds(c.req.header('prefer'));
  if (wait === undefined) return { record: started, finished: false };
  c.header('Preference-Applied', `wait=${wait}`);
  const record = (await waitForJob(() => service.peek(budgetId, started.id), wait * 1000)) ?? started;
  return { record, finished: record.status === 'succeeded' || record.status === 'failed' };
}

/** The rename as the API shows it (without who started it). */
function view(r: RenameRecord) {
  return {
    id: r.id,
    status: r.status,
    from: r.from,
    to: r.to,
    examined: r.examined,
    renamed: r.renamed,
    createdAt: r.createdAt,
    updatedAt: r.updatedAt,
    ...(r.finishedAt ? { finishedAt: r.finishedAt } : {}),
    ...(r.failure ? { failure: r.failure } : {}),
    ...(r.failureCode ? { failureCode: r.failureCode } : {}),
    ...(r.ruleIds ? { ruleIds: r.ruleIds } : {}),
  };
}
