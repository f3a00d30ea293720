import { listSchema, paginationQuery } from '@budgeting/platform/routes';
import { z } from '@hono/zod-openapi';
import { DESCRIPTION_MAX, ID_MAX, MERCHANT_MAX, amount, budgetId, calendarDate, currency, text, visibleText } from './expenses.schemas';
import { IncomeSchema } from './income.schemas';
import { CreateScheduleBody, PausesView, RecurringScheduleView, UpdateScheduleBody } from './recurring.schemas';

/**
 * The recurring income API's bodies and responses (packages/expenses/docs/income.md "Recurring income"): an
 * income entry's fields (income.schemas.ts: amount, source limited as a merchant, description)
 * and the recurring expenses' schedule, the very schemas (frequency, interval, startsOn, endsOn
 * or count). Unknown fields are refused and named, inside `schedule` too.
 */
export const UPCOMING_INCOME_MAX_DAYS = 90;
export const UPCOMING_INCOME_DEFAULT_DAYS = 30;
/** The most occurrences upcoming lists (its `count` and `total` count them all). */
export const MAX_UPCOMING_INCOME = 200;

const source = visibleText(MERCHANT_MAX, 'Acme payroll');
const description = text(DESCRIPTION_MAX, 'Salary');
const paused = z.boolean({ error: 'Must be true or false' });

export const CreateRecurringIncomeBody = z
  .object({
    amount: amount.openapi({ example: 320000, description: "Minor units of the budget's currency recorded on every occurrence; greater than 0." }),
    source: source.optional().openapi({ description: `Who pays it (1..${MERCHANT_MAX} characters after trimming; empty: none).` }),
    description: description.optional(),
    currency: currency.optional(),
    schedule: CreateScheduleBody,
    paused: paused.optional().openapi({ description: 'true: set up paused (nothing recorded until PATCH `paused: false`). Default false.' }),
  })
  .strict()
  .openapi('CreateRecurringIncome', {
    example: { amount: 320000, source: 'Acme payroll', description: 'Salary', schedule: { frequency: 'monthly', startsOn: '2026-11-28' } },
  });

export const UpdateRecurringIncomeBody = z
  .object({
    amount: amount.optional(),
    source: source.nullable().optional().openapi({ description: 'Replaces the source; null or empty removes it. Entries already recorded keep theirs.' }),
    description: description.nullable().optional().openapi({ description: 'Replaces the description; null or empty removes it.' }),
    currency: currency.optional(),
    paused: paused.optional().openapi({
      description:
        "true pauses (nothing recorded, `nextOccurrenceOn` null); false resumes from today in the budget's time zone: occurrences that fell while paused are not recorded.",
    }),
    schedule: UpdateScheduleBody.optional().openapi({
      description:
        "Only the fields sent change. A changed `frequency`, `interval` or `startsOn` starts again from today in the budget's time zone: dates before today are not recorded, none twice. A new end alone (`endsOn`, `count`) changes no date: the next occurrence stays (none past the new end) and a skipped date stays skipped.",
    }),
  })
  .strict()
  .openapi('UpdateRecurringIncome', { example: { amount: 335000 } });

export const RecurringIncomeSchema = z
  .object({
    id: z.string().openapi({ example: '01JDRECURINCOME000000000001' }),
    budgetId: z.string().openapi({ example: '01JDBUDGET00000000000000001' }),
    amount: z.number().int().openapi({ example: 320000 }),
    source: z.string().optional().openapi({ example: 'Acme payroll', description: 'Only when given.' }),
    description: z.string().optional().openapi({ example: 'Salary', description: 'Only when given.' }),
    schedule: RecurringScheduleView,
    nextOccurrenceOn: z
      .string()
      .nullable()
      .openapi({ format: 'date', example: '2026-11-28', description: 'The next date an income entry will be recorded on; null once the schedule has ended, and while paused.' }),
    paused: z.boolean().openapi({ example: false }),
    pauses: PausesView,
    createdBy: z.string().openapi({ example: '01JDUSER0000000000000000001', description: 'Recorded income entries are created by this user.' }),
    version: z.number().int().openapi({ example: 1, description: 'Sent as the ETag; send it back in If-Match. The job recording occurrences does not change it (POST .../skip and .../record-next, API actions, add 1).' }),
    createdAt: z.string().openapi({ format: 'date-time', example: '2026-11-24T12:00:00.000Z' }),
    updatedAt: z.string().openapi({ format: 'date-time', example: '2026-11-24T12:00:00.000Z' }),
  })
  .openapi('RecurringIncome');

export const RecurringIncomeListSchema = listSchema('RecurringIncomeList', RecurringIncomeSchema);

export const ListRecurringIncomeQuery = z.object({ ...paginationQuery }).strict();

export const RecurringIncomeParams = z
  .object({
    budgetId,
    recurringIncomeId: z.string().min(1).max(ID_MAX).openapi({ param: { name: 'recurringIncomeId', in: 'path' }, example: '01JDRECURINCOME000000000001' }),
  })
  .strict();

export const UpcomingIncomeQuery = z
  .object({
    to: calendarDate.optional().openapi({
      param: { name: 'to', in: 'query' },
      example: '2026-12-31',
      description: `The last day looked at (inclusive): from today in the budget's time zone, at most ${UPCOMING_INCOME_MAX_DAYS} days including today. Default: ${UPCOMING_INCOME_DEFAULT_DAYS} days including today.`,
    }),
  })
  .strict();

export const UpcomingIncomeSchema = z
  .object({
    from: z.string().openapi({ format: 'date', example: '2026-11-24', description: "Today in the budget's time zone." }),
    to: z.string().openapi({ format: 'date', example: '2026-12-23' }),
    currency: z.string().openapi({ example: 'USD', description: "The budget's currency: every amount is in its minor units." }),
    total: z.number().int().openapi({ example: 640000, description: 'The sum of every occurrence still to record through `to`, listed or not.' }),
    count: z.number().int().openapi({ example: 2, description: 'How many occurrences, listed or not.' }),
    truncated: z.boolean().openapi({ example: false, description: `true when more than ${MAX_UPCOMING_INCOME} occurrences fall in the range: \`items\` lists the nearest ones.` }),
    items: z
      .array(
        z
          .object({
            recurringIncomeId: z.string().openapi({ example: '01JDRECURINCOME000000000001' }),
            receivedOn: z.string().openapi({ format: 'date', example: '2026-11-28', description: 'The date the entry will be recorded on (a date before today: due, recorded at the next hourly run).' }),
            amount: z.number().int().openapi({ example: 320000 }),
            source: z.string().optional().openapi({ example: 'Acme payroll' }),
            description: z.string().optional().openapi({ example: 'Salary' }),
            overdue: z.literal(true).optional().openapi({
              description: 'Only on a date before today not recorded yet (the hourly job records it on its next run, with this `receivedOn`); GET .../cash-flow/forecast lists it on `from`.',
            }),
          })
          .openapi('UpcomingIncomeItem'),
      )
      .openapi({ description: 'Nearest first, then by recurring income id.' }),
  })
  .openapi('UpcomingIncome');

/** record-next's optional body: the day the paycheck actually came in. */
export const RecordNextIncomeBody = z
  .object({
    receivedOn: calendarDate.optional().openapi({
      description:
        "The day the money actually came in, when not the occurrence's scheduled date (the default): not after today in the budget's time zone. The occurrence recorded is still the scheduled one.",
      example: '2026-11-27',
    }),
  })
  .strict()
  .openapi('RecordNextIncome', { example: { receivedOn: '2026-11-27' } });

export const RecordedIncomeOccurrenceSchema = z
  .object({
    income: IncomeSchema,
    recurringIncome: RecurringIncomeSchema,
  })
  .openapi('RecordedIncomeOccurrence', {
    description: 'The income entry recorded for the occurrence, and the recurring income moved on to its following occurrence.',
  });

export type RecordNextIncomeInput = z.infer<typeof RecordNextIncomeBody>;
export type CreateRecurringIncomeInput = z.infer<typeof CreateRecurringIncomeBody>;
export type UpdateRecurringIncomeInput = z.infer<typeof UpdateRecurringIncomeBody>;
export type ListRecurringIncomeInput = z.infer<typeof ListRecurringIncomeQuery>;
export type UpcomingIncomeInput = z.infer<typeof UpcomingIncomeQuery>;
