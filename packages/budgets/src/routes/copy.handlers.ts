import { jsonAnswer, keyCompletion, setEtag, type AppEnv } from '@budgeting/platform';
import type { BudgetForCaller } from '../model';
import type { RouteHandler } from '@hono/zod-openapi';
import type { CopyService } from '../service/copy.service';
import { budgetView } from '../service/budget-view';
import type * as routes from './copy.routes';
import { budgetPath } from './present';

export function copyHandlers(service: () => Promise<CopyService>) {
  const copy: RouteHandler<typeof routes.copyBudgetRoute, AppEnv> = async (c) => {
    // The key's answer, exactly as answered below, committed with the copy's last step.
    const completeKey = keyCompletion(c, (b: BudgetForCaller) => jsonAnswer(201, budgetView(b), b.budget.version, budgetPath(b.budget.id)));
    const copied = await (await service()).copy(c.req.valid('param').budgetId, c.get('userId'), c.req.valid('json'), c.get('idempotentResourceId'), completeKey);
    setEtag(c, copied.budget.version);
    c.header('Location', budgetPath(copied.budget.id));
    return c.json(budgetView(copied), 201);
  };
  return { copy };
}
