import { paginationQuery, listSchema } from '@budgeting/platform/routes';
import { z } from '@hono/zod-openapi';
import { FREQUENCIES } from '../domain/recurrence';
import { MAX_COUNT } from '../domain/installments';
import { MAX_PAUSES } from '../domain/pause-history';
import { SHARED_WITH_MAX } from '../domain/shared-with';
import { SHARED_AMOUNTS_MAX } from '../domain/shared-amounts';
import {
  DESCRIPTION_MAX,
  ID_MAX,
  MERCHANT_MAX,
  amount,
  budgetId,
  calendarDate,
  categoryId,
  currency,
  sharedAmounts,
  sharedWith,
  splits,
  SHARED_AMOUNTS_EXAMPLE,
  tags,
  ForeignAmountSchema,
  ForeignAmountPatch,
  SplitPartSchema,
  ExpenseSchema,
  text,
  visibleText,
} from './expenses.schemas';

/**
 * The recurring-expenses API's bodies and responses (the same building blocks as expenses:
 * amount, category, split parts, currency, free text, calendar dates). Unknown fields are refused and
 * named, inside `schedule` too. That endsOn is not before startsOn is checked by the service,
 * because startsOn may default to today.
 */
export const MAX_INTERVAL = 365;

const frequency = z
  .enum(FREQUENCIES, { error: `Must be one of ${FREQUENCIES.join(', ')}` })
  .openapi({ example: 'monthly' });

const interval = z
  .number({ error: `Must be an integer from 1 to ${MAX_INTERVAL}` })
  .int({ error: `Must be an integer from 1 to ${MAX_INTERVAL}` })
  .min(1, { error: `Must be an integer from 1 to ${MAX_INTERVAL}` })
  .max(MAX_INTERVAL, { error: `Must be an integer from 1 to ${MAX_INTERVAL}` })
  .openapi({ example: 1, description: 'Every `interval` days, weeks, months or years. Default 1.' });

const startsOn = calendarDate.openapi({
  description:
    "The first occurrence, and the anchor of the later ones (a monthly schedule on the 31st falls on the last day of shorter months). Defaults to today in the budget's time zone.",
});
const endsOn = calendarDate.openapi({ description: 'The last day an occurrence may fall on (inclusive). None: until deleted.' });

const count = z
  .number({ error: `Must be an integer from 1 to ${MAX_COUNT}` })
  .int({ error: `Must be an integer from 1 to ${MAX_COUNT}` })
  .min(1, { error: `Must be an integer from 1 to ${MAX_COUNT}` })
  .max(MAX_COUNT, { error: `Must be an integer from 1 to ${MAX_COUNT}` })
  .openapi({
    example: 4,
    description:
      'An installment plan: exactly this many occurrences from `startsOn` (RFC 5545 COUNT). `endsOn` becomes the date of the last one, so it cannot be sent with it.',
  });

export const CreateScheduleBody = z
  .object({ frequency, interval: interval.optional(), startsOn: startsOn.optional(), endsOn: endsOn.optional(), count: count.optional() })
  .strict()
  .openapi('RecurringSchedule', { example: { frequency: 'monthly', interval: 1, startsOn: '2026-12-01' } });

export const CreateRecurringExpenseBody = z
  .object({
    amount,
    categoryId: categoryId.nullable().optional(),
    splits: splits.optional().openapi({
      description:
        'Spreads every recorded occurrence over categories, exactly as a split expense: 2..50 parts whose amounts add up to `amount`; `categoryId` is then null.',
    }),
    description: text(DESCRIPTION_MAX, 'Rent').optional(),
    merchant: visibleText(MERCHANT_MAX, 'Landlord Ltd').optional(),
    tags: tags.optional().openapi({ description: 'As an expense\'s tags; every recorded occurrence carries them.' }),
    // As an expense's (domain/foreign.ts); every recorded occurrence carries it.
    foreign: ForeignAmountSchema.optional(),
    sharedWith: sharedWith
      .nullable()
      .optional()
      .openapi({ description: `As an expense's \`sharedWith\` (1..${SHARED_WITH_MAX} distinct user ids; absent or null: every member); every recorded occurrence carries it.` }),
    sharedAmounts: sharedAmounts
      .nullable()
      .optional()
      .openapi({
        description:
          `As an expense's \`sharedAmounts\` (who owes what, exactly: 1..${SHARED_AMOUNTS_MAX} entries \`{userId, amount}\` adding up to \`amount\`, members only, not with \`sharedWith\`; absent or null: none); ` +
          'every recorded occurrence carries it (rent split 60/40).',
      }),
    currency: currency.optional(),
    schedule: CreateScheduleBody,
  })
  .strict()
  .openapi('CreateRecurringExpense', {
    example: { amount: 120000, description: 'Rent', schedule: { frequency: 'monthly', startsOn: '2026-12-01' } },
  });

export const UpdateScheduleBody = z
  .object({
    frequency: frequency.optional(),
    interval: interval.optional(),
    startsOn: startsOn.optional(),
    endsOn: endsOn.nullable().optional().openapi({ description: 'null removes the end. Replaces a `count`.' }),
    count: count
      .nullable()
      .optional()
      .openapi({
        description:
          'Sets the number of occurrences (then `endsOn` may not be sent); null removes it and the `endsOn` derived from it. Kept when `frequency`, `interval` or `startsOn` change: `endsOn` is derived again.',
      }),
  })
  .strict()
  .openapi('UpdateRecurringSchedule', { example: { endsOn: '2027-06-30' } });

export const UpdateRecurringExpenseBody = z
  .object({
    amount: amount.optional(),
    categoryId: categoryId.nullable().optional().openapi({ description: 'null makes the recorded expenses uncategorized.' }),
    splits: splits
      .nullable()
      .optional()
      .openapi({
        description:
          'Replaces the parts (they must add up to the new `amount`, or the stored one); null removes them (then `categoryId` may be sent). ' +
          'A split definition\'s `amount` can only change together with its `splits`. Expenses already recorded keep theirs.',
      }),
    description: text(DESCRIPTION_MAX, 'Rent').nullable().optional(),
    merchant: visibleText(MERCHANT_MAX, 'Landlord Ltd').nullable().optional(),
    tags: tags.nullable().optional().openapi({ description: 'Replaces the tags; `[]` or null removes them. Expenses already recorded keep theirs.' }),
    // Expenses already recorded keep theirs.
    foreign: ForeignAmountPatch.optional(),
    sharedWith: sharedWith
      .nullable()
      .optional()
      .openapi({
        description: `Replaces who shares the recorded expenses (1..${SHARED_WITH_MAX} distinct user ids; removes \`sharedAmounts\`); null: every member again. Expenses already recorded keep theirs.`,
      }),
    sharedAmounts: sharedAmounts
      .nullable()
      .optional()
      .openapi({
        description:
          `Replaces who owes what of the recorded expenses (1..${SHARED_AMOUNTS_MAX} entries adding up to the new \`amount\`, or the stored one; removes \`sharedWith\`); null: none (every member again). ` +
          'A definition with sharedAmounts changes its `amount` only together with new ones (else a 400 naming `sharedAmounts`). Expenses already recorded keep theirs.',
      }),
    currency: currency.optional(),
    paused: z
      .boolean({ error: 'Must be true or false' })
      .optional()
      .openapi({
        description:
          "true pauses: nothing is recorded and the forecast leaves it out until resumed (`nextOccurrenceOn` is null meanwhile). false resumes: the next occurrence is the first on or after today in the budget's time zone that was not skipped (POST .../skip); occurrences that fell while paused are not recorded.",
      }),
    schedule: UpdateScheduleBody.optional().openapi({
      description:
        "Only the fields sent change. A changed `frequency`, `interval` or `startsOn` starts again from today in the budget's time zone: occurrences before today are not recorded, and none is recorded twice. A new end alone (`endsOn`, `count`) changes no date: the next occurrence stays (none past the new end) and a skipped date stays skipped.",
    }),
  })
  .strict()
  .openapi('UpdateRecurringExpense', { example: { amount: 125000 } });

/** A schedule as answered (recurring expenses and recurring income share it). */
export const RecurringScheduleView = z
  .object({
    frequency,
    interval: z.number().int().openapi({ example: 1 }),
    startsOn: z.string().openapi({ format: 'date', example: '2026-12-01' }),
    endsOn: z.string().optional().openapi({ format: 'date', example: '2027-06-30', description: "With a `count`: the date of the last occurrence, derived from it." }),
    count: z.number().int().optional().openapi({ example: 12, description: 'Only on an installment plan: its number of occurrences from `startsOn`.' }),
  })
  .openapi('RecurringScheduleView');

const PauseIntervalSchema = z
  .object({
    from: z.string().openapi({ format: 'date', example: '2026-12-05', description: "The day it was paused, in the budget's time zone: a date from it on fell while paused." }),
    to: z.string().nullable().openapi({ format: 'date', example: '2027-01-10', description: 'The day it was resumed (its date is the resumed schedule\'s: not in the pause); null while still paused.' }),
  })
  .openapi('PauseInterval');

/** A definition's read-only pause history (domain/pause-history.ts), a recurring expense's and a recurring income's alike. */
export const PausesView = z.array(PauseIntervalSchema).openapi({
  description: `Read-only: its pauses, oldest first, the last ${MAX_PAUSES} kept ([] when never paused since the history was kept). Each PATCH \`paused: true\` adds one, \`paused: false\` ends it (a pause resumed the day it began is not kept).`,
});

export const RecurringExpenseSchema = z
  .object({
    id: z.string().openapi({ example: '01JDRECURRING00000000000001' }),
    budgetId: z.string().openapi({ example: '01JDBUDGET00000000000000001' }),
    amount: z.number().int().openapi({ example: 120000 }),
    categoryId: z.string().nullable().openapi({ example: null, description: 'Always null for a split definition.' }),
    splits: z
      .array(SplitPartSchema)
      .optional()
      .openapi({ description: 'Only on a split definition: its parts, adding up to `amount`; every recorded occurrence carries them.' }),
    description: z.string().optional().openapi({ example: 'Rent' }),
    merchant: z.string().optional().openapi({ example: 'Landlord Ltd' }),
    tags: z.array(z.string()).optional().openapi({ example: ['housing'], description: 'Only when it has some; every recorded occurrence carries them.' }),
    // Only when it has one; every recorded occurrence carries it.
    foreign: ForeignAmountSchema.optional(),
    sharedWith: z
      .array(z.string())
      .optional()
      .openapi({
        example: ['01JDQ4T2W1R0P9N8M7K6J5H4G3', '01JDQ4W3E1B2C3D4E5F6G7H8J9'],
        description: "Only when set: as an expense's `sharedWith` (user ids in user id order; absent: every member); every recorded occurrence carries it.",
      }),
    sharedAmounts: z
      .array(z.object({ userId: z.string(), amount: z.number().int() }))
      .optional()
      .openapi({
        example: SHARED_AMOUNTS_EXAMPLE,
        description: "Only when set: as an expense's `sharedAmounts` (who owes what, exactly, adding up to `amount`, in user id order; never with `sharedWith`); every recorded occurrence carries it.",
      }),
    schedule: RecurringScheduleView,
    paymentsLeft: z
      .number()
      .int()
      .nullable()
      .optional()
      .openapi({
        example: 3,
        description:
          'Only on an installment plan (`schedule.count`): the occurrences still to record, from `nextOccurrenceOn` through `endsOn`; 0 once ended. A skipped date was one of the plan\'s dates and is not made up for. null while paused (occurrences that fall while paused are not recorded, so it depends on when it is resumed).',
      }),
    nextOccurrenceOn: z
      .string()
      .nullable()
      .openapi({ format: 'date', example: '2026-12-01', description: 'The next date an expense will be recorded on; null once the schedule has ended, and while paused.' }),
    paused: z.boolean().openapi({ example: false, description: 'While true nothing is recorded (`nextOccurrenceOn` is null); PATCH `paused: false` resumes from today.' }),
    pauses: PausesView,
    createdBy: z.string().openapi({ example: '01JDUSER0000000000000000001', description: 'Recorded expenses are created by this user.' }),
    version: z.number().int().openapi({ example: 1, description: 'Sent as the ETag; send it back in If-Match. The job recording occurrences does not change it (POST .../record-next, an API action, adds 1).' }),
    createdAt: z.string().openapi({ format: 'date-time', example: '2026-11-24T12:00:00.000Z' }),
    updatedAt: z.string().openapi({ format: 'date-time', example: '2026-11-24T12:00:00.000Z' }),
  })
  .openapi('RecurringExpense');

export const RecurringExpenseListSchema = listSchema('RecurringExpenseList', RecurringExpenseSchema);

export const ListRecurringQuery = z.object({ ...paginationQuery }).strict();

export const RecurringParams = z
  .object({
    budgetId,
    recurringExpenseId: z
      .string()
      .min(1)
      .max(ID_MAX)
      .openapi({ param: { name: 'recurringExpenseId', in: 'path' }, example: '01JDRECURRING00000000000001' }),
  })
  .strict();

/** record-next's optional body: the day the occurrence was actually paid. */
export const RecordNextOccurrenceBody = z
  .object({
    occurredOn: calendarDate.optional().openapi({
      description:
        "The day it was actually paid, when not the occurrence's scheduled date (the default): not after today in the budget's time zone. The occurrence recorded is still the scheduled one.",
      example: '2026-11-28',
    }),
  })
  .strict()
  .openapi('RecordNextOccurrence', { example: { occurredOn: '2026-11-28' } });

export const RecordedOccurrenceSchema = z
  .object({
    expense: ExpenseSchema,
    recurringExpense: RecurringExpenseSchema,
  })
  .openapi('RecordedOccurrence', {
    description: 'The expense recorded for the occurrence, and the recurring expense moved on to its following occurrence.',
  });

export type RecordNextInput = z.infer<typeof RecordNextOccurrenceBody>;
export type CreateRecurringInput = z.infer<typeof CreateRecurringExpenseBody>;
export type UpdateRecurringInput = z.infer<typeof UpdateRecurringExpenseBody>;
export type ListRecurringInput = z.infer<typeof ListRecurringQuery>;
