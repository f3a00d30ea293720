/**
 * The rows infra/ deploys: one EventBridge bus rule per subscription, one schedule per job.
 * Plain data, generated into manifest.ts from what the modules register (derive.ts).
 */
export interface SubscriptionRow {
  /** The Subscription's name in its module; also names the bus rule. */
  name: string;
  /** The module that registers the subscription. */
  module: string;
  /** EventBridge event pattern: source = budgeting.<publisher>, detail-type in detailTypes. */
  source: string;
  detailTypes: string[];
}

/** A scheduled job: one EventBridge schedule each, named `<app>-<stage>-<name>` in AWS. */
export interface ScheduleRow {
  name: string;
  module: string;
  /** An EventBridge rate expression (schedule-expression.ts). */
  schedule: string;
}
