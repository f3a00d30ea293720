import { z } from '@hono/zod-openapi';
import { BudgetName } from './budgets.schemas';

/**
 * POST /v1/budgets/{budgetId}/copy: the new budget's name (the rules of a budget's create) and
 * what to take along besides the settings and categories, which are always copied.
 */
export const CopyBudgetBody = z
  .object({
    name: BudgetName,
    include: z
      .object({
        rules: z.boolean({ error: 'Must be a boolean' }).default(true).openapi({ description: 'Copy the categorization rules (default true).' }),
        recurringExpenses: z
          .boolean({ error: 'Must be a boolean' })
          .default(false)
          .openapi({ description: 'Copy the recurring expenses, starting no earlier than today (default false).' }),
        members: z
          .boolean({ error: 'Must be a boolean' })
          .default(false)
          .openapi({ description: 'Copy the members with their roles and shares; you stay the owner (default false).' }),
      })
      .strict()
      .default({ rules: true, recurringExpenses: false, members: false }),
  })
  .strict()
  // Inline like CreateBudgetBody: a named component would make the defaulted fields required in generated clients.
  .openapi({
    description: 'The copy\'s name, and what to take along besides the settings and categories (always copied).',
    example: { name: 'Household 2027', include: { rules: true, recurringExpenses: true, members: true } },
  });

export type CopyBudgetInput = z.infer<typeof CopyBudgetBody>;
