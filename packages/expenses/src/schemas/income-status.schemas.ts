import { z } from '@hono/zod-openapi';
import { MAX_STATUS_DATES, MAX_STATUS_DEFINITIONS } from '../domain/bill-status';
import { INCOME_STATUSES } from '../domain/income-status';
import { monthQuery } from './income.schemas';

/** The paychecks' status of a month (service/income-status.service.ts); field names as the bill status's (bill-status.schemas.ts). */

export const IncomeStatusQuery = z.strictObject({
  month: monthQuery('month', "The month (YYYY-MM); default: the current month in the budget's time zone."),
});

const money = (example: number, description: string) => z.number().int().openapi({ example, description });

export const IncomeDateStatusSchema = z
  .object({
    occurredOn: z.string().openapi({ format: 'date', example: '2026-10-23', description: 'A date of the schedule in the month.' }),
    status: z.enum(INCOME_STATUSES).openapi({
      example: 'received',
      description:
        '`received`: an entry the recurring income recorded (job or record-next); `skipped`: skipped (POST .../skip); `paused`: it fell while paused (its `pauses`); ' +
        '`missed`: passed without an entry, neither skipped nor paused (its entry deleted, its creator could no longer record, or the job has not reached it); `due`: today or later, not received yet.',
    }),
    incomeId: z.string().optional().openapi({ example: '01JDINCOME00000000000000001', description: 'received: the income entry. Absent otherwise.' }),
    amount: z.number().int().optional().openapi({ example: 320000, description: "received: the amount received; due: the amount expected (the definition's). Absent otherwise." }),
  })
  .openapi('IncomeDateStatus');

export const IncomeStatusItemSchema = z
  .object({
    recurringIncomeId: z.string().openapi({ example: '01JDRECURINCOME000000000001', description: 'The recurring income (its `id`).' }),
    source: z.string().optional().openapi({ example: 'Acme payroll' }),
    description: z.string().optional().openapi({ example: 'Salary' }),
    amount: money(320000, "The definition's amount now."),
    paused: z.boolean().openapi({ example: false, description: 'Whether the definition is paused now.' }),
    dates: z.array(IncomeDateStatusSchema).openapi({ description: 'Its schedule dates in the month (from the day it was created), oldest first.' }),
  })
  .openapi('IncomeStatusItem');

const counts = z
  .object(Object.fromEntries(INCOME_STATUSES.map((s) => [s, z.number().int().openapi({ example: 1 })])) as Record<(typeof INCOME_STATUSES)[number], z.ZodNumber>)
  .openapi({ description: 'How many dates have each status.' });

export const IncomeStatusSchema = z
  .object({
    month: z.string().openapi({ example: '2026-10', description: 'The month (YYYY-MM).' }),
    from: z.string().openapi({ format: 'date', example: '2026-10-01', description: "The month's first day." }),
    to: z.string().openapi({ format: 'date', example: '2026-10-31', description: "The month's last day." }),
    today: z.string().openapi({ format: 'date', example: '2026-10-27', description: "Today in the budget's time zone: what tells `due` from `missed`." }),
    currency: z.string().openapi({ example: 'USD', description: "The budget's currency: every amount is in its minor units." }),
    truncated: z.boolean().openapi({
      example: false,
      description: `true when more than ${MAX_STATUS_DEFINITIONS} recurring incomes (or ${MAX_STATUS_DATES} dates) fall in the month: the oldest definitions that fit are listed, the totals count them only.`,
    }),
    totals: z
      .object({
        expected: money(1160000, "The definitions' amounts over every date neither skipped nor paused (received, missed, due)."),
        received: money(830000, 'The sum of the amounts received.'),
        stillExpected: money(10000, 'The amounts expected on `due` dates.'),
        counts,
      })
      .openapi({ description: 'Over the listed dates.' }),
    items: z.array(IncomeStatusItemSchema).openapi({ description: 'Every recurring income with a date in the month (paused and ended ones included), oldest first.' }),
  })
  .openapi('IncomeStatus', {
    example: {
      month: '2026-10',
      from: '2026-10-01',
      to: '2026-10-31',
      today: '2026-10-27',
      currency: 'USD',
      truncated: false,
      totals: { expected: 640000, received: 320000, stillExpected: 0, counts: { received: 1, skipped: 0, paused: 0, missed: 1, due: 0 } },
      items: [
        {
          recurringIncomeId: '01JDRECURINCOME000000000001',
          source: 'Acme payroll',
          amount: 320000,
          paused: false,
          dates: [
            { occurredOn: '2026-10-09', status: 'missed' },
            { occurredOn: '2026-10-23', status: 'received', incomeId: '01JDINCOME00000000000000001', amount: 320000 },
          ],
        },
      ],
    },
  });
