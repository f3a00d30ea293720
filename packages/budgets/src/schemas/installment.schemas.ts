import { z } from '@hono/zod-openapi';

/**
 * An installment plan's figures ("payment 2 of 4"; contract.ts InstallmentFigures), one
 * definition for every route that shows them: the forecast's `upcoming` entries here, the
 * expenses module's upcoming bills and yearly costs through `@budgeting/budgets/schemas`.
 * Always present, null for a recurring expense without a count.
 */
export const installmentPlanFields = () => ({
  count: z
    .number()
    .int()
    .nullable()
    .openapi({ example: 4, description: "An installment plan's payments (the recurring expense's `schedule.count`); null for one without a count." }),
  paymentsLeft: z
    .number()
    .int()
    .nullable()
    .openapi({ example: 3, description: "The recurring expense's `paymentsLeft`: an installment plan's payments still to record, from its next occurrence; null for one without a count." }),
});

/** The plan's figures and which payment of it a date is. */
export const installmentFields = () => ({
  ...installmentPlanFields(),
  paymentNumber: z
    .number()
    .int()
    .nullable()
    .openapi({ example: 2, description: 'Which payment of an installment plan this date is, 1-based ("payment 2 of 4" with `count` 4); null for a recurring expense without a count.' }),
});
