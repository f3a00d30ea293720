import { calendarDate } from '@budgeting/platform/routes';
import { z } from '@hono/zod-openapi';
import { EXAMPLE_CATEGORY_ID, GROUPS_DESCRIPTION, categoryLineFields, groupLineFields } from './common.schemas';

/** Zod schemas of the budget summary route. */

export const SummaryQuery = z.strictObject({
  date: calendarDate()
    .optional()
    .openapi({
      param: { name: 'date', in: 'query' },
      example: '2026-11-24',
      description: "Any day of the wanted period; default: today in the budget's time zone.",
    }),
});

export const SummarySchema = z
  .object({
    periodStart: z.string().openapi({ example: '2026-11-01' }),
    periodEnd: z.string().openapi({ example: '2026-11-30' }),
    limit: z.number().int().openapi({ example: 250000 }),
    carriedOver: z.number().int().openapi({
      example: 12000,
      description: 'With rollover: unspent (negative when overspent) amount of all earlier periods since the budget was created.',
    }),
    available: z.number().int().openapi({ example: 262000, description: 'limit + carriedOver' }),
    spent: z.number().int().openapi({ example: 203500 }),
    remaining: z.number().int().openapi({ example: 58500, description: 'available - spent' }),
    categories: z.array(
      z.object({
        ...categoryLineFields(),
        spent: z.number().int().openapi({ example: 51000 }),
        remaining: z.number().int().nullable().openapi({ example: 9000 }),
      }),
    ),
    groups: z
      .array(
        z
          .object({
            ...groupLineFields(),
            spent: z.number().int().openapi({ example: 51000 }),
            remaining: z.number().int().nullable().openapi({ example: 9000, description: 'limit - spent (all its categories\' spending); null without a limit.' }),
          })
          .openapi('SummaryGroup'),
      )
      .openapi({ description: GROUPS_DESCRIPTION }),
    uncategorizedSpent: z.number().int().openapi({ example: 1500 }),
    thresholdsCrossed: z
      .array(
        z.object({
          scope: z.enum(['budget', 'category']),
          categoryId: z.string().nullable(),
          threshold: z.number().int(),
        }),
      )
      .openapi({
        description:
          'Alert thresholds reached in this period: budget-wide (percent of `limit`) or for a category (percent of its own ' +
          'limit). Once reached, a threshold stays listed for the period even if spending drops back below it: ' +
          '`budget.threshold_crossed` is published once per period, scope and threshold, the first time it is reached.',
        example: [
          { scope: 'budget', categoryId: null, threshold: 80 },
          { scope: 'category', categoryId: EXAMPLE_CATEGORY_ID, threshold: 80 },
        ],
      }),
  })
  .openapi('BudgetSummary');
