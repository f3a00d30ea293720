import { problems } from '@budgeting/platform';
import { budgetArchived, mayEditCategories, type BudgetAccess, type BudgetsFacade } from '@budgeting/budgets';

/**
 * read: any member; write: owners and editors; categories: who may edit the budget's categories
 * (the owner); categories-read: the same role for a read that writes nothing (the rules preview),
 * so still answered on an archived budget; own: any member, for a write of their own (a
 * calendar feed), so still refused on an archived budget. A write the service limits further
 * (deleting a comment: its author or the owner) authorizes 'read', refuses with that rule's 403,
 * and only then with the archive's 409, so the order of the answers is the same as everywhere.
 */
export type Need = 'read' | 'write' | 'categories' | 'categories-read' | 'own';

export interface AuthorizeOptions {
  /**
   * An Idempotency-Key replay (root README "HTTP conventions"): it writes nothing, so an archived
   * budget does not refuse it; membership and role are checked as for the write itself.
   */
  replay?: boolean;
  /**
   * The service limits the write further by a rule of its own (who may undo an import or a bulk
   * edit: who made it, or the owner): it checks that rule first, then refuseArchived(), so a
   * member the rule refuses gets its 403 on an archived budget too, not a 409 saying that
   * unarchiving would let them (the role comes before the archive for every write).
   */
  archiveAfterOwnRule?: boolean;
}

/** The 409 budget-archived of a write whose own rule passed (AuthorizeOptions.archiveAfterOwnRule). */
export function refuseArchived(access: BudgetAccess, budgetId: string): void {
  if (access.budget.archivedAt !== undefined) throw budgetArchived(budgetId);
}

/**
 * Membership authorizes every expense route, asked of the budgets module's facade.
 * Not a member (or no such budget): 404, so a stranger never learns the budget exists.
 * Owners and editors write; viewers read. Nobody writes to an archived budget (409 budget-archived).
 */
export async function authorize(budgets: BudgetsFacade, budgetId: string, userId: string, need: Need, options: AuthorizeOptions = {}): Promise<BudgetAccess> {
  const access = await budgets.getAccess(budgetId, userId);
  if (!access) throw problems.notFound('Budget not found.');
  if (need === 'write' && access.role === 'viewer') {
    throw problems.forbidden('Viewers can read expenses but not change them.');
  }
  // Categorization rules file expenses under categories: managed by whoever may edit those.
  if ((need === 'categories' || need === 'categories-read') && !mayEditCategories(access.role)) {
    throw problems.forbidden(`Only those who may edit the budget's categories (the owner) can manage its categorization rules. Your role is ${access.role}.`);
  }
  // An archived budget is read-only (packages/budgets/docs/budget-lifecycle.md "Archiving a budget"): every write of this
  // module is refused here, and a one-request create whose writeChecks failed on the archive
  // comes here on its read-first path for this same answer. A replay is let through: the
  // answer of a write committed before the archive is still the key's.
  if (need !== 'read' && need !== 'categories-read' && !options.replay && !options.archiveAfterOwnRule) refuseArchived(access, budgetId);
  return access;
}
