import { z } from '@hono/zod-openapi';
import { EXAMPLE_CATEGORY_ID } from './common.schemas';
import { ScheduledOccurrenceSchema } from './forecast.schemas';
import { installmentFields } from './installment.schemas';

/** Zod schemas of the safe-to-spend route (its query is the summary's: SummaryQuery). */

const money = (example: number, description?: string) => z.number().int().openapi({ example, ...(description ? { description } : {}) });

// The example: November, on the 10th (21 days left), 158,000 remaining, a rent of 100,000 on the
// 28th and an internet bill of 6,000 on the 30th: 52,000 safe, 2,476 a day (52,000 / 21 = 2,476.19).
const EXAMPLE_RENT = '01JDQ4W3C9V0B1N2M3Q4R5S6T7';
const EXAMPLE_INTERNET = '01JDQ4W3D0A1B2C3D4E5F6G7H8';

export const UpcomingBillSchema = z
  .object({
    recurringExpenseId: z.string().openapi({ example: EXAMPLE_RENT }),
    description: z.string().optional().openapi({ example: 'Rent' }),
    merchant: z.string().optional().openapi({ example: 'Acme Properties' }),
    categoryId: z.string().nullable().openapi({
      example: EXAMPLE_CATEGORY_ID,
      description: 'null: uncategorized (also when the recurring expense names a category the budget no longer has), and always null for a split bill.',
    }),
    splits: ScheduledOccurrenceSchema.shape.splits.openapi({ description: 'Only for a split bill: its parts, adding up to `amount`, each counting against its own category (a null one only against the budget).' }),
    dueOn: z.string().openapi({ example: '2026-11-28', description: 'The date the occurrence is due (and will be recorded with).' }),
    amount: money(100000),
    ...installmentFields(),
  })
  .openapi('SafeToSpendBill');

export const SafeToSpendSchema = z
  .object({
    periodStart: z.string().openapi({ example: '2026-11-01' }),
    periodEnd: z.string().openapi({ example: '2026-11-30' }),
    date: z.string().openapi({ example: '2026-11-10', description: "The day asked (default today in the budget's time zone)." }),
    available: money(200000, "limit + carriedOver, exactly as the period's summary gives it (rollover included)."),
    spent: money(42000, 'Recorded so far in the period (as the summary).'),
    remaining: money(158000, 'available - spent, as the summary.'),
    upcomingBills: z
      .object({
        total: money(106000, 'Every bill still to come, listed or not.'),
        count: z.number().int().openapi({ example: 2, description: 'How many bills are still to come (listed or not).' }),
        items: z.array(UpcomingBillSchema).openapi({ description: 'The first 50 in date order (then by recurring expense); `count` says when more are counted.' }),
      })
      .openapi({
        description:
          "Occurrences of the budget's active recurring expenses (not paused, not ended; an installment plan's " +
          "last payment is its end) due in the period that are not recorded yet, before `date` too (the scheduled job records " +
          "them into this period's spending, and `remaining` is the whole period's): the bill status's `due` and `overdue` dates " +
          "(skipped dates and those recorded early are not). None once the period has ended, nor while the budget is archived (the recurring job skips its due dates).",
      }),
    safeToSpend: money(52000, 'remaining - upcomingBills.total. Negative when the bills still to come already take more than is left: the member is short by that much.'),
    daysLeft: z.number().int().openapi({ example: 21, description: "Days from `date` to the period's last, both included (the pace's); 0 once the period has ended." }),
    perDay: money(2476, 'floor(safeToSpend / daysLeft) when safeToSpend is positive, else 0 (also when no day is left).'),
    categories: z
      .array(
        z.object({
          categoryId: z.string().openapi({ example: EXAMPLE_CATEGORY_ID }),
          name: z.string().openapi({ example: 'Housing' }),
          available: money(150000, "The category's limit (with category rollover: limit + carriedOver), as its summary line."),
          spent: money(0),
          remaining: money(150000),
          upcomingBills: money(100000, "The bills still to come in this category (a split bill's part in its own)."),
          safeToSpend: money(50000, 'remaining - upcomingBills; may be negative.'),
          perDay: money(2380),
        }),
      )
      .openapi({ description: 'Each category with a limit. Bills without a category (or in one without a limit) count against the budget only.' }),
  })
  .openapi('SafeToSpend', {
    example: {
      periodStart: '2026-11-01',
      periodEnd: '2026-11-30',
      date: '2026-11-10',
      available: 200000,
      spent: 42000,
      remaining: 158000,
      upcomingBills: {
        total: 106000,
        count: 2,
        items: [
          { recurringExpenseId: EXAMPLE_RENT, description: 'Rent', categoryId: EXAMPLE_CATEGORY_ID, dueOn: '2026-11-28', amount: 100000, count: null, paymentsLeft: null, paymentNumber: null },
          { recurringExpenseId: EXAMPLE_INTERNET, merchant: 'Fiber Co', categoryId: null, dueOn: '2026-11-30', amount: 6000, count: null, paymentsLeft: null, paymentNumber: null },
        ],
      },
      safeToSpend: 52000,
      daysLeft: 21,
      perDay: 2476,
      categories: [{ categoryId: EXAMPLE_CATEGORY_ID, name: 'Housing', available: 150000, spent: 0, remaining: 150000, upcomingBills: 100000, safeToSpend: 50000, perDay: 2380 }],
    },
  });
