/**
 * THE subscription table: which events each module's handlers receive. It is plain data on
 * purpose: infra/ turns every row into an EventBridge rule targeting the one function, and
 * the local runtime uses it to deliver events in-process. A test checks that every row has
 * a handler registered by its module and every handler has a row.
 */
export interface SubscriptionRow {
  /** Matches Subscription.name in the module; also names the bus rule. */
  name: string;
  module: 'users' | 'budgets' | 'expenses' | 'activity' | 'notifications';
  /** EventBridge event pattern: source = budgeting.<publisher>, detail-type in detailTypes. */
  source: string;
  detailTypes: string[];
}

export const SUBSCRIPTIONS: SubscriptionRow[] = [
  // Re-checks the alert thresholds of the expense's period; publishes budget.threshold_crossed.
  {
    name: 'budgets-on-expenses',
    module: 'budgets',
    source: 'budgeting.expenses',
    detailTypes: ['expense.recorded', 'expense.updated', 'expense.deleted'],
  },
  // A deleted account: its owned budgets are deleted, its other memberships removed.
  { name: 'budgets-on-users', module: 'budgets', source: 'budgeting.users', detailTypes: ['user.deleted'] },
  // A deleted budget's threshold markers and reports.
  { name: 'budgets-on-budgets', module: 'budgets', source: 'budgeting.budgets', detailTypes: ['budget.deleted'] },
  // Emails each generated period report to the budget's owner.
  { name: 'budgets-report-mail', module: 'budgets', source: 'budgeting.budgets', detailTypes: ['report.generated'] },
  // A deleted budget's expenses and running totals.
  { name: 'expenses-on-budgets', module: 'expenses', source: 'budgeting.budgets', detailTypes: ['budget.deleted'] },
  // The activity log: one entry per expense change (by hand, import or schedule).
  {
    name: 'activity-on-expenses',
    module: 'activity',
    source: 'budgeting.expenses',
    detailTypes: ['expense.recorded', 'expense.updated', 'expense.deleted'],
  },
  // The activity log: budget settings and members; budget.deleted removes the budget's log.
  {
    name: 'activity-on-budgets',
    module: 'activity',
    source: 'budgeting.budgets',
    detailTypes: ['budget.created', 'budget.updated', 'budget.member_added', 'budget.member_removed', 'budget.deleted'],
  },
  // Budget alerts that reach people: a notification per member, email (opt-in) and push.
  { name: 'notifications-on-budgets', module: 'notifications', source: 'budgeting.budgets', detailTypes: ['budget.threshold_crossed'] },
];

/** Scheduled jobs: one EventBridge schedule each, named `<app>-<stage>-<name>` in AWS. */
export interface ScheduleRow {
  name: string;
  module: 'users' | 'budgets' | 'expenses' | 'activity' | 'notifications';
  schedule: string;
}

export const SCHEDULES: ScheduleRow[] = [
  // Records the due occurrences of recurring expenses (each exactly once, catching up when late).
  // Hourly: an occurrence is due from midnight in its budget's time zone.
  { name: 'recurring-expenses', module: 'expenses', schedule: 'rate(1 hour)' },
  // Period reports: every budget whose period ended since its last report gets one (exactly once).
  { name: 'budget-reports', module: 'budgets', schedule: 'rate(1 hour)' },
];
