import { z } from '@hono/zod-openapi';
import { ESTIMATE_MIN_DAYS, ESTIMATE_WINDOW_DAYS, FORECAST_DEFAULT_DAYS, FORECAST_MAX_DAYS } from '../domain/cash-forecast';
import { calendarDate } from './expenses.schemas';

/**
 * GET .../cash-flow/forecast (service/cash-forecast.service.ts, domain/cash-forecast.ts). Field
 * names as the upcoming routes' (`recurringIncomeId`, `recurringExpenseId`, `source`,
 * `merchant`, `description`); amounts in minor units of `currency`.
 */
/** The totals' limit (repository/totals-cap.ts MAX_EXACT_TOTAL): 2^53 - 1 minor units. */
const MAX_EXACT_TOTAL = Number.MAX_SAFE_INTEGER;
const BALANCE_ERROR = `Must be a whole number of minor units from -${MAX_EXACT_TOTAL} to ${MAX_EXACT_TOTAL}`;

/**
 * A signed whole number in the query string (an account may be overdrawn), plain decimal digits
 * only as the platform's queryInteger (which takes no sign), within the totals' limit: at most
 * 16 digits, and a 16-digit number past 2^53 - 1 (rounded by Number to one still past it) is
 * refused by the bounds.
 */
const startingBalance = z
  .string()
  .regex(/^-?\d{1,16}$/, { error: BALANCE_ERROR })
  .transform(Number)
  .pipe(z.number().int().min(-MAX_EXACT_TOTAL, { error: BALANCE_ERROR }).max(MAX_EXACT_TOTAL, { error: BALANCE_ERROR }))
  .openapi({ type: 'integer', minimum: -MAX_EXACT_TOTAL, maximum: MAX_EXACT_TOTAL });

export const CashForecastQuery = z
  .object({
    to: calendarDate.optional().openapi({
      param: { name: 'to', in: 'query' },
      example: '2026-12-23',
      description: `The last day looked at (inclusive): from today in the budget's time zone, at most ${FORECAST_MAX_DAYS} days including today. Default: ${FORECAST_DEFAULT_DAYS} days including today.`,
    }),
    startingBalance: startingBalance.optional().openapi({
      param: { name: 'startingBalance', in: 'query' },
      example: 152000,
      description:
        "The money the household has now, in minor units of the budget's currency (negative: overdrawn), as the app knows it: `runningNet` starts there. Default 0 (the API knows no account balance).",
    }),
    spending: z.enum(['none', 'estimate']).optional().openapi({
      param: { name: 'spending', in: 'query' },
      example: 'estimate',
      description: `\`estimate\`: every day also spends the everyday spending estimate (\`estimate\` in the answer: the day totals of the ${ESTIMATE_WINDOW_DAYS} days before today less the recurring bills scheduled in them, per day). Default \`none\`: only the recurring income and bills.`,
    }),
  })
  .strict();

const money = (example: number, description: string) => z.number().int().openapi({ example, description });

export const ForecastIncomeSchema = z
  .object({
    recurringIncomeId: z.string().openapi({ example: '01JDRECURINCOME000000000001' }),
    amount: money(320000, "The definition's amount."),
    source: z.string().optional().openapi({ example: 'Acme payroll' }),
    description: z.string().optional().openapi({ example: 'Salary' }),
    overdue: z.literal(true).optional().openapi({ description: 'Only on an occurrence due before `from` that the hourly job has not recorded yet: listed on `from`, its date in `dueOn`.' }),
    dueOn: z.string().optional().openapi({ format: 'date', example: '2026-11-23', description: 'With `overdue`: the scheduled date (the entry\'s `receivedOn` once recorded).' }),
  })
  .openapi('ForecastIncome');

export const ForecastBillSchema = z
  .object({
    recurringExpenseId: z.string().openapi({ example: '01JDRECURRING00000000000001' }),
    amount: money(120000, "The definition's amount (a split one's whole amount)."),
    merchant: z.string().optional().openapi({ example: 'Landlord Ltd' }),
    description: z.string().optional().openapi({ example: 'Rent' }),
    overdue: z.literal(true).optional().openapi({ description: 'Only on an occurrence due before `from` that the hourly job has not recorded yet: listed on `from`, its date in `dueOn` (money still to leave, as safe to spend counts it).' }),
    dueOn: z.string().optional().openapi({ format: 'date', example: '2026-11-30', description: 'With `overdue`: the scheduled date.' }),
  })
  .openapi('ForecastBill');

export const ForecastDaySchema = z
  .object({
    date: z.string().openapi({ format: 'date', example: '2026-12-01' }),
    income: z.array(ForecastIncomeSchema).openapi({ description: 'The recurring income of the day, by recurring income id; on `from`, the overdue ones first, oldest `dueOn` first.' }),
    bills: z.array(ForecastBillSchema).openapi({ description: 'The recurring expenses of the day, by recurring expense id; on `from`, the overdue ones first, oldest `dueOn` first.' }),
    estimatedSpending: money(2350, 'Only with an estimate (`?spending=estimate`): its `perDay`.').optional(),
    net: money(-120000, "The day's income minus its bills (and minus `estimatedSpending`)."),
    runningNet: money(32000, '`startingBalance` plus every listed day\'s `net` up to this one included.'),
  })
  .openapi('ForecastDay');

export const CashForecastSchema = z
  .object({
    currency: z.string().openapi({ example: 'USD', description: "The budget's currency: every amount is in its minor units." }),
    from: z.string().openapi({ format: 'date', example: '2026-11-24', description: "Today in the budget's time zone." }),
    to: z.string().openapi({ format: 'date', example: '2026-12-23' }),
    startingBalance: money(0, 'Where `runningNet` starts: the query\'s `startingBalance`, 0 without it.'),
    days: z.array(ForecastDaySchema).openapi({
      description:
        'Only the days with an occurrence, oldest first, none before `from`. A paycheck or a bill due before today that the hourly job has not recorded yet is on `from`, `overdue` with its date as `dueOn` (GET .../recurring-income/upcoming lists such a paycheck on its date, `overdue` too; GET .../recurring-expenses/upcoming starts today).',
    }),
    totals: z
      .object({
        income: money(640000, 'Every listed income occurrence.'),
        bills: money(241299, 'Every listed bill occurrence.'),
        estimatedSpending: money(70500, 'Only with an estimate: every day\'s `estimatedSpending`.').optional(),
        net: money(398701, '`income` - `bills` (- `estimatedSpending`).'),
      })
      .openapi('CashForecastTotals'),
    lowestRunningNet: z
      .object({
        date: z.string().openapi({ format: 'date', example: '2026-12-01' }),
        amount: money(-88000, 'The lowest `runningNet` (or `startingBalance` at `from`, when nothing takes it lower); the earliest day of equal ones.'),
      })
      .openapi('CashForecastLowest'),
    estimate: z
      .object({
        perDay: money(2350, 'floor(`everydaySpending` / `basedOnDays`): each day\'s `estimatedSpending`.'),
        basedOnDays: z.number().int().openapi({ example: 90, description: `The days looked at: ${ESTIMATE_WINDOW_DAYS}, or from the first day with spending of a budget younger than that (at least ${ESTIMATE_MIN_DAYS}).` }),
        from: z.string().openapi({ format: 'date', example: '2026-08-26' }),
        to: z.string().openapi({ format: 'date', example: '2026-11-23', description: 'Yesterday in the budget\'s time zone.' }),
        everydaySpending: money(211500, 'The spending of [from, to] as the running totals hold it (refunds lower it) minus `recurringBills`, never below 0.'),
        recurringBills: money(360000, "The recurring expenses' scheduled occurrences in [from, to] at their current amounts (an approximation: an amount changed meanwhile, a bill recorded on another day)."),
      })
      .openapi('CashForecastEstimate')
      .nullable()
      .optional()
      .openapi({ description: `Only with \`?spending=estimate\`; null when fewer than ${ESTIMATE_MIN_DAYS} days of history (\`estimateReason\`).` }),
    estimateReason: z.literal('too-little-history').optional().openapi({ description: 'Only with `estimate: null`: why there is none.' }),
  })
  .openapi('CashForecast');

export type CashForecastInput = z.infer<typeof CashForecastQuery>;
