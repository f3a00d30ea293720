import type { AppEnv } from '@budgeting/platform';
import type { RouteHandler } from '@hono/zod-openapi';
import type { ImportUndoService } from '../service/import-undo.service';
import type * as routes from './import-undo.routes';
import { importView } from './csv.handlers';
import { preferredWaitSeconds, waitForJob, waitMs } from './prefer-wait';

export function importUndoHandlers(service: ImportUndoService) {
  const undoImport: RouteHandler<typeof routes.undoImport, AppEnv> = async (c) => {
    const { budgetId, importId } = c.req.valid('param');
    const started = await service.start(budgetId, c.get('userId'), importId);
    c.header('Location', `/v1/budgets/${budgetId}/imports/${importId}`);
    const wait = preferredWaitSeconds(c.req.header('prefer'));
    if (wait === undefined) return c.json(importView(started), 202);
    c.header('Preference-Applied', `wait=${wait}`);
    // The undo's status is what is waited for (the import itself has finished).
    const latest = await waitForJob(async () => {
      const record = await service.peek(budgetId, importId);
      return record?.undo ? { status: record.undo.status, record } : undefined;
    }, waitMs(wait, c.get('receivedAt')));
    const record = latest?.record ?? started;
    const status = record.undo?.status;
    return status === 'succeeded' || status === 'failed' ? c.json(importView(record), 200) : c.json(importView(record), 202);
  };
  return { undoImport };
}
