import { jsonAnswer, keyCompletion, pickFields, setEtag, type AppEnv } from '@budgeting/platform';
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
    const location = (p: ImportProfile) => `/v1/budgets/${encodeURIComponent(budgetId)}/import-profiles/${p.id}`;
    // The key's answer, exactly as answered below, committed with the profile.
    const completeKey = keyCompletion(c, (p: ImportProfile) => jsonAnswer(201, present(p), p.version, location(p)));
    const created = await service.create(budgetId, c.get('userId'), c.req.valid('json'), c.get('idempotentResourceId'), completeKey);
    setEtag(c, created.version);
    c.header('Location', location(created));
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
