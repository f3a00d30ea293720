import type { AppEnv } from '@budgeting/platform';
import type { RouteHandler } from '@hono/zod-openapi';
import type { ImportProfilesService } from '../service/import-profiles.service';
import type { listImportPresets } from './import-presets.routes';

/** The built-in presets: constants, after the membership check. */
export function importPresetsHandler(service: ImportProfilesService): RouteHandler<typeof listImportPresets, AppEnv> {
  return async (c) => c.json({ items: await service.presets(c.req.valid('param').budgetId, c.get('userId')) }, 200);
}
