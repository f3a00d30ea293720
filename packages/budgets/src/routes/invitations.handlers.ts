import type { AppEnv } from '@budgeting/platform';
import type { RouteHandler } from '@hono/zod-openapi';
import type { Invitation } from '../model';
import type { InvitationsService } from '../service/invitations.service';
import type * as routes from './invitations.routes';
import { invitationPath, memberPath } from './present';

/** What the API shows of an invitation: never its secret (not stored) or the secret's hash. */
const invitationView = (i: Invitation) => ({ id: i.id, email: i.email, role: i.role, status: 'pending' as const, createdAt: i.createdAt, expiresAt: i.expiresAt });

export function invitationsHandlers(service: () => Promise<InvitationsService>) {
  const create: RouteHandler<typeof routes.createInvitationRoute, AppEnv> = async (c) => {
    const { budgetId } = c.req.valid('param');
    const invitation = await (await service()).invite(budgetId, c.get('userId'), c.req.valid('json'));
    c.header('Location', invitationPath(budgetId, invitation.id));
    return c.json(invitationView(invitation), 201);
  };

  const list: RouteHandler<typeof routes.listInvitationsRoute, AppEnv> = async (c) => {
    const { budgetId } = c.req.valid('param');
    const items = await (await service()).list(budgetId, c.get('userId'));
    return c.json({ items: items.map(invitationView) }, 200);
  };

  const revoke: RouteHandler<typeof routes.revokeInvitationRoute, AppEnv> = async (c) => {
    const { budgetId, invitationId } = c.req.valid('param');
    await (await service()).revoke(budgetId, c.get('userId'), invitationId);
    return c.body(null, 204);
  };

  const accept: RouteHandler<typeof routes.acceptInvitationRoute, AppEnv> = async (c) => {
    const member = await (await service()).accept(c.get('userId'), c.req.valid('json').token);
    c.header('Location', memberPath(member.budgetId, member.userId));
    return c.json({ budgetId: member.budgetId, userId: member.userId, role: member.role as 'editor' | 'viewer', addedAt: member.addedAt }, 201);
  };

  return { create, list, revoke, accept };
}
