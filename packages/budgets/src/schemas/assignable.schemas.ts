import { calendarMonth } from '@budgeting/platform/routes';
import { z } from '@hono/zod-openapi';
import { EXAMPLE_CATEGORY_ID } from './common.schemas';

/** Zod schemas of ready to assign (GET .../assignable). */

export const AssignableQuery = z.strictObject({
  // A calendar month of the dates the API accepts (1900-01 to 9998-12).
  month: calendarMonth()
    .optional()
    .openapi({ param: { name: 'month', in: 'query' }, example: '2026-11', description: "The month (YYYY-MM); default: the current month in the budget's time zone." }),
});

const money = (example: number, description: string) => z.number().int().openapi({ example, description });

export const AssignableSchema = z
  .object({
    month: z.string().openapi({ example: '2026-11' }),
    currency: z.string().openapi({ example: 'EUR' }),
    income: money(320000, "The month's income total (GET .../cash-flow's `income` of the month); 0 when none."),
    assigned: money(290000, "The categories' `assigned`, summed."),
    readyToAssign: money(30000, 'income - assigned: still to give a job; negative when more was assigned than came in (`overAssigned`).'),
    categories: z
      .array(
        z.object({
          categoryId: z.string().openapi({ example: EXAMPLE_CATEGORY_ID }),
          name: z.string().openapi({ example: 'Groceries' }),
          assigned: money(
            60000,
            "Its limits of the budget periods STARTING in the month (monthly: the month's; weekly: the weeks whose Monday is in it), each as that period's summary sees it (limit history, per-period limits of \"Move money\"). Carried-over amounts (rollover) are not counted.",
          ),
        }),
      )
      .openapi({ description: "The categories with a limit in the month's periods, in the budget's order (the budget's own limit assigns nothing; no period before the budget's first: none)." }),
    overAssigned: z.boolean().openapi({ example: false, description: 'readyToAssign < 0.' }),
  })
  .openapi('Assignable');
