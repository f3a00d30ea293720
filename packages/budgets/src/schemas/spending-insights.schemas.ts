import { calendarDate, queryInteger } from '@budgeting/platform/routes';
import { z } from '@hono/zod-openapi';
import { EXAMPLE_BUDGET_ID, EXAMPLE_CATEGORY_ID, categoryLineFields } from './common.schemas';

/** Zod schemas of the unusual spending route (GET .../spending-insights). */

/** The most previous periods one request averages, and how many when not asked. */
export const MAX_INSIGHT_PERIODS = 6;
export const DEFAULT_INSIGHT_PERIODS = 3;
/** The smallest difference (minor units) that makes a line `above` or `below` when not asked, and the most one may ask. */
export const DEFAULT_MIN_DIFFERENCE = 1000;
export const MAX_MIN_DIFFERENCE = 1_000_000_000_000;

export const SpendingInsightsQuery = z.strictObject({
  date: calendarDate()
    .optional()
    .openapi({
      param: { name: 'date', in: 'query' },
      example: '2026-11-10',
      description: "The day compared (day k of its period); default: today in the budget's time zone.",
    }),
  periods: queryInteger({ min: 1, max: MAX_INSIGHT_PERIODS })
    .default(DEFAULT_INSIGHT_PERIODS)
    .openapi({
      param: { name: 'periods', in: 'query' },
      default: DEFAULT_INSIGHT_PERIODS,
      example: DEFAULT_INSIGHT_PERIODS,
      description: `How many previous periods make "usual", 1..${MAX_INSIGHT_PERIODS} (default ${DEFAULT_INSIGHT_PERIODS}); fewer when the budget is younger.`,
    }),
  minDifference: queryInteger({ min: 0, max: MAX_MIN_DIFFERENCE })
    .default(DEFAULT_MIN_DIFFERENCE)
    .openapi({
      param: { name: 'minDifference', in: 'query' },
      default: DEFAULT_MIN_DIFFERENCE,
      example: DEFAULT_MIN_DIFFERENCE,
      description: `The smallest difference, in minor units (0..10^12, default ${DEFAULT_MIN_DIFFERENCE}), for a line to be \`above\` or \`below\`: small amounts are never unusual.`,
    }),
});

const money = (example: number, description: string) => z.number().int().openapi({ example, description });

const figures = (example: { spentSoFar: number; usualSoFar: number; difference: number; changePercent: number | null; status: string }) => ({
  spentSoFar: money(example.spentSoFar, 'Spent from the first day of the period through `date`.'),
  usualSoFar: money(
    example.usualSoFar,
    'What the previous periods spent in their first `dayOfPeriod` days (a shorter period: all of it), summed and divided by `periods`, rounded a half away from zero; 0 without previous periods.',
  ),
  difference: money(example.difference, 'spentSoFar - usualSoFar'),
  changePercent: z.number().nullable().openapi({
    example: example.changePercent,
    description: 'difference / |usualSoFar| in percent, one decimal, a half away from zero; null when usualSoFar is 0.',
  }),
  status: z.enum(['above', 'usual', 'below']).openapi({
    example: example.status,
    description:
      '`above`: spentSoFar >= 125% of usualSoFar and difference >= `minDifference`; `below`: spentSoFar <= 75% of usualSoFar and -difference >= `minDifference`; ' +
      '`usual` otherwise, always without previous periods and when the difference is 0.',
  }),
});

const TOTAL = { spentSoFar: 98000, usualSoFar: 76500, difference: 21500, changePercent: 28.1, status: 'above' } as const;
const DINING = { spentSoFar: 31200, usualSoFar: 21500, difference: 9700, changePercent: 45.1, status: 'above' } as const;

const { categoryId, name, hidden, emoji, color } = categoryLineFields();

const InsightLineSchema = z
  .object({
    categoryId: categoryId.openapi({ description: 'A current category of the budget, or `uncategorized`: the summary\'s uncategorized line (removed categories in it), listed when it has spending in any compared range.' }),
    name,
    hidden,
    emoji,
    color,
    ...figures(DINING),
  })
  .openapi('SpendingInsightLine');

export const SpendingInsightsSchema = z
  .object({
    budgetId: z.string().openapi({ example: EXAMPLE_BUDGET_ID }),
    currency: z.string().openapi({ example: 'EUR' }),
    periodStart: z.string().openapi({ example: '2026-11-01' }),
    periodEnd: z.string().openapi({ example: '2026-11-30' }),
    date: z.string().openapi({ example: '2026-11-10', description: 'The day compared.' }),
    dayOfPeriod: z.number().int().openapi({ example: 10, description: "Days from periodStart through `date`, both included." }),
    periods: z.number().int().openapi({
      example: 3,
      description: "How many previous periods were averaged: the asked `periods`, fewer for a budget created since (none before its first period); 0: every usualSoFar is 0 and every status `usual`.",
    }),
    total: z
      .object({ categoryId: z.null().openapi({ description: 'The whole budget.' }), name: z.string().openapi({ example: 'Total' }), ...figures(TOTAL) })
      .openapi('SpendingInsightTotal'),
    categories: z.array(InsightLineSchema).openapi({ description: 'Every current category (hidden ones flagged), then maybe `uncategorized`, sorted by difference, largest first.' }),
  })
  .openapi('SpendingInsights', {
    example: {
      budgetId: EXAMPLE_BUDGET_ID,
      currency: 'EUR',
      periodStart: '2026-11-01',
      periodEnd: '2026-11-30',
      date: '2026-11-10',
      dayOfPeriod: 10,
      periods: 3,
      total: { categoryId: null, name: 'Total', ...TOTAL },
      categories: [{ categoryId: EXAMPLE_CATEGORY_ID, name: 'Dining', ...DINING }],
    },
  });
