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

export const SUBSCRIPTIONS: SubscriptionRow[] = [];

/** Scheduled jobs: one EventBridge schedule each, named `<app>-<stage>-<name>` in AWS. */
export interface ScheduleRow {
  name: string;
  module: 'users' | 'budgets' | 'expenses';
  schedule: string;
}

export const SCHEDULES: ScheduleRow[] = [];
