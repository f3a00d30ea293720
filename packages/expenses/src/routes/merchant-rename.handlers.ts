import type { AppEnv } from '@budgeting/platform';
import type { RouteHandler } from '@hono/zod-openapi';
import type { RenameRecord } from '../repository/merchant-renames.repository';
import type { MerchantRenameService } from '../service/merchant-rename.service';
import type * as routes from './merchant-rename.routes';
import { preferredWaitSeconds, waitForJob } from './prefer-wait';

export function merchantRenameHandlers(service: MerchantRenameService) {
  const renameMerchant: RouteHandler<typeof routes.renameMerchant, AppEnv> = async (c) => {
    const { budgetId } = c.req.valid('param');
    const started = await service.start(budgetId, c.get('userId'), c.req.valid('json'));
    c.header('Location', `/v1/budgets/${budgetId}/merchant-renames/${started.id}`);
    const wait = preferredWaitSeconds(c.req.header('prefer'));
    if (wait === undefined) return c.json(view(started), 202);
    c.header('Preference-Applied', `wait=${wait}`);
    const record = (await waitForJob(() => service.peek(budgetId, started.id), wait * 1000)) ?? started;
    return record.status === 'succeeded' || record.status === 'failed' ? c.json(view(record), 200) : c.json(view(record), 202);
  };

  const getMerchantRename: RouteHandler<typeof routes.getMerchantRename, AppEnv> = async (c) => {
    const { budgetId, renameId } = c.req.valid('param');
    return c.json(view(await service.get(budgetId, c.get('userId'), renameId)), 200);
  };

  return { renameMerchant, getMerchantRename };
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
