import type { RouteHandler } from '@hono/zod-openapi';
import type { AppEnv } from '@budgeting/platform';
import type { DataExportService } from '../service/data-export.service';
import type * as routes from './data-exports.routes';

/** /v1/me/export and /v1/me/exports: the caller's data exports. */
export function dataExportsHandlers(service: DataExportService) {
  const startDataExport: RouteHandler<typeof routes.startDataExport, AppEnv> = async (c) => {
    const started = await service.start(c.get('userId'), c.get('idempotentResourceId'));
    c.header('Location', `/v1/me/exports/${started.id}`);
    return c.json(started, 202);
  };

  const listDataExports: RouteHandler<typeof routes.listDataExports, AppEnv> = async (c) => c.json({ items: await service.list(c.get('userId')) }, 200);

  const getDataExport: RouteHandler<typeof routes.getDataExport, AppEnv> = async (c) => {
    const found = await service.get(c.get('userId'), c.req.valid('param').exportId);
    // The download URL is a bearer credential for 15 minutes: kept out of every cache.
    c.header('Cache-Control', 'no-store');
    return c.json(found, 200);
  };

  return { startDataExport, listDataExports, getDataExport };
}
