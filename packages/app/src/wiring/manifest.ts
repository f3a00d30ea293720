// Generated from the subscriptions and scheduled jobs the modules register: do not edit.
// Regenerate with `npx tsx packages/app/scripts/wiring-manifest.ts`; tests/unit/events/wiring-manifest.test.ts fails when it is stale.
import type { ScheduleRow, SubscriptionRow } from './rows';

export const SUBSCRIPTIONS: SubscriptionRow[] = [
  { name: 'users-email-changed-notice', module: 'users', source: 'budgeting.users', detailTypes: ['user.email_changed'] },
  { name: 'users-mfa-reset-notice', module: 'users', source: 'budgeting.users', detailTypes: ['user.mfa_reset_by_operator'] },
  { name: 'users-sign-in-alert', module: 'users', source: 'budgeting.users', detailTypes: ['user.signed_in_from_new_place'] },
  { name: 'budgets-on-expenses', module: 'budgets', source: 'budgeting.expenses', detailTypes: ['expense.recorded', 'expense.updated', 'expense.deleted'] },
  { name: 'budgets-on-users', module: 'budgets', source: 'budgeting.users', detailTypes: ['user.deleted', 'user.email_changed', 'user.name_changed'] },
  { name: 'budgets-on-budgets', module: 'budgets', source: 'budgeting.budgets', detailTypes: ['budget.deleted'] },
  { name: 'budgets-report-mail', module: 'budgets', source: 'budgeting.budgets', detailTypes: ['report.generated'] },
  { name: 'expenses-on-budgets', module: 'expenses', source: 'budgeting.budgets', detailTypes: ['budget.deleted'] },
  { name: 'attachments-on-expenses', module: 'expenses', source: 'budgeting.expenses', detailTypes: ['expense.deleted'] },
  { name: 'calendar-feeds-on-members', module: 'expenses', source: 'budgeting.budgets', detailTypes: ['budget.member_removed'] },
  { name: 'comments-on-expenses', module: 'expenses', source: 'budgeting.expenses', detailTypes: ['expense.deleted'] },
  { name: 'activity-on-budgets', module: 'activity', source: 'budgeting.budgets', detailTypes: ['budget.created', 'budget.updated', 'budget.member_added', 'budget.member_role_changed', 'budget.member_share_changed', 'budget.member_removed', 'budget.settlement_recorded', 'budget.settlement_updated', 'budget.settlement_deleted', 'budget.deleted'] },
  { name: 'activity-on-comments', module: 'activity', source: 'budgeting.expenses', detailTypes: ['expense.comment_added', 'expense.comment_deleted'] },
  { name: 'activity-on-income', module: 'activity', source: 'budgeting.expenses', detailTypes: ['income.recorded', 'income.updated', 'income.deleted'] },
  { name: 'notifications-on-budgets', module: 'notifications', source: 'budgeting.budgets', detailTypes: ['budget.threshold_crossed', 'budget.overspend_projected'] },
  { name: 'notifications-on-users', module: 'notifications', source: 'budgeting.users', detailTypes: ['user.deleted', 'user.data_export_finished', 'user.sessions_ended', 'user.suspended', 'user.mfa_reset_by_operator'] },
  { name: 'notifications-on-expenses', module: 'notifications', source: 'budgeting.expenses', detailTypes: ['expense.comment_added', 'expense.import_finished', 'expense.merchant_rename_finished', 'expense.import_undo_finished', 'expense.recurring_due_soon', 'income.recorded'] },
  { name: 'webhooks-on-budgets', module: 'webhooks', source: 'budgeting.budgets', detailTypes: ['budget.created', 'budget.updated', 'budget.deleted', 'budget.member_added', 'budget.member_role_changed', 'budget.member_share_changed', 'budget.member_removed', 'budget.settlement_recorded', 'budget.settlement_updated', 'budget.settlement_deleted', 'budget.threshold_crossed', 'budget.overspend_projected', 'report.generated'] },
  { name: 'webhooks-on-expenses', module: 'webhooks', source: 'budgeting.expenses', detailTypes: ['expense.recorded', 'expense.updated', 'expense.deleted', 'expense.comment_added', 'expense.comment_deleted', 'expense.import_finished', 'expense.merchant_rename_finished', 'expense.import_undo_finished', 'expense.recurring_due_soon', 'income.recorded', 'income.updated', 'income.deleted'] },
  { name: 'webhooks-on-users', module: 'webhooks', source: 'budgeting.users', detailTypes: ['user.deleted'] },
];

export const SCHEDULES: ScheduleRow[] = [
  { name: 'budget-reports', module: 'budgets', schedule: 'rate(1 hour)' },
  { name: 'recurring-expenses', module: 'expenses', schedule: 'rate(1 hour)' },
  { name: 'recurring-income', module: 'expenses', schedule: 'rate(1 hour)' },
  { name: 'recurring-reminders', module: 'expenses', schedule: 'rate(1 hour)' },
  { name: 'expenses-totals-verify', module: 'expenses', schedule: 'rate(1 day)' },
  { name: 'notifications-quiet-summary', module: 'notifications', schedule: 'rate(15 minutes)' },
];
