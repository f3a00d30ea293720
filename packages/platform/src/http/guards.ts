/**
 * The guards that refuse requests with 429, named once: the name goes into the refused
 * request's access line as `refusedBy` (the 429 problems all share the type `too-many-requests`,
 * so the type cannot tell them apart), and infra/guard-metrics.ts turns those lines into
 * CloudWatch metrics with the filter patterns below. Plain data with no imports: infra/ imports
 * it (through `@budgeting/app/wiring`) at deploy time, the tests evaluate the patterns against
 * real access lines. Renaming a guard renames what the metric filters look for, in one place.
 */
export const GUARDS = {
  /** The per-account API rate limit (http/rate-limit.ts, through requireAuth). */
  accountRateLimit: 'account-rate-limit',
  /** Reads per public calendar feed (http/rate-limit.ts, keyed by the feed; expenses: CalendarFeedsService). */
  calendarFeedRateLimit: 'calendar-feed-rate-limit',
  /** Test pings per webhook per hour (webhooks: PingService, counted in repository/ping-counter.ts). */
  webhookPingLimit: 'webhook-ping-limit',
  /** Data exports per account per UTC day (users: DataExportService, decided on the export gate item). */
  dataExportLimit: 'data-export-limit',
  /** Failed sign-ins per email and per client (users: service/login-throttle.ts). */
  signInFailures: 'sign-in-failures',
  /** Sign-ups and sign-ins per network address, the password-hashing cost guard (users: AddressLimit 'hashing'). */
  signInAddress: 'sign-in-address-limit',
  /** Token refreshes per network address (users: AddressLimit 'refresh'). */
  refreshAddress: 'refresh-address-limit',
  /** Password-reset requests per network address (users: AddressLimit 'reset'). */
  resetAddress: 'password-reset-address-limit',
  /** Password-reset confirmations per network address (users: AddressLimit 'reset-confirm'). */
  resetConfirmAddress: 'password-reset-confirm-address-limit',
  /** Password-reset requests per email (users: PasswordResetService). */
  resetEmail: 'password-reset-email-limit',
} as const;
export type Guard = (typeof GUARDS)[keyof typeof GUARDS];

/** The access-line field that names the guard of a refused request. */
export const GUARD_FIELD = 'refusedBy';

/** The CloudWatch namespace of the guard metrics (a custom one: each metric is billed). */
export const GUARD_METRICS_NAMESPACE = 'Budgeting/Guards';

export interface GuardMetric {
  metricName: string;
  /** The guards whose refusals it counts. */
  guards: readonly Guard[];
}

/** One metric per family of guards an operator acts on differently: three custom metrics in all. */
export const GUARD_METRICS: readonly GuardMetric[] = [
  // The per-caller limits' refusals, whoever the caller: an account, a public calendar feed's URL,
  // an account's pings of one webhook or its data exports of the day (a refusal stream there is
  // also a client stuck retrying).
  {
    metricName: 'RefusedByAccountRateLimit',
    guards: [GUARDS.accountRateLimit, GUARDS.calendarFeedRateLimit, GUARDS.webhookPingLimit, GUARDS.dataExportLimit],
  },
  { metricName: 'RefusedBySignInLimits', guards: [GUARDS.signInFailures, GUARDS.signInAddress, GUARDS.refreshAddress] },
  {
    metricName: 'RefusedByPasswordResetLimits',
    guards: [GUARDS.resetAddress, GUARDS.resetConfirmAddress, GUARDS.resetEmail],
  },
];

/**
 * The CloudWatch Logs filter pattern of a metric (JSON syntax): a line whose `refusedBy` is
 * one of its guards, `{ $.refusedBy = "a" }` or `{ ($.refusedBy = "a") || ($.refusedBy = "b") }`.
 */
export const guardFilterPattern = (metric: GuardMetric): string => {
  const terms = metric.guards.map((guard) => `$.${GUARD_FIELD} = "${guard}"`);
  return `{ ${terms.length === 1 ? terms[0] : terms.map((term) => `(${term})`).join(' || ')} }`;
};
