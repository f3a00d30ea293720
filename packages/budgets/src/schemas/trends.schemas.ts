import { calendarDate, queryInteger } from '@budgeting/platform/routes';
import { z } from '@hono/zod-openapi';
import { EXAMPLE_CATEGORY_ID, GROUPS_DESCRIPTION, categoryLineFields, categoryRolloverFields, categoryTargetField, groupLineFields, groupRolloverFields } from './common.schemas';

/** Zod schemas of the spending trends route. */

/** The most periods one trends request lists, and how many when not asked. */
export const MAX_TREND_PERIODS = 24;
export const DEFAULT_TREND_PERIODS = 6;

export const TrendsQuery = z.strictObject({
  periods: queryInteger({ min: 1, max: MAX_TREND_PERIODS })
    .default(DEFAULT_TREND_PERIODS)
    .openapi({
      param: { name: 'periods', in: 'query' },
      default: DEFAULT_TREND_PERIODS,
      example: DEFAULT_TREND_PERIODS,
      description: `How many periods, 1..${MAX_TREND_PERIODS} (default ${DEFAULT_TREND_PERIODS}): the one containing \`date\` and those just before it.`,
    }),
  date: calendarDate()
    .optional()
    .openapi({
      param: { name: 'date', in: 'query' },
      example: '2026-11-24',
      description: "Any day of the last period listed; default: today in the budget's time zone.",
    }),
});

/** A range line's emoji and color: the period lines' fields (the trend carries them as they are now). */
const { emoji: rangeEmoji, color: rangeColor } = categoryLineFields();

const money = (example: number, description?: string) => z.number().int().openapi({ example, ...(description ? { description } : {}) });
/** A range line's limit: each listed period's own limit summed; null without one. */
const rangeLimit = (description: string) => z.number().int().nullable().openapi({ example: 360000, description });

const AVERAGE =
  'total / the number of periods listed (empty periods count as 0), rounded to an integer, a half away from zero (2.5 -> 3).';

const RangeFigureSchema = z
  .object({
    total: money(4500, 'Summed over the periods listed.'),
    average: money(750, AVERAGE),
  })
  .openapi('TrendFigure');

export const TrendsSchema = z
  .object({
    period: z.enum(['weekly', 'monthly', 'yearly']).openapi({ example: 'monthly', description: "The budget's period kind." }),
    from: z.string().openapi({ example: '2026-06-01', description: 'First day of the first period listed.' }),
    to: z.string().openapi({ example: '2026-11-30', description: 'Last day of the last period listed (the one containing `date`).' }),
    total: money(1221000, "Every period's `spent`, summed."),
    average: money(203500, AVERAGE),
    periods: z
      .array(
        z
          .object({
            periodStart: z.string().openapi({ example: '2026-11-01' }),
            periodEnd: z.string().openapi({ example: '2026-11-30' }),
            limit: money(250000),
            carriedOver: money(12000, 'As in the summary: with rollover, what earlier periods since the budget was created left (negative when overspent); 0 otherwise.'),
            available: money(262000, 'limit + carriedOver'),
            spent: money(203500),
            remaining: money(58500, 'available - spent'),
            categories: z.array(
              z.object({
                ...categoryLineFields(),
                ...categoryRolloverFields(),
                spent: money(51000),
                ...categoryTargetField(),
              }),
            ),
            groups: z
              .array(z.object({ ...groupLineFields(), ...groupRolloverFields(), spent: money(51000) }).openapi('TrendPeriodGroup'))
              .openapi({ description: GROUPS_DESCRIPTION }),
            uncategorizedSpent: money(1500, 'Uncategorized spending, and spending in categories the budget no longer has.'),
          })
          .openapi('TrendPeriod'),
      )
      .openapi({
        description:
          "Oldest first. Each period's numbers are exactly its summary's (GET /v1/budgets/{budgetId}/summary?date= with a day of it), " +
          'less the thresholds and category `remaining`; a period without spending has 0s.',
      }),
    categories: z
      .array(
        z.object({
          categoryId: z.string().openapi({ example: EXAMPLE_CATEGORY_ID }),
          name: z.string().openapi({ example: 'Groceries' }),
          limit: rangeLimit(
            "The range's limit: this category's limit in each period listed, summed (a period with a per-period limit, set by move-money or PUT .../period-limits, counts that one); null when it has no limit.",
          ),
          group: z.string().nullable().openapi({ example: 'Everyday', description: 'Its category group; null when ungrouped.' }),
          hidden: z
            .boolean()
            .optional()
            .openapi({ example: true, description: 'Only when the category is hidden in the app (absent otherwise); its figures count as any other.' }),
          emoji: rangeEmoji,
          color: rangeColor,
          total: money(306000, "This category's `spent`, summed over the periods listed."),
          average: money(51000, AVERAGE),
        }),
      )
      .openapi({ description: "The budget's current categories, in its order (a category added recently has 0 in earlier periods)." }),
    groups: z
      .array(
        z
          .object({
            ...groupLineFields(),
            limit: rangeLimit(
              "The range's limit: the group's limit in each period listed (its categories' limits there, per-period limits included), summed; null when none of its categories has one.",
            ),
            total: money(306000, "This group's `spent`, summed over the periods listed."),
            average: money(51000, AVERAGE),
          })
          .openapi('TrendGroup'),
      )
      .openapi({ description: `${GROUPS_DESCRIPTION} Groups are not versioned: every period uses the budget's current groups.` }),
    uncategorized: RangeFigureSchema.openapi({ description: "The periods' `uncategorizedSpent` (categories removed from the budget included), summed and averaged." }),
  })
  .openapi('BudgetTrends');
