import { z } from '@hono/zod-openapi';
import { EXAMPLE_CATEGORY_ID, GROUPS_DESCRIPTION, categoryLineFields, categoryRolloverFields, categoryTargetField, groupLineFields, groupRolloverFields } from './common.schemas';
import { installmentFields } from './installment.schemas';

/** Zod schemas of the period forecast route (its query is the summary's: SummaryQuery). */

const EXAMPLE_RECURRING_ID = '01JDQ4W3C9V0B1N2M3Q4R5S6T7';

const money = (example: number, description?: string) => z.number().int().openapi({ example, ...(description ? { description } : {}) });

export const ScheduledOccurrenceSchema = z
  .object({
    recurringExpenseId: z.string().openapi({ example: EXAMPLE_RECURRING_ID }),
    occurredOn: z.string().openapi({ example: '2026-11-28', description: 'The date the occurrence will be recorded with.' }),
    amount: money(1500),
    categoryId: z
      .string()
      .nullable()
      .openapi({
        example: EXAMPLE_CATEGORY_ID,
        description: 'null: uncategorized (also when the definition names a category the budget no longer has), and always null for a split one.',
      }),
    splits: z
      .array(
        z
          .object({
            categoryId: z.string().nullable().openapi({ example: EXAMPLE_CATEGORY_ID, description: 'null: this part is uncategorized (also when its category was removed).' }),
            amount: money(1000),
            description: z.string().optional().openapi({ example: 'Cleaning supplies' }),
          })
          .openapi('ScheduledPart'),
      )
      .optional()
      .openapi({ description: "Only for a split recurring expense: its parts, adding up to `amount`, each counted in its own category's `scheduled`." }),
    description: z.string().optional().openapi({ example: 'Milk' }),
    merchant: z.string().optional().openapi({ example: 'Milk Co' }),
    tags: z.array(z.string()).optional().openapi({ description: "The recurring expense's tags, which the recorded expense will carry. Absent when none.", example: ['groceries'] }),
    foreign: z
      .object({
        amount: z.number().int().openapi({ example: 8000, description: 'Minor units of `currency` as ISO 4217 defines them.' }),
        currency: z.string().openapi({ example: 'JPY' }),
      })
      .optional()
      .openapi({
        description: "The recurring expense's foreign amount (what is paid in another currency), which the recorded expense will carry. A record only: `amount` is what the forecast counts. Absent when none.",
      }),
    sharedWith: z
      .array(z.string())
      .optional()
      .openapi({
        description: "The recurring expense's `sharedWith`: the members (user ids) the recorded expense will be split among in the settle-up balances. Absent: every member.",
        example: ['01JDQ4T2W1R0P9N8M7K6J5H4G3'],
      }),
    sharedAmounts: z
      .array(z.object({ userId: z.string(), amount: z.number().int() }))
      .optional()
      .openapi({
        description: "The recurring expense's `sharedAmounts`: who will owe what of the recorded expense in the settle-up balances, exactly (adding up to `amount`). Absent: none.",
        example: [{ userId: '01JDQ4T2W1R0P9N8M7K6J5H4G3', amount: 3000 }],
      }),
    ...installmentFields(),
  })
  .openapi('ScheduledOccurrence');

export const ForecastSchema = z
  .object({
    periodStart: z.string().openapi({ example: '2026-11-01' }),
    periodEnd: z.string().openapi({ example: '2026-11-30' }),
    limit: money(250000),
    available: money(262000, "limit + carriedOver, exactly as the period's summary gives it."),
    spent: money(203500, 'Recorded so far in the period (as the summary).'),
    scheduled: money(
      42000,
      'Occurrences of the budget\'s recurring expenses that fall in the period and are not recorded yet (from each one\'s `nextOccurrenceOn`, up to its `endsOn`). 0 for a period that has ended, and for an archived budget (the recurring job skips its due dates).',
    ),
    projectedSpent: money(245500, 'spent + scheduled'),
    projectedRemaining: money(16500, 'available - projectedSpent'),
    categories: z.array(
      z.object({
        ...categoryLineFields(),
        ...categoryRolloverFields(),
        spent: money(51000),
        ...categoryTargetField(),
        scheduled: money(6000),
        projectedSpent: money(57000),
        projectedRemaining: z
          .number()
          .int()
          .nullable()
          .openapi({ example: 7000, description: 'limit - projectedSpent (with category rollover: available - projectedSpent); null without a category limit.' }),
      }),
    ),
    groups: z
      .array(
        z
          .object({
            ...groupLineFields(),
            ...groupRolloverFields(),
            spent: money(51000),
            scheduled: money(6000),
            projectedSpent: money(57000),
            projectedRemaining: z
              .number()
              .int()
              .nullable()
              .openapi({ example: 3000, description: 'limit - projectedSpent (with a rollover category: available - projectedSpent); null without a limit.' }),
          })
          .openapi('ForecastGroup'),
      )
      .openapi({ description: GROUPS_DESCRIPTION }),
    uncategorized: z
      .object({ spent: money(1500), scheduled: money(36000), projectedSpent: money(37500) })
      .openapi({ description: 'Uncategorized spending, and spending in categories the budget no longer has.' }),
    upcoming: z.array(ScheduledOccurrenceSchema).openapi({
      description: 'The scheduled occurrences in date order (then by recurring expense), at most 100. Paused recurring expenses have none.',
      example: [
        { recurringExpenseId: EXAMPLE_RECURRING_ID, occurredOn: '2026-11-28', amount: 1500, categoryId: EXAMPLE_CATEGORY_ID, description: 'Milk', merchant: 'Milk Co', count: null, paymentsLeft: null, paymentNumber: null },
        { recurringExpenseId: '01JDQ4W3D0A1B2C3D4E5F6G7H8', occurredOn: '2026-11-30', amount: 36000, categoryId: null, description: 'Rent', count: null, paymentsLeft: null, paymentNumber: null },
      ],
    }),
    upcomingTruncated: z.boolean().openapi({ example: false, description: 'More occurrences are scheduled than `upcoming` lists; the sums count them all.' }),
  })
  .openapi('BudgetForecast');
