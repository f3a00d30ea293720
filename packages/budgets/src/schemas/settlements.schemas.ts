import { MAX_AMOUNT_MINOR } from '@budgeting/platform';
import { calendarDate, freeText, listSchema, paginationQuery } from '@budgeting/platform/routes';
import { z } from '@hono/zod-openapi';
import { BudgetIdParams, EXAMPLE_USER_ID, requiredOr } from './common.schemas';

/** Zod schemas of the recorded settle-up payments (POST|GET .../settlements, GET|PATCH|DELETE .../settlements/{id}). */

const OTHER_USER_ID = '01JDQ4W3E1B2C3D4E5F6G7H8J9';
const EXAMPLE_SETTLEMENT_ID = '20261124-01JDQ5A1B2C3D4E5F6G7H8J9K0';
/** A note says what the payment was ("bank transfer", "cash for October"): short, like an expense's description. */
export const NOTE_MAX = 200;

const userId = (example: string, description: string) =>
  z
    .string({ error: requiredOr('Must be a user id') })
    .min(1, 'Required')
    .max(64, 'Too long')
    .openapi({ example, description });

const AMOUNT_ERROR = 'Must be an integer amount in minor units (e.g. 1250 for 12.50 USD)';

// One builder per field, so POST and PATCH validate alike (the same 400s).
const amount = () =>
  z
    .number({ error: requiredOr(AMOUNT_ERROR) })
    .int({ error: AMOUNT_ERROR })
    .positive({ error: 'Must be greater than 0' })
    .max(MAX_AMOUNT_MINOR, { error: `Must be at most ${MAX_AMOUNT_MINOR}` });
const AMOUNT_DESCRIPTION = "Minor units of the budget's currency (cents for USD, yen for JPY).";
const note = () => freeText(NOTE_MAX);

export const RecordSettlementBody = z
  .object({
    fromUserId: userId(OTHER_USER_ID, 'Who paid: a member of the budget.'),
    toUserId: userId(EXAMPLE_USER_ID, 'Who was paid: another member of the budget.'),
    amount: amount().openapi({ example: 4200, description: AMOUNT_DESCRIPTION }),
    paidOn: calendarDate()
      .optional()
      .openapi({ example: '2026-11-24', description: "The day it was paid. Default: today in the budget's time zone." }),
    note: note().optional().openapi({ example: 'Bank transfer', description: 'Trimmed; empty means none.' }),
  })
  .strict()
  .openapi('RecordSettlement', { example: { fromUserId: OTHER_USER_ID, toUserId: EXAMPLE_USER_ID, amount: 4200, paidOn: '2026-11-24', note: 'Bank transfer' } });

/** Who paid whom cannot change: a 400 naming the field says to delete and record the payment again. */
const PARTIES_FIXED = 'Cannot be changed: delete the payment and record it again';

export const ChangeSettlementBody = z
  .object({
    amount: amount().optional().openapi({ example: 4500, description: AMOUNT_DESCRIPTION }),
    paidOn: calendarDate().optional().openapi({ example: '2026-11-25', description: 'The day it was paid. The id stays the same.' }),
    note: note().nullable().optional().openapi({ example: 'Bank transfer', description: 'Trimmed; empty or null removes it.' }),
  })
  // Not .strict() alone: the payer and payee get their own message, not "Unknown field".
  .catchall(z.unknown())
  .superRefine((body, ctx) => {
    for (const key of Object.keys(body)) {
      if (key === 'amount' || key === 'paidOn' || key === 'note') continue;
      const fixed = key === 'fromUserId' || key === 'toUserId';
      ctx.addIssue({ code: 'custom', path: [key], message: fixed ? PARTIES_FIXED : 'Unknown field' });
    }
    if (body.amount === undefined && body.paidOn === undefined && body.note === undefined) {
      ctx.addIssue({ code: 'custom', path: [], message: 'Give `amount`, `paidOn`, `note` or several' });
    }
  })
  // Documented as closed: any other field is a 400 (the catchall only lets the refinement name it).
  .openapi('ChangeSettlement', { example: { amount: 4500, paidOn: '2026-11-25' }, additionalProperties: false });

export const SettlementParams = BudgetIdParams.extend({
  settlementId: z.string().openapi({ param: { name: 'settlementId', in: 'path' }, example: EXAMPLE_SETTLEMENT_ID }),
});

export const SettlementsQuery = z.strictObject({
  from: calendarDate()
    .optional()
    .openapi({ param: { name: 'from', in: 'query' }, example: '2026-11-01', description: 'Only payments paid on or after this day.' }),
  to: calendarDate()
    .optional()
    .openapi({ param: { name: 'to', in: 'query' }, example: '2026-11-30', description: 'Only payments paid on or before this day.' }),
  ...paginationQuery,
});

export const SettlementSchema = z
  .object({
    id: z.string().openapi({ example: EXAMPLE_SETTLEMENT_ID, description: 'The day paid when recorded (YYYYMMDD), a dash and a ULID; it never changes, a corrected `paidOn` included (use `paidOn` for the day).' }),
    budgetId: z.string().openapi({ example: '01JDQ4V8M7ZK3X9A2B5C6D7E8F' }),
    fromUserId: z.string().openapi({ example: OTHER_USER_ID, description: 'Who paid.' }),
    toUserId: z.string().openapi({ example: EXAMPLE_USER_ID, description: 'Who was paid.' }),
    amount: z.number().int().openapi({ example: 4200, description: 'Positive, in minor units of `currency`.' }),
    currency: z.string().openapi({ example: 'USD', description: "The budget's currency." }),
    paidOn: z.string().openapi({ format: 'date', example: '2026-11-24' }),
    note: z.string().optional().openapi({ example: 'Bank transfer', description: 'Absent when none was given.' }),
    recordedBy: z.string().openapi({ example: EXAMPLE_USER_ID, description: 'The member who recorded it.' }),
    createdAt: z.string().openapi({ format: 'date-time', example: '2026-11-24T18:30:00.000Z' }),
    version: z.number().int().openapi({ example: 1, description: 'Its ETag: 1 when recorded, +1 per change (PATCH).' }),
    updatedAt: z.string().optional().openapi({ format: 'date-time', example: '2026-11-25T08:00:00.000Z', description: 'When it was last changed; absent while never changed.' }),
  })
  .openapi('Settlement');

export const SettlementListSchema = listSchema('SettlementList', SettlementSchema);
