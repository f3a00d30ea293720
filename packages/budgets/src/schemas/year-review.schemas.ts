import { queryInteger } from '@budgeting/platform/routes';
import { z } from '@hono/zod-openapi';
import { EXAMPLE_CATEGORY_ID } from './common.schemas';

/** Zod schemas of the year in review (GET .../year-review). */

export const YearReviewQuery = z.strictObject({
  year: queryInteger({ min: 1900, max: 9998 })
    .optional()
    .openapi({
      param: { name: 'year', in: 'query' },
      example: 2026,
      description: "The year reviewed, from the budget's creation year to the current one (else a 400 naming `query.year`); default: the current year in the budget's time zone.",
    }),
});

const money = (example: number, description?: string) => z.number().int().openapi({ example, ...(description ? { description } : {}) });
const BASIS_POINTS = 'In basis points (10,000 = 100 %), rounded to an integer a half away from zero; null when the base is 0.';

const SAVINGS_RATE = 'In basis points (10,000 = 100 %), rounded to an integer a half away from zero; null when there is no income.';

const MonthOfYear = z
  .object({
    month: z.string().openapi({ example: '2026-11' }),
    spent: money(182000, 'Spending dated in the month (refunds lower it; split expenses counted whole).'),
    limit: money(200000, 'Monthly budgets only, from their first month: that period\'s limit ("Limit history", "Move money").').optional(),
    underLimit: z.boolean().optional().openapi({ example: true, description: 'Monthly budgets only, once the month has ended: spent <= limit.' }),
    income: money(310000, 'Income recorded in the month (GET .../cash-flow\'s `income`); 0 when none.'),
    net: money(128000, 'income - spent (negative when more was spent than came in).'),
    savingsRate: z.number().int().nullable().openapi({ example: 4129, description: `net / income, as GET .../cash-flow gives it. ${SAVINGS_RATE}` }),
  })
  .openapi('YearReviewMonth');

const MonthFigure = z.object({ month: z.string().openapi({ example: '2026-12' }), spent: money(240000) });

export const YearReviewSchema = z
  .object({
    year: z.number().int().openapi({ example: 2026 }),
    period: z.enum(['weekly', 'monthly', 'yearly']).openapi({ example: 'monthly', description: "The budget's period kind (what `periodsWithinLimit` counts)." }),
    currency: z.string().openapi({ example: 'EUR' }),
    from: z.string().openapi({ example: '2026-01-01' }),
    to: z.string().openapi({ example: '2026-12-31' }),
    spent: money(2184000, 'Spending dated in the year, from the running totals: the months summed.'),
    income: money(3720000, "Income recorded in the year: its months' `income` summed, GET .../cash-flow's total for January to December."),
    net: money(1536000, 'income - spent.'),
    savingsRate: z
      .number()
      .int()
      .nullable()
      .openapi({ example: 4129, description: `net / income of the whole year (the rate of the sums, not a mean of the months' rates). ${SAVINGS_RATE}` }),
    expenseCount: z.number().int().optional().openapi({ example: 912, description: 'Expenses dated in the year (refunds included); absent when the year holds more than 20,000 (`merchants` is then null).' }),
    months: z.array(MonthOfYear).openapi({ description: 'The twelve calendar months, January first.' }),
    biggestMonth: MonthFigure.nullable().openapi({ description: 'The month with the most spending (ties: the earlier); null when none is above 0.' }),
    quietestMonth: MonthFigure.nullable().openapi({
      description: 'The month with the least spending among those that have ended, from the month the budget was created in (ties: the earlier); null when none has.',
    }),
    categories: z
      .array(
        z.object({
          categoryId: z.string().openapi({ example: EXAMPLE_CATEGORY_ID, description: 'A category id, or `uncategorized`: no category, and categories removed from the budget.' }),
          name: z.string().openapi({ example: 'Groceries' }),
          spent: money(612000, 'Split parts counted in their own categories.'),
          share: z.number().int().nullable().openapi({ example: 2802, description: `spent / the year's spent. ${BASIS_POINTS} (null too when the year's spent is below 0).` }),
        }),
      )
      .openapi({ description: 'At most 5 lines with spending above 0, most first (ties in the budget\'s order, uncategorized last).' }),
    merchants: z
      .array(
        z.object({
          merchant: z.string().openapi({ example: 'Lidl', description: "The merchant's most frequent spelling in the year (spelling, case, accents and spacing ignored in grouping)." }),
          spent: money(254000),
          count: z.number().int().openapi({ example: 96, description: 'Its expenses in the year (refunds included).' }),
        }),
      )
      .nullable()
      .openapi({ description: 'At most 5 merchants with spending above 0, most first; null when the year holds more than 20,000 expenses.' }),
    periodsWithinLimit: z
      .object({
        count: z.number().int().openapi({ example: 9, description: "Periods whose spending stayed within their own limit (spent <= limit; rollover's carried amounts not counted)." }),
        of: z.number().int().openapi({ example: 11, description: "Budget periods of the year judged: those that have ended, from the budget's first (weekly: the ISO weeks of the year, 52 or 53)." }),
      })
      .openapi({ description: 'Each period exactly as its summary computes it.' }),
    comparedWithPreviousYear: z
      .object({
        from: z.string().openapi({ example: '2025-01-01' }),
        to: z.string().openapi({ example: '2025-12-31', description: 'For the current year, the same day as today a year before (29 February: the 28th).' }),
        spent: money(2310000, 'Spending dated from `from` to `to` of the previous year.'),
        change: z
          .number()
          .int()
          .nullable()
          .openapi({ example: -545, description: `(this year's spending over the same days - spent) / |spent|. ${BASIS_POINTS}` }),
        cashFlow: z
          .object({
            from: z.string().openapi({ example: '2025-01', description: "The previous year's first month compared (YYYY-MM)." }),
            to: z.string().openapi({ example: '2025-11', description: "Its last: December for a past year; for the current year the month before today's (the last that has ended)." }),
            income: money(3410000, 'The previous year\'s income over those months.'),
            incomeChange: z
              .number()
              .int()
              .nullable()
              .openapi({ example: 909, description: `(this year's income over the same months - income) / |income|. ${BASIS_POINTS}` }),
            net: money(1200000, 'The previous year\'s income - spending over those months (whole months: GET .../cash-flow\'s `net`).'),
            netChange: z
              .number()
              .int()
              .nullable()
              .openapi({ example: 1250, description: `(this year's net over the same months - net) / |net|. ${BASIS_POINTS}` }),
          })
          .nullable()
          .openapi({
            description:
              "Income and net against the previous year's same WHOLE months (income is kept per month, without day figures): a past year's twelve, the current year's months that have ended; null in January of the current year (none has).",
          }),
      })
      .openapi({ description: 'The previous year\'s same days: the whole year for a past year, 1 January to today\'s date for the current one.' }),
  })
  .openapi('YearReview');
