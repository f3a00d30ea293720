import { expectedVersion, jsonAnswer, keyCompletion, setEtag, versionedGetAnswer, type AppEnv, type CursorCodec } from '@budgeting/platform';
import type { RouteHandler } from '@hono/zod-openapi';
// The service is built on first use (create-module.ts): only its type here, so the router's
// chunk does not carry it.
import type { Settlement } from '../model';
import type { SettlementsService } from '../service/settlements.service';
import { settlementPath } from './present';
import type * as routes from './settlements.routes';

/**
 * A list's cursors are bound to its budget and range: another budget's cursor, or one of
 * another range (whose key may fall outside this one), is a 400.
 */
const listBinding = (budgetId: string, from = '', to = '') => `budgets:settlements:${budgetId}:${from}:${to}`;

/** What the API shows of a payment (the model is already its public shape). */
const settlementView = (s: Settlement) => ({
  id: s.id,
  budgetId: s.budgetId,
  fromUserId: s.fromUserId,
  toUserId: s.toUserId,
  amount: s.amount,
  currency: s.currency,
  paidOn: s.paidOn,
  ...(s.note ? { note: s.note } : {}),
  recordedBy: s.recordedBy,
  createdAt: s.createdAt,
  version: s.version,
  ...(s.updatedAt ? { updatedAt: s.updatedAt } : {}),
});

export function settlementsHandlers(service: () => Promise<SettlementsService>, cursors: CursorCodec) {
  const record: RouteHandler<typeof routes.recordSettlementRoute, AppEnv> = async (c) => {
    const { budgetId } = c.req.valid('param');
    // The key's answer, exactly as answered below, committed with the payment.
    const completeKey = keyCompletion(c, (s: Settlement) => jsonAnswer(201, settlementView(s), s.version, settlementPath(budgetId, s.id)));
    const settlement = await (await service()).record(budgetId, c.get('userId'), c.req.valid('json'), completeKey);
    c.header('Location', settlementPath(budgetId, settlement.id));
    setEtag(c, settlement.version);
    return c.json(settlementView(settlement), 201);
  };

  const list: RouteHandler<typeof routes.listSettlementsRoute, AppEnv> = async (c) => {
    const { budgetId } = c.req.valid('param');
    const { from, to, limit, cursor } = c.req.valid('query');
    const binding = listBinding(budgetId, from, to);
    const page = await (await service()).list(budgetId, c.get('userId'), { from, to }, limit, cursors.decode(cursor, binding));
    return c.json({ items: page.items.map(settlementView), nextCursor: cursors.encode(page.lastKey, binding) }, 200);
  };

  const get: RouteHandler<typeof routes.getSettlementRoute, AppEnv> = async (c) => {
    const { budgetId, settlementId } = c.req.valid('param');
    const settlement = await (await service()).get(budgetId, c.get('userId'), settlementId);
    return versionedGetAnswer(c, settlement.version, settlementView(settlement));
  };

  const change: RouteHandler<typeof routes.changeSettlementRoute, AppEnv> = async (c) => {
    const { budgetId, settlementId } = c.req.valid('param');
    const ifMatch = expectedVersion(c);
    // The key's answer, exactly as answered below, committed with the change (as the record's).
    const completeKey = keyCompletion(c, (s: Settlement) => jsonAnswer(200, settlementView(s), s.version, settlementPath(budgetId, s.id)));
    const settlement = await (await service()).change(budgetId, c.get('userId'), settlementId, c.req.valid('json'), ifMatch, completeKey);
    // Its URL, the same as the request's: the id never changes, a new day included.
    c.header('Location', settlementPath(budgetId, settlement.id));
    setEtag(c, settlement.version);
    return c.json(settlementView(settlement), 200);
  };

  const remove: RouteHandler<typeof routes.deleteSettlementRoute, AppEnv> = async (c) => {
    const { budgetId, settlementId } = c.req.valid('param');
    const ifMatch = expectedVersion(c);
    await (await service()).remove(budgetId, c.get('userId'), settlementId, ifMatch);
    return c.body(null, 204);
  };

  return { record, list, get, change, remove };
}
