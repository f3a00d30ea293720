import { jsonAnswer, keyCompletion, type AppEnv } from '@budgeting/platform';
import type { RouteHandler } from '@hono/zod-openapi';
import type { Invitation, Member } from '../model';
import type { InvitationsService } from '../service/invitations.service';
import type * as routes from './invitations.routes';
import { invitationPath, memberPath } from './present';

/** What the API shows of an invitation: never its secret (not stored) or the secret's hash. */
const invitationView = (i: Invitation) => ({ id: i.id, email: i.email, role: i.role, status: 'pending' as const, createdAt: i.createdAt, expiresAt: i.expiresAt });

/** The accept's answer: the new membership. */
const acceptedView = (m: Member) => ({ budgetId: m.budgetId, userId: m.userId, role: m.role as 'editor' | 'viewer', addedAt: m.addedAt });

export function invitationsHandlers(service: () => Promise<InvitationsService>) {
  const create: RouteHandler<typeof routes.createInvitationRoute, AppEnv> = async (c) => {
    const { budgetId } = c.req.valid('param');
    // The key's answer, exactly as answered below (no ETag), committed with the invitation and its mail's unit.
    const completeKey = keyCompletion(c, (i: Invitation) => jsonAnswer(201, invitationView(i), undefined, invitationPath(budgetId, i.id)));
    const invitation = await (await service()).invite(budgetId, c.get('userId'), c.req.valid('json'), c.get('idempotentResourceId'), completeKey);
    c.header('Location', invitationPath(budgetId, invitation.id));
    return c.json(invitationView(invitation), 201);
  };

  const list: RouteHandler<typeof routes.listInvitationsRoute, AppEnv> = async (c) => {
    const { budgetId } = c.req.valid('param');
    const items = await (await service()).list(budgetId, c.get('userId'));
    return c.json({ items: items.map(invitationView) }, 200);
  };

  const get: RouteHandler<typeof routes.getInvitationRoute, AppEnv> = async (c) => {
    const { budgetId, invitationId } = c.req.valid('param');
    return c.json(invitationView(await (await service()).get(budgetId, c.get('userId'), invitationId)), 200);
  };

  const revoke: RouteHandler<typeof routes.revokeInvitationRoute, AppEnv> = async (c) => {
    const { budgetId, invitationId } = c.req.valid('param');
    await (await service()).revoke(budgetId, c.get('userId'), invitationId);
    return c.body(null, 204);
  };

  const accept: RouteHandler<typeof routes.acceptInvitationRoute, AppEnv> = async (c) => {
    // The key's answer, exactly as answered below (no ETag), committed with the membership.
    const completeKey = keyCompletion(c, (m: Member) => jsonAnswer(201, acceptedView(m), undefined, memberPath(m.budgetId, m.userId)));
    const member = await (await service()).accept(c.get('userId'), c.req.valid('json').token, completeKey);
    c.header('Location', memberPath(member.budgetId, member.userId));
    return c.json(acceptedView(member), 201);
  };

  return { create, list, get, revoke, accept };
}
