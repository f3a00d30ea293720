import { z } from '@hono/zod-openapi';
import { DISMISS_MAX_IDS, DISMISS_MIN_IDS, DUPLICATES_DEFAULT_DAYS, DUPLICATE_WINDOW_DAYS } from '../domain/duplicates';
import { SPENDING_MAX_DAYS } from '../domain/spending-breakdown';
import { eachOnce, expenseId } from './bulk.schemas';
import { calendarDate, ExpenseSchema } from './expenses.schemas';

/** Zod schemas of the possible duplicates (GET .../expenses/duplicates, POST .../expenses/duplicates/dismiss). */

export const DuplicatesQuery = z
  .object({
    from: calendarDate.optional().openapi({
      param: { name: 'from', in: 'query' },
      example: '2026-09-01',
      description: `First occurredOn read (inclusive). With \`to\`, or neither: the last ${DUPLICATES_DEFAULT_DAYS} days through today in the budget's time zone.`,
    }),
    to: calendarDate.optional().openapi({
      param: { name: 'to', in: 'query' },
      example: '2026-11-29',
      description: `Last occurredOn read (inclusive): on or after \`from\`, at most ${SPENDING_MAX_DAYS} days with it.`,
    }),
  })
  .strict();

export type DuplicatesInput = z.infer<typeof DuplicatesQuery>;

const expense = (id: string, occurredOn: string, merchant: string, createdBy: string, reviewed: boolean) => ({
  id,
  budgetId: '01JDBUDGET0000000000000001',
  amount: 4599,
  categoryId: '01JDCATGROCERIES000000000A',
  occurredOn,
  merchant,
  reviewed,
  createdBy,
  version: 1,
  createdAt: `${occurredOn}T18:30:00.000Z`,
  updatedAt: `${occurredOn}T18:30:00.000Z`,
});

const DuplicateGroupSchema = z
  .object({
    expenses: z.array(ExpenseSchema).openapi({ description: 'Two or more expenses, oldest first (occurredOn, then id), as the expense list shows them.' }),
  })
  .openapi('DuplicateGroup');

export const DuplicatesSchema = z
  .object({
    from: calendarDate,
    to: calendarDate,
    items: z.array(DuplicateGroupSchema).openapi({ description: "The groups, the newest first (by each group's newest occurredOn)." }),
    scanned: z.number().int().openapi({ example: 212, description: 'Expenses of the range read.' }),
  })
  .openapi('PossibleDuplicates', {
    example: {
      from: '2026-09-01',
      to: '2026-11-29',
      items: [
        {
          expenses: [
            expense('01JDEXPENSE0000000000000001', '2026-11-20', 'Corner Market', '01JDUSERANNA00000000000001', true),
            // The bank's row, imported two days later (needs review).
            expense('01JDEXPENSE0000000000000002', '2026-11-22', 'CORNER MARKET', '01JDUSERANNA00000000000001', false),
          ],
        },
      ],
      scanned: 212,
    },
  });

export const DismissDuplicatesBody = z
  .object({
    expenseIds: z
      .array(expenseId)
      .min(DISMISS_MIN_IDS, { error: `Send at least ${DISMISS_MIN_IDS} expense ids` })
      .max(DISMISS_MAX_IDS, { error: `At most ${DISMISS_MAX_IDS} expense ids per request` })
      .superRefine(eachOnce)
      .openapi({
        uniqueItems: true,
        description: `${DISMISS_MIN_IDS}..${DISMISS_MAX_IDS} distinct expense ids of this budget: every pair of them is no longer a possible duplicate (pairs are at most ${DUPLICATE_WINDOW_DAYS} days apart to be listed at all).`,
      }),
  })
  .strict()
  .openapi('DismissDuplicates', { example: { expenseIds: ['01JDEXPENSE0000000000000001', '01JDEXPENSE0000000000000002'] } });
