import { calendarDate } from '@budgeting/platform/routes';
import { z } from '@hono/zod-openapi';
import { EXAMPLE_USER_ID } from './common.schemas';

/** Zod schemas of the settle-up balances route. */

const OTHER_USER_ID = '01JDQ4W3E1B2C3D4E5F6G7H8J9';

export const BalancesQuery = z.strictObject({
  from: calendarDate()
    .optional()
    .openapi({ param: { name: 'from', in: 'query' }, example: '2026-11-01', description: 'First day (inclusive); with `to`. Default: the current period.' }),
  to: calendarDate()
    .optional()
    .openapi({ param: { name: 'to', in: 'query' }, example: '2026-11-30', description: 'Last day (inclusive); with `from`, at most 366 days after it counted both included.' }),
});

const money = (example: number, description: string) => z.number().int().openapi({ example, description });

export const BalancesSchema = z
  .object({
    from: z.string().openapi({ example: '2026-11-01' }),
    to: z.string().openapi({ example: '2026-11-30' }),
    total: money(30000, 'Everything recorded in the range (by `occurredOn`), in minor units. Settle-up payments are not in it.'),
    members: z
      .array(
        z.object({
          userId: z.string().openapi({ example: EXAMPLE_USER_ID }),
          name: z.string().optional().openapi({ example: 'Sam', description: 'Absent for a former member, or a member without a name.' }),
          share: z.number().int().openapi({ example: 1, description: "The member's weight in the split; 0 for a former member who paid in the range." }),
          paid: money(20000, 'The amounts of the expenses they recorded in the range (a split expense counts whole).'),
          sent: money(0, 'Settle-up payments they made in the range (by `paidOn`; POST /v1/budgets/{budgetId}/settlements). Not spending.'),
          received: money(0, 'Settle-up payments they received in the range.'),
          owes: money(
            15000,
            'Their part of `total` by share (of an expense with `sharedWith`, only if listed: its amount split among the listed members by their shares), rounded so the parts add up to `total` exactly.',
          ),
          net: money(5000, 'paid - owes + sent - received; positive: they are owed money.'),
        }),
      )
      .openapi({
        description: 'Every current member, and every former member who recorded expenses or appears in a settle-up payment in the range, in user id order.',
      }),
    settlements: z
      .array(
        z.object({
          from: z.string().openapi({ example: OTHER_USER_ID, description: 'Who pays.' }),
          to: z.string().openapi({ example: EXAMPLE_USER_ID, description: 'Who is paid.' }),
          amount: money(5000, 'Positive, in minor units.'),
        }),
      )
      .openapi({
        description:
          'Transfers that bring every `net` to zero: the largest debtor pays the largest creditor, repeated. Record each one once paid ' +
          '(POST /v1/budgets/{budgetId}/settlements) and the nets of the range come back to zero.',
      }),
  })
  .openapi('BudgetBalances');
