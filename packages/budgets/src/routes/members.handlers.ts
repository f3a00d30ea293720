import { expectedVersion, jsonAnswer, keyCompletion, setEtag, versionedGetAnswer, type AppEnv, type CursorCodec } from '@budgeting/platform';
import type { RouteHandler } from '@hono/zod-openapi';
import type { Member } from '../model';
import type { MembersService } from '../service/members.service';
import type * as routes from './members.routes';
import { memberPath, memberView } from './present';

/** Member-list cursors are bound to their budget: a cursor from another budget is a 400. */
const listBinding = (budgetId: string) => `budgets:members:${budgetId}`;

export function membersHandlers(service: MembersService, cursors: CursorCodec) {
  const list: RouteHandler<typeof routes.listMembersRoute, AppEnv> = async (c) => {
    const { budgetId } = c.req.valid('param');
    const { limit, cursor } = c.req.valid('query');
    const startKey = cursors.decode(cursor, listBinding(budgetId));
    const page = await service.list(budgetId, c.get('userId'), limit, startKey);
    return c.json({ items: page.items.map(memberView), nextCursor: cursors.encode(page.lastKey, listBinding(budgetId)) }, 200);
  };

  const add: RouteHandler<typeof routes.addMemberRoute, AppEnv> = async (c) => {
    const { budgetId } = c.req.valid('param');
    // The key's answer, exactly as answered below, committed with the membership.
    const completeKey = keyCompletion(c, (m: Member) => jsonAnswer(201, memberView(m), m.version, memberPath(budgetId, m.userId)));
    const member = await service.add(budgetId, c.get('userId'), c.req.valid('json'), completeKey);
    c.header('Location', memberPath(budgetId, member.userId));
    setEtag(c, member.version);
    return c.json(memberView(member), 201);
  };

  const get: RouteHandler<typeof routes.getMemberRoute, AppEnv> = async (c) => {
    const { budgetId, userId } = c.req.valid('param');
    const member = await service.get(budgetId, c.get('userId'), userId);
    return versionedGetAnswer(c, member.version, memberView(member));
  };

  const change: RouteHandler<typeof routes.changeMemberRoute, AppEnv> = async (c) => {
    const { budgetId, userId } = c.req.valid('param');
    const ifMatch = expectedVersion(c);
    // The key's answer, exactly as answered below, committed with the change (as the add's).
    const completeKey = keyCompletion(c, (m: Member) => jsonAnswer(200, memberView(m), m.version));
    const member = await service.change(budgetId, c.get('userId'), userId, c.req.valid('json'), ifMatch, completeKey);
    setEtag(c, member.version);
    return c.json(memberView(member), 200);
  };

  const remove: RouteHandler<typeof routes.removeMemberRoute, AppEnv> = async (c) => {
    const { budgetId, userId } = c.req.valid('param');
    await service.remove(budgetId, c.get('userId'), userId, expectedVersion(c));
    return c.body(null, 204);
  };

  return { list, add, get, change, remove };
}
