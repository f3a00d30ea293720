import { listSchema } from '@budgeting/platform/routes';
import { z } from '@hono/zod-openapi';
import { DEFAULT_SHARE, MAX_SHARE } from '../model';
import { BudgetIdParams, EXAMPLE_USER_ID, requiredOr } from './common.schemas';

/** Zod schemas of the budget members routes. */

export const AddMemberBody = z
  .object({
    // Trimmed like at signup, so a pasted address with spaces finds its account.
    email: z
      .string({ error: requiredOr('Must be an email address') })
      .trim()
      .pipe(z.email('Must be an email address').max(254))
      .openapi({ format: 'email', example: 'sam@example.com', description: 'Case-insensitive.' }),
    role: z.enum(['editor', 'viewer']).openapi({ description: 'editor: records expenses; viewer: read only.' }),
  })
  .strict()
  .openapi('AddMember', { example: { email: 'sam@example.com', role: 'editor' } });

const share = z
  .number({ error: `Must be an integer from 0 to ${MAX_SHARE}` })
  .int({ error: `Must be an integer from 0 to ${MAX_SHARE}` })
  .min(0, { error: `Must be an integer from 0 to ${MAX_SHARE}` })
  .max(MAX_SHARE, { error: `Must be an integer from 0 to ${MAX_SHARE}` });

export const ChangeMemberBody = z
  .object({
    role: z.enum(['editor', 'viewer']).optional().openapi({ description: "Not for the owner, whose role cannot change." }),
    share: share.optional().openapi({
      example: 2,
      description: "The member's weight in the settle-up balances (GET /v1/budgets/{budgetId}/balances): 0 owes nothing.",
    }),
  })
  .strict()
  .refine((body) => body.role !== undefined || body.share !== undefined, { message: 'Give `role`, `share` or both' })
  .openapi('ChangeMember', { example: { role: 'viewer', share: 2 } });

export const MemberParams = BudgetIdParams.extend({
  userId: z.string().openapi({ param: { name: 'userId', in: 'path' }, example: EXAMPLE_USER_ID }),
});

export const MemberSchema = z
  .object({
    userId: z.string().openapi({ example: EXAMPLE_USER_ID }),
    email: z.string().nullable().openapi({ example: 'sam@example.com' }),
    name: z.string().nullable().openapi({ example: 'Sam' }),
    role: z.enum(['owner', 'editor', 'viewer']),
    addedAt: z.string().openapi({ format: 'date-time', example: '2026-11-24T12:00:00.000Z' }),
    share: z.number().int().openapi({
      example: 1,
      description: `Weight in the settle-up balances (0..${MAX_SHARE}, default ${DEFAULT_SHARE}: equal split); 0 owes nothing. The owner sets it.`,
    }),
    version: z.number().int().openapi({
      example: 1,
      description: "Goes up with every change of the role or share; the ETag of the add, change and GET answers. Send it back in If-Match. A member added again continues from their former membership's last version, so an old ETag never matches the new membership.",
    }),
  })
  .openapi('Member');

export const MemberListSchema = listSchema('MemberList', MemberSchema);

export type AddMemberInput = z.infer<typeof AddMemberBody>;
