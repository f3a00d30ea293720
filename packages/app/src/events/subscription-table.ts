/**
 * THE subscription table: which events each module's handlers receive. It is plain data on
 * purpose: infra/ turns every row into an EventBridge rule targeting the one function, and
 * the local runtime uses it to deliver events in-process. A test checks that every row has
 * a handler registered by its module and every handler has a row.
 */
export interface SubscriptionRow {
  /** Matches Subscription.name in the module; also names the bus rule. */
  name: string;
  module: 'users' | 'budgets' | 'expenses';
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
];

/** Scheduled jobs: one EventBridge schedule each, named `<app>-<stage>-<name>` in AWS. */
export interface ScheduleRow {
  name: string;
  module: 'users' | 'budgets' | 'expenses';
  schedule: string;
}

export const SCHEDULES: ScheduleRow[] = [
  // Records the due occurrences of recurring expenses (each exactly once, catching up when late).
  // Hourly: an occurrence is due from midnight in its budget's time zone.
  { name: 'recurring-expenses', module: 'expenses', schedule: 'rate(1 hour)' },
  // Period reports: every budget whose period ended since its last report gets one (exactly once).
  { name: 'budget-reports', module: 'budgets', schedule: 'rate(1 hour)' },
];
