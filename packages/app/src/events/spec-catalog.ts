/**
 * The event catalog of the product spec (../shared/SPEC.md, "Events"): every event the
 * system is meant to publish, and which module publishes it. The generated catalog
 * (docs/events.md) lists each of these, marking the ones no module defines yet, so gaps stay
 * visible until they are closed.
 */
type Publisher = 'users' | 'budgets' | 'expenses';

/** The spec's events by the module that publishes them, in the spec's order. */
const BY_PUBLISHER: Record<Publisher, readonly string[]> = {
  users: [
    'user.registered',
    'user.deleted',
    // Email change (beyond the spec): the account moved to another address; budgets refresh
    // the email snapshot their memberships keep.
    'user.email_changed',
    // Rename (beyond the spec): the account's display name was set; budgets refresh the name
    // snapshot their memberships keep.
    'user.name_changed',
    // Data export (beyond the spec): an export succeeded or failed; notifications tells the
    // user in the app.
    'user.data_export_finished',
    // Support reset (beyond the spec): an operator turned two-factor sign-in off for a user who
    // lost every factor; the audit trail of the reset.
    'user.mfa_reset_by_operator',
    // Suspension (beyond the spec): support suspended an account (abuse, fraud, a stolen
    // account), or lifted that; the audit trail of each (packages/users/docs/support.md).
    'user.suspended',
    'user.unsuspended',
    // Sign-in alerts (beyond the spec): the account was signed in from a device or network it
    // had not been signed in from before; the users module mails the account.
    'user.signed_in_from_new_place',
    // Sessions that end take what they left (beyond the spec): one session, or every one, of the
    // account ended; notifications releases the push devices an ended session registered.
    'user.sessions_ended',
  ],
  budgets: [
    'budget.created',
    'budget.updated',
    'budget.deleted',
    'budget.member_added',
    'budget.member_removed',
    // Issue 14 (activity log, webhooks): a member's role changed.
    'budget.member_role_changed',
    // Balances (beyond the spec): the owner changed a member's share of a household's expenses.
    'budget.member_share_changed',
    // Settle-up (beyond the spec): a payment between two members was recorded, or deleted.
    'budget.settlement_recorded',
    // Settle-up correction (beyond the spec): a recorded payment's amount, day or note was changed.
    'budget.settlement_updated',
    'budget.settlement_deleted',
    'budget.threshold_crossed',
    // Pace alerts (beyond the spec): at the pace so far, a line of an opted-in budget would pass
    // its limit by the period's end; notifications tells the members, webhooks deliver it.
    'budget.overspend_projected',
    'report.generated',
  ],
  expenses: [
    'expense.recorded',
    'expense.updated',
    'expense.deleted',
    // Comments (beyond the spec): a comment on an expense was written, or deleted; the
    // activity log, notifications and webhooks hear of them.
    'expense.comment_added',
    'expense.comment_deleted',
    // Import finished (beyond the spec): a CSV or bank-statement import job succeeded or
    // failed; notifications tells the person who started it, webhooks deliver it.
    'expense.import_finished',
    // Merchant rename finished (beyond the spec): a merchant rename job succeeded or failed;
    // notifications tells the person who started it, webhooks deliver it.
    'expense.merchant_rename_finished',
    // Import undo finished (beyond the spec): a run of an import's undo succeeded or failed;
    // notifications tells the person who asked for it, webhooks deliver it.
    'expense.import_undo_finished',
    // Bill reminders (beyond the spec): a recurring expense is due tomorrow, published by the
    // hourly recurring-reminders job; notifications tell every member, webhooks deliver it.
    'expense.recurring_due_soon',
    // Income (beyond the spec): an income entry was recorded (by a POST, an import, the hourly
    // recurring-income job or a recurring income's record-next), changed or deleted (in the
    // write's own transaction); the activity log copies them, webhooks deliver them.
    'income.recorded',
    'income.updated',
    'income.deleted',
  ],
};

export const SPEC_EVENTS: readonly { type: string; publisher: Publisher }[] = (Object.keys(BY_PUBLISHER) as Publisher[]).flatMap(
  (publisher) => BY_PUBLISHER[publisher].map((type) => ({ type, publisher })),
);
