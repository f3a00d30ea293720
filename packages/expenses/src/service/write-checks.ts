import type { BudgetsFacade } from '@budgeting/budgets';
import { authorize } from './access';
import { checkAgainstBudgetAgain } from '../domain/expense-rules';
import { WriteRacedError } from '../domain/write-retry';

/**
 * The checks an expense's write carries after an access read, and the answers when one fails
 * (nothing written): shared by the create path (expense-create.ts) and a PATCH's or DELETE's
 * write (expenses.service.ts).
 */

/** What a write's body says of categories (checkAgainstBudget's part of it). */
export type CategoriesSent = { categoryId?: string | null; splits?: { categoryId: string | null }[] | null };

/**
 * The writer's membership check (BudgetsFacade.writeChecks: a writing role, the budget not
 * archived) for a write that authorized with a read first: a removal, a demotion to viewer
 * or the budget's deletion that commits between that read and the write fails it, so no
 * write of someone who lost the right commits after the change that took it
 * (packages/budgets/docs/members.md).
 */
export function writerCheck(budgets: BudgetsFacade, budgetId: string, userId: string) {
  return budgets.writeChecks(budgetId, userId, {})[0]!;
}

/** After the writer's check failed: the precise answer (404, 403, 409 budget-archived), else a 409 to retry (nothing written). */
export async function refuseWriter(budgets: BudgetsFacade, budgetId: string, userId: string): Promise<never> {
  await authorize(budgets, budgetId, userId, 'write');
  throw new WriteRacedError('Your access to the budget changed while this was written; nothing was written, retry.');
}

/**
 * A category the write names was removed after the access read (its categoriesCheck failed,
 * nothing written): the 400 the access check gives now, naming the field sent. Were it to pass
 * (the category came from a rule, not the body), `otherwise`: a PATCH tries again from a fresh
 * read, a create answers 409 (retried, it passes the rule over).
 */
export async function refuseCategories(budgets: BudgetsFacade, budgetId: string, userId: string, sent: CategoriesSent, otherwise: () => Error): Promise<never> {
  checkAgainstBudgetAgain(await authorize(budgets, budgetId, userId, 'write'), sent);
  throw otherwise();
}
