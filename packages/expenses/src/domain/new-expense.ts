import type { Expense } from '../model';
import type { CreateExpenseInput } from '../schemas/expenses.schemas';
import { optionalText } from './optional-text';
import { tagsField } from './tags';
import { foreignField } from './foreign';
import { sharedWithField } from './shared-with';
import { createdSharedAmounts } from './shared-amounts';
import { createdReviewed } from './review';
import { refundField } from './refunds';
import { createdCategories } from './splits';

/** A new expense and the rules that renamed its merchant and filled in its category (if any did): its event says so. */
export interface NewExpense {
  expense: Expense;
  ruleId?: string;
  renameRuleId?: string;
}

/** The expense a create records under `id`, its first version, created and last updated at `timestamp`. */
export function expenseOf(budgetId: string, userId: string, input: CreateExpenseInput, occurredOn: string, id: string, timestamp: string): Expense {
  return {
    id,
    budgetId,
    amount: input.amount,
    ...createdCategories(input),
    occurredOn,
    ...optionalText(input),
    ...tagsField(input.tags),
    ...foreignField(input.foreign),
    ...sharedWithField(input.sharedWith),
    ...createdSharedAmounts(input),
    reviewed: createdReviewed(input.reviewed),
    ...refundField(input.refund),
    createdBy: userId,
    version: 1,
    createdAt: timestamp,
    updatedAt: timestamp,
  };
}

/** What a create's event names of the rules that applied (appliedRules). */
export function ruleIds(filled: { categorizedBy?: string; renamedBy?: string }): { ruleId?: string; renameRuleId?: string } {
  return { ...(filled.categorizedBy ? { ruleId: filled.categorizedBy } : {}), ...(filled.renamedBy ? { renameRuleId: filled.renamedBy } : {}) };
}

/**
 * What the write's ConditionCheck must find in the budget: the currency, every category the
 * expense names (its own or its parts'), and another currency than a foreign amount's, all in
 * one check (BudgetsFacade.writeChecks). A foreign currency equal to the budget's fails it,
 * and the read-first path then answers the 400 naming `foreign.currency`.
 */
export function writeCheckValue(input: CreateExpenseInput) {
  return {
    categoryId: input.categoryId,
    ...(input.splits ? { categoryIds: input.splits.map((p) => p.categoryId) } : {}),
    ...(input.currency === undefined ? {} : { currency: input.currency }),
    ...(input.foreign ? { notCurrency: input.foreign.currency } : {}),
  };
}
