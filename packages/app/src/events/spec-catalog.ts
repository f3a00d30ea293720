/**
 * The event catalog of the product spec (../shared/SPEC.md, "Events"): every event the
 * system is meant to publish, and which module publishes it. The generated catalog
 * (docs/events.md) lists each of these, marking the ones no module defines yet, so gaps stay
 * visible until they are closed.
 */
export const SPEC_EVENTS: readonly { type: string; publisher: 'users' | 'budgets' | 'expenses' }[] = [
  { type: 'user.registered', publisher: 'users' },
  { type: 'user.deleted', publisher: 'users' },
  { type: 'budget.created', publisher: 'budgets' },
  { type: 'budget.updated', publisher: 'budgets' },
  { type: 'budget.deleted', publisher: 'budgets' },
  { type: 'budget.member_added', publisher: 'budgets' },
  { type: 'budget.member_removed', publisher: 'budgets' },
  // Issue 14 (activity log, webhooks): a member's role changed.
  { type: 'budget.member_role_changed', publisher: 'budgets' },
  { type: 'budget.threshold_crossed', publisher: 'budgets' },
  { type: 'report.generated', publisher: 'budgets' },
  { type: 'expense.recorded', publisher: 'expenses' },
  { type: 'expense.updated', publisher: 'expenses' },
  { type: 'expense.deleted', publisher: 'expenses' },
];
