import { installmentFields, installmentPlanFields } from '@budgeting/budgets/schemas';
import { queryInteger } from '@budgeting/platform/routes';
import { z } from '@hono/zod-openapi';
import { FREQUENCIES } from '../domain/recurrence';
import { PRICE_CHANGE_DEFAULT_DAYS, PRICE_CHANGE_MAX_DAYS, PRICE_CHANGE_MIN_DAYS } from '../domain/price-changes';
import { MAX_UPCOMING } from '../domain/scheduled';
import { SplitPartSchema } from './expenses.schemas';

/**
 * The upcoming bills and the yearly costs of a budget's recurring expenses (service/recurring-outlook.service.ts).
 * Field names as the RecurringExpense schema's (`recurringExpenseId` for its `id`, `frequency`
 * and `interval` as in its `schedule`); amounts are minor units of `currency`.
 */
export const UPCOMING_MAX_DAYS = 90;
export const UPCOMING_DEFAULT_DAYS = 30;

/** A `?days=` query of min..max (default `fallback`), the only parameter (an unknown one is a 400). */
const daysQuery = (min: number, max: number, fallback: number, description: string) =>
  z
    .object({
      days: queryInteger({ min, max })
        .default(fallback)
        .openapi({ param: { name: 'days', in: 'query' }, default: fallback, example: fallback, description: `${description}: ${min}..${max}.` }),
    })
    .strict();

export const UpcomingBillsQuery = daysQuery(1, UPCOMING_MAX_DAYS, UPCOMING_DEFAULT_DAYS, "How many days to look ahead, today (in the budget's time zone) included");

/** The route takes no parameters (an unknown one is a 400, as on the bill finder's). */
export const RecurringCostsQuery = z.object({}).strict();

const recurringExpenseId = z.string().openapi({ example: '01JDRECURRING00000000000001', description: 'The recurring expense (its `id`).' });
const money = (example: number, description: string) => z.number().int().openapi({ example, description });
const currency = z.string().openapi({ example: 'EUR', description: "The budget's currency: every amount is in its minor units." });

export const UpcomingBillSchema = z
  .object({
    recurringExpenseId,
    occurredOn: z.string().openapi({ format: 'date', example: '2026-12-01', description: 'The date the occurrence will be recorded on.' }),
    amount: money(120000, "The definition's amount."),
    categoryId: z.string().nullable().openapi({ example: null, description: "The definition's category (null: uncategorized, and always null when split); it may have been removed from the budget since." }),
    merchant: z.string().optional().openapi({ example: 'Landlord Ltd' }),
    description: z.string().optional().openapi({ example: 'Rent' }),
    splits: z
      .array(SplitPartSchema)
      .optional()
      .openapi({ description: "Only for a split definition: its parts, adding up to `amount`, as the definition's `splits`." }),
    daysUntil: z.number().int().openapi({ example: 3, description: 'Days from today in the budget\'s time zone to `occurredOn` (0: today).' }),
    ...installmentFields(),
  })
  .openapi('UpcomingBill');

export const UpcomingBillsSchema = z
  .object({
    from: z.string().openapi({ format: 'date', example: '2026-11-28', description: "Today in the budget's time zone: the first day looked at." }),
    to: z.string().openapi({ format: 'date', example: '2026-12-27', description: 'The last day looked at: `from` + `days` - 1.' }),
    currency,
    total: money(135000, 'The sum of every occurrence in the days, listed or not.'),
    count: z.number().int().openapi({ example: 3, description: 'How many occurrences fall in the days, listed or not.' }),
    truncated: z.boolean().openapi({ example: false, description: `true when more than ${MAX_UPCOMING} occurrences fall in the days: \`items\` lists the nearest ${MAX_UPCOMING}; \`total\` and \`count\` count them all.` }),
    items: z.array(UpcomingBillSchema).openapi({ description: 'Nearest first, then by recurring expense id.' }),
  })
  .openapi('UpcomingBills');

export const RecurringCostSchema = z
  .object({
    recurringExpenseId,
    merchant: z.string().optional().openapi({ example: 'Netflix' }),
    description: z.string().optional().openapi({ example: 'Streaming' }),
    categoryId: z.string().nullable().openapi({ example: '01JDCATEGORY000000000000001', description: 'null: uncategorized, and always null for a split definition.' }),
    frequency: z.enum(FREQUENCIES).openapi({ example: 'monthly', description: "As the definition's `schedule.frequency`." }),
    interval: z.number().int().openapi({ example: 1, description: "As the definition's `schedule.interval`." }),
    amount: money(1299, "The definition's amount, per occurrence."),
    occurrences: z.number().int().openapi({ example: 12, description: 'Its occurrences from `from` through `to`, counted on its schedule: skipped dates and `endsOn` respected.' }),
    yearly: money(15588, '`occurrences` x `amount`: exactly what it will record in the year ahead.'),
    monthly: money(1299, '`yearly` / 12 rounded to the minor unit, half away from zero (integer arithmetic).'),
    ...installmentPlanFields(),
  })
  .openapi('RecurringCost');

export const RecurringCostsSchema = z
  .object({
    from: z.string().openapi({ format: 'date', example: '2026-11-28', description: "Today in the budget's time zone." }),
    to: z.string().openapi({ format: 'date', example: '2027-11-27', description: 'The day before the same date next year (from Feb 29: Feb 27, next year\'s Feb 28 standing for it).' }),
    currency,
    items: z.array(RecurringCostSchema).openapi({ description: 'Every active recurring expense (not paused, not ended), largest `yearly` first, then by id.' }),
    totals: z
      .object({
        yearly: money(15588, 'The sum of the items\' `yearly`.'),
        monthly: money(1299, '`totals.yearly` / 12 rounded as the items\' (so it may differ by a few minor units from the sum of their `monthly`).'),
      })
      .openapi('RecurringCostTotals'),
  })
  .openapi('RecurringCosts');

export const PriceChangesQuery = daysQuery(
  PRICE_CHANGE_MIN_DAYS,
  PRICE_CHANGE_MAX_DAYS,
  PRICE_CHANGE_DEFAULT_DAYS,
  "How many days of expenses to look back at, today (in the budget's time zone) included",
);

export const PriceChangeSchema = z
  .object({
    recurringExpenseId,
    merchant: z.string().openapi({ example: 'Netflix', description: "The definition's merchant." }),
    currentAmount: money(1549, "The definition's amount (per occurrence; a split definition's whole amount)."),
    newAmount: money(1799, 'The amount of the latest payment of the merchant (an expense the definition did not record; a split one counts whole).'),
    change: money(250, '`newAmount` - `currentAmount`: positive for an increase.'),
    changePercent: z.number().openapi({ example: 16.1, description: '`change` / `currentAmount` in percent, one decimal, rounded half away from zero (-6.25 gives -6.3).' }),
    seenOn: z.string().openapi({ format: 'date', example: '2026-12-03', description: 'The latest payment\'s `occurredOn`.' }),
    expenseId: z.string().openapi({ example: '01JDEXPENSE000000000000001', description: 'The latest payment (an expense of the budget).' }),
    update: z
      .object({ amount: money(1799, 'The new amount.') })
      .optional()
      .openapi('PriceChangeUpdate', {
        description:
          'The body of PATCH .../recurring-expenses/{recurringExpenseId} that applies the new price. Absent for a split definition (its `splits` must be sent with its `amount`) and for one with `sharedAmounts` (new amounts adding up to the new price must be sent with it).',
      }),
  })
  .openapi('PriceChange');

export const PriceChangesSchema = z
  .object({
    from: z.string().openapi({ format: 'date', example: '2026-08-06', description: 'The first day whose expenses were read: `to` - `days` + 1.' }),
    to: z.string().openapi({ format: 'date', example: '2026-12-03', description: "Today in the budget's time zone: the last day read." }),
    currency,
    items: z.array(PriceChangeSchema).openapi({ description: 'Largest increase first (decreases last), then by recurring expense id.' }),
  })
  .openapi('PriceChanges');
