import { calendarDate, listSchema } from '@budgeting/platform/routes';
import { z } from '@hono/zod-openapi';
import { BudgetIdParams, EXAMPLE_BUDGET_ID, GROUPS_DESCRIPTION, categoryLineFields, categoryRolloverFields, categoryTargetField, groupLineFields, groupRolloverFields } from '../../schemas/common.schemas';

/** Zod schemas of the report routes. */

export const CreateReportBody = z
  .object({
    date: calendarDate().openapi({
      example: '2026-10-15',
      description: "Any day of the wanted period (in the budget's time zone); the period must have ended.",
    }),
  })
  .strict()
  .openapi('CreateReport', { example: { date: '2026-10-15' } });

export const ReportParams = BudgetIdParams.extend({
  reportId: z.string().openapi({ param: { name: 'reportId', in: 'path' }, example: '20261001-20261031' }),
});

const EXAMPLE_REPORT_DAYS = [
  { date: '2026-10-01', spent: 4200 },
  { date: '2026-10-02', spent: 0 },
];

export const ReportSchema = z
  .object({
    id: z.string().openapi({ example: '20261001-20261031', description: "The period's first and last day: one report per budget and period." }),
    budgetId: z.string().openapi({ example: EXAMPLE_BUDGET_ID }),
    budgetName: z.string().openapi({ example: 'Household', description: 'As it was when the report was generated.' }),
    periodStart: z.string().openapi({ example: '2026-10-01' }),
    periodEnd: z.string().openapi({ example: '2026-10-31' }),
    currency: z.string().openapi({ example: 'EUR' }),
    limit: z.number().int().openapi({ example: 250000 }),
    carriedOver: z.number().int().openapi({ example: 12000, description: 'As in the summary: with rollover, what earlier periods carried in.' }),
    available: z.number().int().openapi({ example: 262000, description: 'limit + carriedOver' }),
    spent: z.number().int().openapi({ example: 203500 }),
    remaining: z.number().int().openapi({ example: 58500, description: 'available - spent' }),
    income: z.number().int().optional().openapi({
      example: 310000,
      description:
        "Monthly budgets only, when the month had income: the month's income (GET .../cash-flow's `income`). Absent otherwise, and on reports generated before 2026-12-05.",
    }),
    savingsRate: z.number().int().optional().openapi({
      example: 3435,
      description: 'With `income` only: (income - spent) / income in basis points (10,000 = 100 %), rounded a half away from zero, as GET .../cash-flow gives it.',
    }),
    byCategory: z.array(
      z.object({
        ...categoryLineFields(),
        ...categoryRolloverFields(),
        spent: z.number().int().openapi({ example: 51000 }),
        ...categoryTargetField(),
      }),
    ),
    groups: z
      .array(z.object({ ...groupLineFields(), ...groupRolloverFields(), spent: z.number().int().openapi({ example: 51000 }) }).openapi('ReportGroup'))
      .openapi({
        description:
          `${GROUPS_DESCRIPTION} As the categories were grouped when the report was generated; ` +
          'a report generated before category groups existed lists none (and its categories have `group: null`).',
      }),
    uncategorizedSpent: z.number().int().openapi({ example: 1500, description: 'Spending without a category (or in a removed one).' }),
    byDay: z
      .array(z.object({ date: z.string(), spent: z.number().int() }))
      .openapi({ example: EXAMPLE_REPORT_DAYS, description: 'Every day of the period, in order (0 when nothing was spent).' }),
    topMerchants: z
      .array(z.object({ merchant: z.string(), spent: z.number().int(), count: z.number().int() }))
      .openapi({
        example: [{ merchant: 'Corner Market', spent: 38200, count: 9 }],
        description:
          'Up to 5 merchants with the most spending, then the most expenses, then by name; a merchant is grouped ignoring case, accents and spacing ' +
          '(as the spending breakdown by merchant and the year in review group it) and shown as its most frequent spelling in the period; `count` = expenses. ' +
          "Empty when one merchant's spending passes 2^53 - 1 minor units (refunds elsewhere keeping the period's within it): no ranking can be given exactly.",
      }),
    previousPeriod: z
      .object({ periodStart: z.string(), periodEnd: z.string(), spent: z.number().int() })
      .nullable()
      .openapi({
        example: { periodStart: '2026-09-01', periodEnd: '2026-09-30', spent: 187000 },
        description:
          'Spending of the period before; null when that period ended before the budget was created, or when its spending passed 2^53 - 1 minor units (no exact figure).',
      }),
    generatedAt: z.string().openapi({ format: 'date-time', example: '2026-11-01T00:05:00.000Z' }),
  })
  .openapi('Report');

export const ReportListSchema = listSchema('ReportList', ReportSchema);
