import { z } from '@hono/zod-openapi';
import { BudgetName } from './budgets.schemas';

/**
 * POST /v1/budgets/{budgetId}/copy: the new budget's name (the rules of a budget's create) and
 * what to take along besides the settings and categories, which are always copied.
 */
export const CopyBudgetBody = z
  .object({
    name: BudgetName,
    // No zod defaults here: a named component with defaults would make these fields required
    // in generated clients (see CreateBudgetBody); the service applies them (copy.service.ts).
    include: z
      .object({
        rules: z.boolean({ error: 'Must be a boolean' }).optional().openapi({ description: 'Copy the categorization rules (default true).' }),
        recurringExpenses: z
          .boolean({ error: 'Must be a boolean' })
          .optional()
          .openapi({ description: 'Copy the recurring expenses, starting no earlier than today (default false).' }),
        importProfiles: z
          .boolean({ error: 'Must be a boolean' })
          .optional()
          .openapi({ description: "Copy the import profiles (saved bank CSV column mappings), under the same names (default true)." }),
        recurringIncome: z
          .boolean({ error: 'Must be a boolean' })
          .optional()
          .openapi({ description: 'Copy the recurring income (paychecks on a schedule), starting no earlier than today, as the recurring expenses (default false).' }),
        members: z
          .boolean({ error: 'Must be a boolean' })
          .optional()
          .openapi({ description: 'Copy the members with their roles and shares; you stay the owner (default false).' }),
      })
      .strict()
      .optional()
      .openapi({ description: 'What to take along besides the settings and categories (always copied).' }),
  })
  .strict()
  .openapi('CopyBudget', {
    description: "The copy's name (the rules of a new budget's), and what to take along.",
    example: { name: 'Household 2027', include: { rules: true, recurringExpenses: true, importProfiles: true, members: true } },
  });

export type CopyBudgetInput = z.infer<typeof CopyBudgetBody>;

