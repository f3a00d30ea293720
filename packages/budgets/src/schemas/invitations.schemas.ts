import { z } from '@hono/zod-openapi';
import { AddMemberBody } from './members.schemas';
import { BudgetIdParams, EXAMPLE_BUDGET_ID, EXAMPLE_USER_ID, requiredOr } from './common.schemas';

/** Zod schemas of the budget invitation routes. */

const EXAMPLE_INVITATION_ID = '01JDQ4X3C5V7B9N1M3K5J7H9G1';

/** The same fields, rules and messages as adding a member: an email (trimmed) and editor|viewer. */
export const CreateInvitationBody = AddMemberBody.openapi('CreateInvitation', { example: { email: 'alex@example.com', role: 'editor' } });

export const InvitationParams = BudgetIdParams.extend({
  invitationId: z.string().openapi({ param: { name: 'invitationId', in: 'path' }, example: EXAMPLE_INVITATION_ID }),
});

export const InvitationSchema = z
  .object({
    id: z.string().openapi({ example: EXAMPLE_INVITATION_ID }),
    email: z.string().openapi({ example: 'alex@example.com', description: 'Normalized (trimmed, lower case).' }),
    role: z.enum(['editor', 'viewer']),
    status: z.enum(['pending']).openapi({ description: 'Only pending invitations are kept: accepted, revoked and expired ones are gone.' }),
    createdAt: z.string().openapi({ format: 'date-time', example: '2026-11-24T12:00:00.000Z', description: 'When it was (last) sent.' }),
    expiresAt: z.string().openapi({ format: 'date-time', example: '2026-12-01T12:00:00.000Z', description: '7 days after createdAt.' }),
  })
  .openapi('Invitation');

/** At most 20 (MAX_PENDING_INVITATIONS): one page, no cursor. */
export const InvitationListSchema = z.object({ items: z.array(InvitationSchema) }).openapi('InvitationList');

export const AcceptInvitationBody = z
  .object({
    token: z
      .string({ error: requiredOr('Must be a string') })
      .min(1, 'Required')
      .max(256, 'Too long')
      .openapi({ description: 'The invitation code of the mail.', example: `${EXAMPLE_BUDGET_ID}.${EXAMPLE_INVITATION_ID}.q1w2e3r4t5y6u7i8o9p0a1s2d3f4g5h6j7k8l9z0x1c` }),
  })
  .strict()
  .openapi('AcceptInvitation');

export const AcceptedInvitationSchema = z
  .object({
    budgetId: z.string().openapi({ example: EXAMPLE_BUDGET_ID }),
    userId: z.string().openapi({ example: EXAMPLE_USER_ID }),
    role: z.enum(['editor', 'viewer']),
    addedAt: z.string().openapi({ format: 'date-time', example: '2026-11-24T12:00:00.000Z' }),
  })
  .openapi('AcceptedInvitation');
