import { pickFields, setEtag, type AppEnv } from '@budgeting/platform';
import type { RouteHandler } from '@hono/zod-openapi';
import type { ImportProfile } from '../model';
import type { ImportProfilesService } from '../service/import-profiles.service';
import { budgetResourceHandlers, type BudgetResourceHandlers } from './budget-resource';
import type { importProfileRoutes } from './import-profiles.routes';

/**
 * Handlers: the list, get, update and delete every budget resource shares (budget-resource.ts);
 * the create is this resource's own: it takes the id the Idempotency-Key middleware chose.
 */
export function importProfilesHandlers(service: ImportProfilesService) {
  const createProfile: RouteHandler<typeof importProfileRoutes.create, AppEnv> = async (c) => {
    const { budgetId } = c.req.valid('param');
    const created = await service.create(budgetId, c.get('userId'), c.req.valid('json'), c.get('idempotentResourceId'));
    setEtag(c, created.version);
    c.header('Location', `/v1/budgets/${encodeURIComponent(budgetId)}/import-profiles/${created.id}`);
    return c.json(present(created), 201);
  };

  const shared: BudgetResourceHandlers<typeof importProfileRoutes> = budgetResourceHandlers('profileId', service, present);
  return { create: createProfile, ...shared };
}

/** The API shape: exactly the ImportProfile schema's fields (no keys, budget or creator). */
function present(p: ImportProfile) {
  return pickFields(p, PUBLIC_FIELDS);
}

const PUBLIC_FIELDS = ['id', 'name', 'mapping', 'credits', 'version', 'createdAt', 'updatedAt'] as const;
