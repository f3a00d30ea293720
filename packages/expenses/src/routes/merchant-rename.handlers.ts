import type { AppEnv } from '@budgeting/platform';
import type { RouteHandler } from '@hono/zod-openapi';
import type { RenameRecord } from '../repository/renames.repository';
import type { MerchantRenameService } from '../service/merchant-rename.service';
import type { RenameJobService } from '../service/rename-job.service';
import type * as routes from './merchant-rename.routes';
import { preferredWaitSeconds, waitForJob, waitMs } from './prefer-wait';

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

/**
 * `Prefer: wait=N` on a started rename: without it, the record as started; with it
 * (`Preference-Applied`), the record once finished or after N seconds, whichever first, and
 * never past what API Gateway's 29 s leave of the request (prefer-wait.ts waitMs).
 */
export async function awaited(service: Pick<RenameJobService, 'peek'>, c: { req: { header(name: string): string | undefined }; header(name: string, value: string): void; get(key: 'receivedAt'): number | undefined }, budgetId: string, started: RenameRecord) {
  const wait = preferredWaitSeconds(c.req.header('prefer'));
  if (wait === undefined) return { record: started, finished: false };
  c.header('Preference-Applied', `wait=${wait}`);
  const record = (await waitForJob(() => service.peek(budgetId, started.id), waitMs(wait, c.get('receivedAt')))) ?? started;
  return { record, finished: record.status === 'succeeded' || record.status === 'failed' };
}

/** The rename as the API shows it (without who started it). */
export function view(r: RenameRecord) {
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
