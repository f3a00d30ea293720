import { z } from '@hono/zod-openapi';
import {
  BILL_AMOUNT_TOLERANCE_PERCENT,
  BILL_MIN_OCCURRENCES,
  BILL_STALE_AFTER_CADENCES,
  BILL_WINDOW_DAYS,
  BILL_WINDOW_MAX_EXPENSES,
} from '../domain/bill-detection';
import { CreateRecurringExpenseBody } from './recurring.schemas';

const max = BILL_WINDOW_MAX_EXPENSES.toLocaleString('en-US');

/** The route takes no parameters (an unknown one is a 400, as on the merchants route): every suggestion, in one answer. */
export const RecurringSuggestionsQuery = z.object({}).strict();

/** A suggestion's cadence, in the recurring body's own terms (`schedule.frequency`, `schedule.interval`). */
const CadenceSchema = z
  .object({
    frequency: z.enum(['weekly', 'monthly']).openapi({ example: 'monthly' }),
    interval: z.number().int().openapi({ example: 1, description: 'Every `interval` weeks or months: 1 or 2 weeks, 1 or 3 months.' }),
  })
  .openapi('BillCadence');

export const RecurringSuggestionSchema = z
  .object({
    merchant: z.string().openapi({ example: 'Netflix', description: 'As spelled in its latest payment.' }),
    categoryId: z.string().nullable().openapi({
      example: '01JDCATEGORY000000000000001',
      description: 'The category most used with this merchant in the window, only one the budget still has; split and uncategorized expenses cast no vote; null when none did.',
    }),
    amount: z.number().int().openapi({ example: 1299, description: 'The latest payment\'s amount, minor units of `currency`.' }),
    currency: z.string().openapi({ example: 'EUR', description: "The budget's currency (every expense is in it)." }),
    cadence: CadenceSchema,
    occurrences: z.number().int().openapi({ example: 6, description: `Payments in the window (at least ${BILL_MIN_OCCURRENCES}).` }),
    lastOn: z.string().openapi({ format: 'date', example: '2026-11-03', description: 'The latest payment\'s `occurredOn`.' }),
    nextExpectedOn: z.string().openapi({
      format: 'date',
      example: '2026-12-03',
      description: "The first date after `lastOn`, and on or after today in the budget's time zone, the cadence falls on: the first occurrence the suggested recurring expense records.",
    }),
    amountVaries: z.boolean().openapi({ example: false, description: `true when the payments' amounts differ (all are within ${BILL_AMOUNT_TOLERANCE_PERCENT}% of their median); \`amount\` is the latest.` }),
    confidence: z.enum(['high', 'medium']).openapi({ example: 'high', description: '`high`: 4 or more payments of one amount; `medium`: the rest.' }),
    recurringExpense: CreateRecurringExpenseBody.openapi({
      description:
        'A body to send as is to `POST /v1/budgets/{budgetId}/recurring-expenses` ("Add as recurring"). `schedule.startsOn` anchors the day (the latest payment\'s date; a past `startsOn` is never back-filled), or is `nextExpectedOn` when the latest payment is dated today or later.',
      example: { amount: 1299, categoryId: '01JDCATEGORY000000000000001', merchant: 'Netflix', schedule: { frequency: 'monthly', interval: 1, startsOn: '2026-11-03' } },
    }),
  })
  .openapi('RecurringExpenseSuggestion');

export const RecurringSuggestionsSchema = z
  .object({
    items: z.array(RecurringSuggestionSchema).openapi({ description: '`high` confidence first, then the largest amount.' }),
    window: z
      .object({
        from: z.string().openapi({
          format: 'date',
          example: '2025-10-21',
          description: `The earliest \`occurredOn\` examined: the first of the last ${BILL_WINDOW_DAYS} days, or, when \`complete\` is false, the date of the oldest expense examined (that day may be examined in part).`,
        }),
        expensesExamined: z.number().int().openapi({ example: 640, description: `Expenses read to answer (at most ${max}).` }),
        complete: z.boolean().openapi({ description: `false when the budget has more expenses in those days than the bound: only the newest ${max} were examined.` }),
      })
      .openapi('RecurringSuggestionsWindow'),
  })
  .openapi('RecurringExpenseSuggestions', {
    example: {
      items: [
        {
          merchant: 'Netflix',
          categoryId: '01JDCATEGORY000000000000001',
          amount: 1299,
          currency: 'EUR',
          cadence: { frequency: 'monthly', interval: 1 },
          occurrences: 6,
          lastOn: '2026-11-03',
          nextExpectedOn: '2026-12-03',
          amountVaries: false,
          confidence: 'high',
          recurringExpense: { amount: 1299, categoryId: '01JDCATEGORY000000000000001', merchant: 'Netflix', schedule: { frequency: 'monthly', interval: 1, startsOn: '2026-11-03' } },
        },
      ],
      window: { from: '2025-10-21', expensesExamined: 640, complete: true },
    },
  });

/** Why the route's description names these: the rules a client can show ("found because..."). */
export const BILL_RULES_TEXT =
  `A merchant (grouped ignoring case, accents and spacing) is suggested when it has at least ${BILL_MIN_OCCURRENCES} payments whose every gap fits one cadence ` +
  '(weekly: 6..8 days apart; every 2 weeks: 13..15; monthly: 27..33 days, or the next month on the same day +-3; every 3 months: 87..95 days, or 3 months later on the same day +-3), ' +
  `all amounts within ${BILL_AMOUNT_TOLERANCE_PERCENT}% of their median, the latest payment at most ${BILL_STALE_AFTER_CADENCES} cadences ago, ` +
  'and no recurring expense of the budget (not ended; a paused one counts) has that merchant. A split expense counts by its whole amount.';
