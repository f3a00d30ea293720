import { z } from '@hono/zod-openapi';
import { EXAMPLE_BUDGET_ID, EXAMPLE_CATEGORY_ID, requiredOr } from './common.schemas';
import { SummaryQuery } from './summary.schemas';

/** Zod schemas of the spending-by-day route (GET .../daily-spending). */

/** The summary's query (`date`), and optionally one category. */
export const DailySpendingQuery = SummaryQuery.extend({
  categoryId: z
    .string({ error: requiredOr('Must be a category id') })
    .min(1, 'Must be a category id')
    .max(64, 'Must be a category id')
    .optional()
    .openapi({
      param: { name: 'categoryId', in: 'query' },
      example: EXAMPLE_CATEGORY_ID,
      description:
        "Only this category's spending (split parts in their own categories); the whole budget's when absent. `uncategorized`: the summary's uncategorized line (`uncategorizedSpent`: spending without a category, split parts without one and spending in categories removed from the budget), its `limit` null. Neither a category of the budget nor `uncategorized`: 400 naming `query.categoryId`.",
    }),
});

const SpendingDaySchema = z
  .object({
    date: z.string().openapi({ example: '2026-11-02' }),
    spent: z.number().int().openapi({ example: 4250, description: 'Spent on this day, minor units (0 when nothing).' }),
    cumulative: z.number().int().openapi({ example: 12750, description: "Spent from the period's first day through this one." }),
  })
  .openapi('SpendingDay');

const periodDays = (example: { start: string; end: string; limit: number; spent: number; days: { date: string; spent: number; cumulative: number }[] }, description: string) =>
  z
    .object({
      start: z.string().openapi({ example: example.start }),
      end: z.string().openapi({ example: example.end }),
      limit: z
        .number()
        .int()
        .nullable()
        .openapi({
          example: example.limit,
          description:
            "The budget's limit; with `categoryId`, the category's limit in this period (a per-period limit when one is set), null for a category without one and for `uncategorized`. Rollover is not in it: the summary's `available` has it.",
        }),
      spent: z.number().int().openapi({ example: example.spent, description: 'The last listed day\'s `cumulative` (0 when none is listed).' }),
      days: z.array(SpendingDaySchema).openapi({ description }),
    })
    .openapi({ example });

const CURRENT = {
  start: '2026-11-01',
  end: '2026-11-30',
  limit: 250000,
  spent: 12750,
  days: [
    { date: '2026-11-01', spent: 8500, cumulative: 8500 },
    { date: '2026-11-02', spent: 4250, cumulative: 12750 },
  ],
};
const PREVIOUS = {
  start: '2026-10-01',
  end: '2026-10-31',
  limit: 250000,
  spent: 6000,
  days: [
    { date: '2026-10-01', spent: 0, cumulative: 0 },
    { date: '2026-10-02', spent: 6000, cumulative: 6000 },
  ],
};

export const DailySpendingSchema = z
  .object({
    budgetId: z.string().openapi({ example: EXAMPLE_BUDGET_ID }),
    currency: z.string().openapi({ example: 'EUR' }),
    categoryId: z.string().optional().openapi({ example: EXAMPLE_CATEGORY_ID, description: 'Only when asked for: the category the figures are of (`uncategorized` for the uncategorized line).' }),
    period: periodDays(CURRENT, "Every day of the period up to today in the budget's time zone (every day once it has ended, none before it starts; up to the last day holding spending when an expense is dated ahead), in date order."),
    previous: periodDays(PREVIOUS, 'Every day of the period before, in date order.'),
  })
  .openapi('DailySpending', {
    example: { budgetId: EXAMPLE_BUDGET_ID, currency: 'EUR', period: CURRENT, previous: PREVIOUS },
  });
