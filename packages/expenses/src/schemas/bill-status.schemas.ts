import { calendarDate } from '@budgeting/platform/routes';
import { z } from '@hono/zod-openapi';
import { BILL_STATUSES, MAX_STATUS_DATES, MAX_STATUS_DEFINITIONS } from '../domain/bill-status';
import { SplitPartSchema } from './expenses.schemas';

/** The bill status of a budget period (service/bill-status.service.ts); field names as the upcoming bills' (recurring-outlook.schemas.ts). */

export const BillStatusQuery = z.strictObject({
  date: calendarDate()
    .optional()
    .openapi({
      param: { name: 'date', in: 'query' },
      example: '2026-12-04',
      description: "Any day of the wanted period (the budget's period containing it, as the summary's); default: today in the budget's time zone.",
    }),
});

const money = (example: number, description: string) => z.number().int().openapi({ example, description });
const nullableInt = (example: number, description: string) => z.number().int().nullable().openapi({ example, description });

export const BillDateStatusSchema = z
  .object({
    occurredOn: z.string().openapi({ format: 'date', example: '2026-12-01', description: 'A date of the schedule in the period.' }),
    status: z.enum(BILL_STATUSES).openapi({
      example: 'paid',
      description:
        '`paid`: recorded (by the job or record-next); `matched`: settled by an imported expense; `skipped`: skipped (POST .../skip); `paused`: it fell while paused (every date of a definition paused now); ' +
        '`missed`: passed without being recorded, skipped or paused (its creator could no longer record, or a changed schedule\'s date before the change); ' +
        '`due`: today or later, not recorded yet; `overdue`: before today, not recorded yet (the job has not reached it).',
    }),
    expenseId: z.string().optional().openapi({ example: '01JDEXPENSE000000000000001', description: 'paid: the expense recorded; matched: the imported expense that settled it. Absent otherwise.' }),
    amount: z
      .number()
      .int()
      .nullable()
      .optional()
      .openapi({ example: 120000, description: 'paid: the amount recorded (null: the expense was deleted since); due and overdue: the amount expected (the definition\'s). Absent otherwise.' }),
    paymentNumber: nullableInt(2, 'An installment plan\'s payment this date is, 1-based ("payment 2 of 4"); null for a recurring expense without a count.'),
  })
  .openapi('BillDateStatus');

export const BillStatusItemSchema = z
  .object({
    recurringExpenseId: z.string().openapi({ example: '01JDRECURRING00000000000001', description: 'The recurring expense (its `id`).' }),
    merchant: z.string().optional().openapi({ example: 'Landlord Ltd' }),
    description: z.string().optional().openapi({ example: 'Rent' }),
    amount: money(120000, "The definition's amount now."),
    categoryId: z.string().nullable().openapi({ example: null, description: "The definition's category (null: uncategorized, and always null when split)." }),
    splits: z.array(SplitPartSchema).optional().openapi({ description: "Only for a split definition: its parts, as the definition's `splits`." }),
    paused: z.boolean().openapi({ example: false, description: 'Whether the definition is paused now.' }),
    count: nullableInt(4, "An installment plan's payments (`schedule.count`); null without a count."),
    paymentsLeft: nullableInt(3, "The recurring expense's `paymentsLeft`; null without a count (and while paused)."),
    dates: z.array(BillDateStatusSchema).openapi({ description: 'Its schedule dates in the period (from the day it was created), oldest first.' }),
  })
  .openapi('BillStatusItem');

const counts = z
  .object(Object.fromEntries(BILL_STATUSES.map((s) => [s, z.number().int().openapi({ example: 1 })])) as Record<(typeof BILL_STATUSES)[number], z.ZodNumber>)
  .openapi({ description: 'How many dates have each status.' });

export const BillStatusSchema = z
  .object({
    from: z.string().openapi({ format: 'date', example: '2026-12-01', description: "The period's first day." }),
    to: z.string().openapi({ format: 'date', example: '2026-12-31', description: "The period's last day." }),
    today: z.string().openapi({ format: 'date', example: '2026-12-04', description: "Today in the budget's time zone: what tells `due` from `overdue`." }),
    currency: z.string().openapi({ example: 'EUR', description: "The budget's currency: every amount is in its minor units." }),
    truncated: z.boolean().openapi({
      example: false,
      description: `true when more than ${MAX_STATUS_DEFINITIONS} recurring expenses (or ${MAX_STATUS_DATES} dates) fall in the period: the oldest definitions that fit are listed, the totals count them only.`,
    }),
    totals: z
      .object({
        paid: money(120000, 'The sum of the amounts recorded on `paid` dates.'),
        due: money(4500, 'The sum of the amounts expected on `due` and `overdue` dates.'),
        counts,
      })
      .openapi({ description: 'Over the listed dates.' }),
    items: z.array(BillStatusItemSchema).openapi({ description: 'Every recurring expense with a date in the period (paused and ended ones included), oldest first.' }),
  })
  .openapi('BillStatus');
