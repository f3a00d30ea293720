import { expectedVersion, jsonAnswer, keyCompletion, setEtag, versionedGetAnswer, type AppEnv, type CursorCodec } from '@budgeting/platform';
import type { RouteHandler } from '@hono/zod-openapi';
import type { Context } from 'hono';
import type { BudgetForCaller } from '../model';
import type { BudgetsService } from '../service/budgets.service';
import type * as routes from './budgets.routes';
import { budgetEtagVariant, budgetView } from '../service/budget-view';
import { budgetPath } from './present';

/** "My budgets" cursors are bound to the caller: someone else's cursor is a 400. */
const listBinding = (userId: string) => `budgets:list:${userId}`;

/** A keyed move's or period limit PUT's answer, exactly as answered (the budget, its ETag), committed with the change. */
const changeKey = (c: Context<AppEnv>) => keyCompletion(c, (b: BudgetForCaller) => jsonAnswer(200, budgetView(b), b.budget.version, undefined, budgetEtagVariant(b)));

export function budgetsHandlers(service: BudgetsService, cursors: CursorCodec) {
  const create: RouteHandler<typeof routes.createBudgetRoute, AppEnv> = async (c) => {
    // The key's answer, exactly as answered below, committed with the budget.
    const completeKey = keyCompletion(c, (b: BudgetForCaller) => jsonAnswer(201, budgetView(b), b.budget.version, budgetPath(b.budget.id)));
    const created = await service.create(c.get('userId'), c.req.valid('json'), c.get('idempotentResourceId'), completeKey);
    setEtag(c, created.budget.version);
    c.header('Location', budgetPath(created.budget.id));
    return c.json(budgetView(created), 201);
  };

  const list: RouteHandler<typeof routes.listBudgetsRoute, AppEnv> = async (c) => {
    const userId = c.get('userId');
    const { limit, cursor, archived } = c.req.valid('query');
    // A cursor is bound to the list it pages (active or archived): the other's is a 400.
    const binding = archived ? `${listBinding(userId)}:archived` : listBinding(userId);
    const page = await service.list(userId, limit, cursors.decode(cursor, binding), archived);
    return c.json({ items: page.items.map(budgetView), nextCursor: cursors.encode(page.lastKey, binding) }, 200);
  };

  const get: RouteHandler<typeof routes.getBudgetRoute, AppEnv> = async (c) => {
    const found = await service.get(c.req.valid('param').budgetId, c.get('userId'));
    return versionedGetAnswer(c, found.budget.version, budgetView(found), budgetEtagVariant(found));
  };

  const update: RouteHandler<typeof routes.updateBudgetRoute, AppEnv> = async (c) => {
    const ifMatch = expectedVersion(c);
    const updated = await service.update(c.req.valid('param').budgetId, c.get('userId'), c.req.valid('json'), ifMatch);
    setEtag(c, updated.budget.version);
    return c.json(budgetView(updated), 200);
  };

  const remove: RouteHandler<typeof routes.deleteBudgetRoute, AppEnv> = async (c) => {
    const ifMatch = expectedVersion(c);
    await service.delete(c.req.valid('param').budgetId, c.get('userId'), ifMatch);
    return c.body(null, 204);
  };

  const moveMoney: RouteHandler<typeof routes.moveMoneyRoute, AppEnv> = async (c) => {
    const ifMatch = expectedVersion(c);
    const moved = await service.moveMoney(c.req.valid('param').budgetId, c.get('userId'), c.req.valid('json'), ifMatch, changeKey(c));
    setEtag(c, moved.budget.version, budgetEtagVariant(moved));
    return c.json(budgetView(moved), 200);
  };

  const setPeriodLimit: RouteHandler<typeof routes.setPeriodLimitRoute, AppEnv> = async (c) => {
    const ifMatch = expectedVersion(c);
    const set = await service.setPeriodLimit(c.req.valid('param').budgetId, c.get('userId'), c.req.valid('json'), ifMatch, changeKey(c));
    setEtag(c, set.budget.version, budgetEtagVariant(set));
    return c.json(budgetView(set), 200);
  };

  const clearPeriodLimits: RouteHandler<typeof routes.clearPeriodLimitsRoute, AppEnv> = async (c) => {
    const ifMatch = expectedVersion(c);
    const cleared = await service.clearPeriodLimits(c.req.valid('param').budgetId, c.get('userId'), c.req.valid('query'), ifMatch);
    setEtag(c, cleared.budget.version, budgetEtagVariant(cleared));
    return c.json(budgetView(cleared), 200);
  };

  return { create, list, get, update, remove, moveMoney, setPeriodLimit, clearPeriodLimits };
}
