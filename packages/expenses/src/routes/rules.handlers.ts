import { jsonAnswer, keyCompletion, pickFields, setEtag, type AppEnv } from '@budgeting/platform';
import type { RouteHandler } from '@hono/zod-openapi';
import type { CategorizationRule } from '../model';
import type { RulesService } from '../service/rules.service';
import { budgetResourceHandlers, type BudgetResourceHandlers } from './budget-resource';
import type { applyCategorizationRule, previewCategorizationRule, ruleRoutes } from './rules.routes';

/**
 * Handlers: the list, get, update and delete every budget resource shares (budget-resource.ts);
 * the create is this resource's own: it takes the id the Idempotency-Key middleware chose.
 */
export function rulesHandlers(service: RulesService) {
  const createRule: RouteHandler<typeof ruleRoutes.create, AppEnv> = async (c) => {
    const { budgetId } = c.req.valid('param');
    const location = (r: CategorizationRule) => `/v1/budgets/${encodeURIComponent(budgetId)}/rules/${r.id}`;
    // The key's answer, exactly as answered below, committed with the rule.
    const completeKey = keyCompletion(c, (r: CategorizationRule) => jsonAnswer(201, present(r), r.version, location(r)));
    const created = await service.create(budgetId, c.get('userId'), c.req.valid('json'), c.get('idempotentResourceId'), completeKey);
    setEtag(c, created.version);
    c.header('Location', location(created));
    return c.json(present(created), 201);
  };

  const preview: RouteHandler<typeof previewCategorizationRule, AppEnv> = async (c) => {
    return c.json(await service.preview(c.req.valid('param').budgetId, c.get('userId'), c.req.valid('json')), 200);
  };

  const apply: RouteHandler<typeof applyCategorizationRule, AppEnv> = async (c) => {
    const { budgetId, ruleId } = c.req.valid('param');
    return c.json(await service.apply(budgetId, c.get('userId'), ruleId, c.req.valid('json')), 200);
  };

  const shared: BudgetResourceHandlers<typeof ruleRoutes> = budgetResourceHandlers('ruleId', service, present);
  return { create: createRule, preview, apply, ...shared };
}

/** The API shape: exactly the CategorizationRule schema's fields (no keys or bookkeeping). */
function present(r: CategorizationRule) {
  return pickFields(r, PUBLIC_FIELDS);
}

const PUBLIC_FIELDS = ['id', 'budgetId', 'merchant', 'amount', 'description', 'categoryId', 'split', 'renameTo', 'tags', 'position', 'createdBy', 'version', 'createdAt', 'updatedAt'] as const;
