import { calendarMonth, listSchema, paginationQuery } from '@budgeting/platform/routes';
import { z } from '@hono/zod-openapi';
import { AGE_OF_MONEY_HISTORY_MONTHS, AGE_OF_MONEY_SPENDING_DAYS, AGE_OF_MONEY_WINDOW_MONTHS } from '../domain/age-of-money';
import { CASH_FLOW_DEFAULT_MONTHS, CASH_FLOW_MAX_MONTHS } from '../domain/cash-flow';
import { DESCRIPTION_MAX, ID_MAX, MERCHANT_MAX, amount, budgetId, calendarDate, currency, text, visibleText } from './expenses.schemas';

/**
 * The income API's bodies and responses, and the cash flow's (packages/expenses/docs/income.md "Income and cash
 * flow"). An income entry keeps an expense's conventions: `amount` in minor units, bounded as an
 * expense's; `source` limited as a merchant; unknown fields refused and named (`.strict()`).
 */

/** Who paid: limited as an expense's merchant. */
const source = visibleText(MERCHANT_MAX, 'Acme payroll');
const description = text(DESCRIPTION_MAX, 'November salary');

export const CreateIncomeBody = z
  .object({
    amount: amount.openapi({ example: 320000, description: "Minor units of the budget's currency received (320000 = 3,200.00 USD); greater than 0." }),
    receivedOn: calendarDate.optional().openapi({ description: "The day the money arrived; its month's income counts it. Defaults to today in the budget's time zone." }),
    source: source.optional().openapi({ description: `Who paid it (1..${MERCHANT_MAX} characters after trimming; empty: none).` }),
    description: description.optional(),
    currency: currency.optional(),
  })
  .strict()
  .openapi('CreateIncome', { example: { amount: 320000, receivedOn: '2026-11-28', source: 'Acme payroll', description: 'November salary' } });

export const UpdateIncomeBody = z
  .object({
    amount: amount.optional(),
    receivedOn: calendarDate.optional().openapi({ description: 'Moves it to that day (and its amount to that month\'s income).' }),
    source: source.nullable().optional().openapi({ description: 'Replaces the source; null or empty removes it.' }),
    description: description.nullable().optional().openapi({ description: 'Replaces the description; null or empty removes it.' }),
    currency: currency.optional(),
  })
  .strict()
  .openapi('UpdateIncome', { example: { amount: 335000, description: 'November salary with bonus' } });

export const IncomeSchema = z
  .object({
    id: z.string().openapi({ example: '01JDINCOME00000000000000001' }),
    budgetId: z.string().openapi({ example: '01JDBUDGET00000000000000001' }),
    amount: z.number().int().openapi({ example: 320000, description: "Minor units of the budget's currency; greater than 0." }),
    receivedOn: z.string().openapi({ format: 'date', example: '2026-11-28' }),
    source: z.string().optional().openapi({ example: 'Acme payroll', description: 'Only when given.' }),
    description: z.string().optional().openapi({ example: 'November salary', description: 'Only when given.' }),
    recurringIncomeId: z
      .string()
      .optional()
      .openapi({ example: '01JDRECURINCOME000000000001', description: 'The recurring income this entry is an occurrence of (recorded on its schedule, or by its record-next); absent for an entry recorded otherwise. Kept when the definition is deleted.' }),
    createdBy: z.string().openapi({ example: '01JDUSER0000000000000000001' }),
    version: z.number().int().openapi({ example: 1, description: 'Sent as the ETag; send it back in If-Match.' }),
    createdAt: z.string().openapi({ format: 'date-time', example: '2026-11-28T09:00:00.000Z' }),
    updatedAt: z.string().openapi({ format: 'date-time', example: '2026-11-28T09:00:00.000Z' }),
  })
  .openapi('Income');

export const IncomeListSchema = listSchema('IncomeList', IncomeSchema);

/** The entries of one recurring income (their `recurringIncomeId`), as the expenses' `recurringExpenseId` filter. */
const recurringIncomeFilter = (what: string) =>
  z
    .string()
    .min(1)
    .max(ID_MAX)
    .optional()
    .openapi({
      param: { name: 'recurringIncomeId', in: 'query' },
      example: '01JDRECURINCOME000000000001',
      description:
        `Only ${what} recorded from this recurring income (by its scheduled job or record-next: their \`recurringIncomeId\`), the paychecks of one definition. ` +
        "Also after the definition was deleted (its entries keep naming it). Read from the definition's own index: one Query a page. An id no definition of this budget has: none.",
    });

export const ListIncomeQuery = z
  .object({
    from: calendarDate.optional().openapi({ param: { name: 'from', in: 'query' }, description: 'Earliest receivedOn (inclusive).' }),
    to: calendarDate.optional().openapi({ param: { name: 'to', in: 'query' }, description: 'Latest receivedOn (inclusive).' }),
    recurringIncomeId: recurringIncomeFilter('entries'),
    ...paginationQuery,
  })
  .strict();

/** The income export's range (GET .../income/export): the list's `from`/`to` and `recurringIncomeId`, no paging (the file is whole). */
export const IncomeExportQuery = z
  .object({
    from: calendarDate.optional().openapi({ param: { name: 'from', in: 'query' }, example: '2026-01-01', description: 'Earliest receivedOn (inclusive).' }),
    to: calendarDate.optional().openapi({ param: { name: 'to', in: 'query' }, example: '2026-12-31', description: 'Latest receivedOn (inclusive).' }),
    recurringIncomeId: recurringIncomeFilter('rows of entries'),
  })
  .strict();

export const IncomeParams = z
  .object({
    budgetId,
    incomeId: z.string().min(1).max(ID_MAX).openapi({ param: { name: 'incomeId', in: 'path' }, example: '01JDINCOME00000000000000001' }),
  })
  .strict();

/**
 * A month query parameter (the cash flow's `from`/`to`, the monthly spending's, the paychecks'
 * status's `month`): the platform's calendarMonth, 1900-01..9998-12 as the dates the API takes.
 */
export const monthQuery = (name: 'from' | 'to' | 'month', description: string) =>
  calendarMonth()
    .optional()
    .openapi({ param: { name, in: 'query' }, example: name === 'from' ? '2026-06' : '2026-11', description });

export const CashFlowQuery = z
  .object({
    from: monthQuery(
      'from',
      `First month (inclusive). Default: ${CASH_FLOW_DEFAULT_MONTHS - 1} months before \`to\`. Not after \`to\`, and at most ${CASH_FLOW_MAX_MONTHS} months from it to \`to\` (else a 400 naming \`query.from\`).`,
    ),
    to: monthQuery('to', "Last month (inclusive). Default: the current month in the budget's time zone."),
  })
  .strict();

const figures = {
  income: z.number().int().openapi({ example: 320000, description: 'Income recorded with a receivedOn in the month (minor units).' }),
  spent: z.number().int().openapi({
    example: 251000,
    description: "Spending as the budget's running totals hold it: every expense of the month, refunds lowering it (so it may be negative).",
  }),
  net: z.number().int().openapi({ example: 69000, description: '`income - spent`; negative when more went out than came in.' }),
  savingsRate: z
    .number()
    .int()
    .nullable()
    .openapi({
      example: 2156,
      description: '`net / income` in basis points (2156 = 21.56 %), rounded half away from zero; negative when `net` is; null when `income` is 0.',
    }),
};

export const CashFlowMonthSchema = z
  .object({ month: z.string().openapi({ example: '2026-11', description: 'YYYY-MM' }), ...figures })
  .openapi('CashFlowMonth');

export const CashFlowSchema = z
  .object({
    currency: z.string().openapi({ example: 'USD', description: "The budget's currency: every amount is in its minor units." }),
    months: z.array(CashFlowMonthSchema).openapi({ description: 'Every month of the range, oldest first, months without income or spending included (zeros, `savingsRate` null).' }),
    total: z.object(figures).openapi({ description: "The range's sums; `savingsRate` of the sums (not an average of the months')." }),
  })
  .openapi('CashFlow', {
    example: {
      currency: 'USD',
      months: [
        { month: '2026-10', income: 0, spent: 12000, net: -12000, savingsRate: null },
        { month: '2026-11', income: 320000, spent: 251000, net: 69000, savingsRate: 2156 },
      ],
      total: { income: 320000, spent: 263000, net: 57000, savingsRate: 1781 },
    },
  });

export const AgeOfMoneyQuery = z
  .object({
    date: calendarDate.optional().openapi({ param: { name: 'date', in: 'query' }, example: '2026-11-24', description: "The day the age is measured on. Default: today in the budget's time zone." }),
  })
  .strict();

/** Why an age is null (AgeOfMoneyReason): the answer's and each history month's. */
const ageOfMoneyReason = z.enum(['not-enough-income', 'no-spending']).nullable();

const nullableDate = (description: string) => z.string().nullable().openapi({ example: '2026-11-20', description });

export const AgeOfMoneySchema = z
  .object({
    date: z.string().openapi({ example: '2026-11-24', description: 'The day the age is measured on (YYYY-MM-DD).' }),
    days: z.number().int().nullable().openapi({
      example: 23,
      description:
        `Whole days, on average, between a unit of money coming in and going out (first in, first out), over the units spent on the last ${AGE_OF_MONEY_SPENDING_DAYS} days with spending up to \`date\`, ` +
        'weighted by amount, rounded half up. Null: see `reason`.',
    }),
    reason: ageOfMoneyReason.openapi({
      example: null,
      description: '`not-enough-income`: on one of those days spending outran all the income recorded up to it (record the income). `no-spending`: no day with spending in the window. Null when `days` is a number.',
    }),
    basedOn: z
      .object({
        spendingDays: z.number().int().openapi({ example: 10, description: `The days with spending averaged (at most ${AGE_OF_MONEY_SPENDING_DAYS}).` }),
        from: nullableDate('The oldest of them; null without any.'),
        to: nullableDate('The newest of them; null without any.'),
      })
      .openapi({ description: 'What `days` averages.' }),
    window: z
      .object({
        from: z.string().openapi({ example: '2024-12-01', description: `Where the first in, first out starts, with no older money: the first day of the month ${AGE_OF_MONEY_WINDOW_MONTHS - 1} months before \`date\`'s (later only past 2,000 income entries in the window).` }),
        to: z.string().openapi({ example: '2026-11-24', description: '`date`.' }),
        leadInTo: z.string().openapi({
          example: '2025-11-30',
          description: 'The lead-in, `from`..`leadInTo` (the window\'s first 12 months): spending the income does not cover there is taken as paid with older money, not read; after it, as not enough income. When the budget holds nothing before the window, there is no lead-in: `leadInTo` is the day before `from`.',
        }),
      })
      .openapi({ description: 'The income and spending read.' }),
    history: z
      .array(
        z.object({
          month: z.string().openapi({ example: '2026-10', description: 'YYYY-MM' }),
          asOf: z.string().openapi({ example: '2026-10-31', description: "The day measured: the month's last, `date` for its own month." }),
          days: z.number().int().nullable().openapi({ example: 21, description: 'The age on `asOf`, as `days`; null without spending or enough income: see its `reason`.' }),
          reason: ageOfMoneyReason.openapi({ example: null, description: 'Why `days` is null on `asOf`, as the answer\'s `reason`; null when it is a number.' }),
        }),
      )
      .openapi({ description: `The ${AGE_OF_MONEY_HISTORY_MONTHS} months up to \`date\`'s, oldest first.` }),
  })
  .openapi('AgeOfMoney', {
    example: {
      date: '2026-11-24',
      days: 23,
      reason: null,
      basedOn: { spendingDays: 10, from: '2026-11-09', to: '2026-11-23' },
      window: { from: '2024-12-01', to: '2026-11-24', leadInTo: '2025-11-30' },
      history: [
        { month: '2026-09', asOf: '2026-09-30', days: null, reason: 'not-enough-income' },
        { month: '2026-10', asOf: '2026-10-31', days: 21, reason: null },
        { month: '2026-11', asOf: '2026-11-24', days: 23, reason: null },
      ],
    },
  });

export type CreateIncomeInput = z.infer<typeof CreateIncomeBody>;
export type UpdateIncomeInput = z.infer<typeof UpdateIncomeBody>;
export type ListIncomeInput = z.infer<typeof ListIncomeQuery>;
export type IncomeExportInput = z.infer<typeof IncomeExportQuery>;
export type CashFlowInput = z.infer<typeof CashFlowQuery>;
export type AgeOfMoneyInput = z.infer<typeof AgeOfMoneyQuery>;
