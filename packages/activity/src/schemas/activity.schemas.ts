import { paginationQuery } from '@budgeting/platform/routes';
import { z } from '@hono/zod-openapi';
import { ACTIVITY_ACTIONS, SUBJECT_TYPES } from '../model';

export const ActivityParams = z
  .object({
    budgetId: z
      .string()
      .min(1)
      .max(128)
      .openapi({ param: { name: 'budgetId', in: 'path' }, example: '01JDBUDGET00000000000000001' }),
  })
  .strict();

export const ActivityQuery = z.object({ ...paginationQuery }).strict();

const Person = z.object({
  id: z.string().openapi({ example: '01JDUSER0000000000000000001' }),
  name: z.string().nullable().openapi({ example: 'Ada', description: 'Display name as the members list shows it (the email when no name is set); null for someone no longer a member (left, removed, or the account deleted).' }),
});

const Actor = z
  .union([
    Person.extend({ type: z.literal('user') }),
    z.object({
      type: z.literal('schedule'),
      name: z.string().openapi({ example: 'recurring-expenses' }),
      onBehalfOf: Person.openapi({ description: 'The user who defined the recurring expense.' }),
    }),
  ])
  .openapi('ActivityActor');

export const ActivityEntrySchema = z
  .object({
    id: z.string().openapi({ description: 'Unique, stable id of the entry.' }),
    at: z.string().openapi({ format: 'date-time', example: '2026-11-24T12:00:00.000Z' }),
    actor: Actor,
    action: z.enum(ACTIVITY_ACTIONS),
    subject: z.object({
      type: z.enum(SUBJECT_TYPES),
      id: z.string(),
    }),
    changes: z
      .record(z.string(), z.object({ before: z.unknown(), after: z.unknown() }))
      .optional()
      .openapi({ description: 'Before and after of each changed field (null: absent). A creation has only `after`s, a deletion only `before`s.' }),
    recurringExpenseId: z
      .string()
      .optional()
      .openapi({ description: 'For a recurring occurrence: its recurring expense (the schedule recorded it, or a member recorded it now: `expense.created` by them).' }),
    categorizedBy: z
      .object({ ruleId: z.string() })
      .optional()
      .openapi({
        description:
          'For an expense created or imported without a category: the categorization rule that gave it the one in `changes.categoryId`. For an `expense.updated` made by applying a saved rule (POST .../rules/{ruleId}/apply) that filed it or added its tags: that rule.',
      }),
    renamedBy: z
      .object({ ruleId: z.string() })
      .optional()
      .openapi({
        description:
          'For an expense created or imported: the rule whose `renameTo` gave it the merchant in `changes.merchant` (instead of the one sent). For an `expense.updated` made by applying a saved rule that renamed its merchant: that rule.',
      }),
    expenseId: z.string().optional().openapi({ description: 'For a comment (subject `comment`): the expense it is on.' }),
  })
  .openapi('ActivityEntry');

export const ActivityPageSchema = z
  .object({
    items: z.array(ActivityEntrySchema),
    nextCursor: z.string().nullable(),
  })
  .openapi('ActivityPage', {
    example: {
      items: [
        {
          id: '01JDEVENT00000000000000002',
          at: '2026-11-24T12:05:00.000Z',
          actor: { type: 'user', id: '01JDUSER0000000000000000001', name: 'Ada' },
          action: 'expense.updated',
          subject: { type: 'expense', id: '01JDEXPENSE0000000000000001' },
          changes: { amount: { before: 1250, after: 1400 } },
        },
        {
          id: '01JDEVENT00000000000000001',
          at: '2026-11-24T00:10:00.000Z',
          actor: { type: 'schedule', name: 'recurring-expenses', onBehalfOf: { id: '01JDUSER0000000000000000002', name: 'Grace' } },
          action: 'expense.recorded_by_schedule',
          subject: { type: 'expense', id: '01JDEXPENSE0000000000000003' },
          changes: { amount: { before: null, after: 120000 }, occurredOn: { before: null, after: '2026-11-24' } },
          recurringExpenseId: '01JDRECURRING00000000000001',
        },
      ],
      nextCursor: null,
    },
  });

export type ActivityQueryInput = z.infer<typeof ActivityQuery>;
