/**
 * The events a webhook can receive: every event of a budget its owner may read. Budgets and
 * expenses own the contracts; this is the list of their types a subscriber may pick from
 * (`eventTypes`), checked against the contracts the module subscribes to when it is built.
 */
export const WEBHOOK_EVENT_TYPES = [
  'expense.recorded',
  'expense.updated',
  'expense.deleted',
  'expense.comment_added',
  'expense.comment_deleted',
  'expense.import_finished',
  'expense.merchant_rename_finished',
  'expense.import_undo_finished',
  'expense.recurring_due_soon',
  'income.recorded',
  'income.updated',
  'income.deleted',
  'budget.created',
  'budget.updated',
  'budget.deleted',
  'budget.member_added',
  'budget.member_role_changed',
  'budget.member_share_changed',
  'budget.member_removed',
  'budget.settlement_recorded',
  'budget.settlement_updated',
  'budget.settlement_deleted',
  'budget.threshold_crossed',
  'budget.overspend_projected',
  'report.generated',
] as const;

export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];

/**
 * Events whose budget may be gone when they are delivered: membership was checked from the
 * event itself when the delivery was created, and nobody can read the budget any more.
 */
export const BUDGET_GONE_EVENTS: readonly string[] = ['budget.deleted'];
