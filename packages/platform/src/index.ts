/** The platform kernel: everything modules share, and nothing about any one module. */
export { loadConfig, type AppConfig } from './config';
export { derivedId, firstIdAt, idTime, newId } from './ids';
export { loadOnce } from './load-once';
export { systemClock, fixedClock, epochSeconds, type Clock } from './clock';
export { jitteredWaitMs, sleep, waitBefore, waitCeilingMs, type JitterPolicy } from './retry/backoff';
export * from './money';
export { SECRET_BYTES, newSecret, hashSecret, secretMatchesHash } from './secret-hash';
export {
  MIN_DATE,
  MAX_DATE,
  MIN_MONTH,
  MAX_MONTH,
  daysInMonth,
  isCalendarDate,
  isCalendarMonth,
  addDays,
  dayNumber,
  dateOfDayNumber,
  latestDateOnEarth,
} from './dates';
export { normalizeTimeZone, isTimeZone, isIanaTimeZone, dateInTimeZone, timeInTimeZone, utcOffsetMinutesIn } from './timezones';
export { canonicalLocale, isLocale } from './locales';
export { localeCount, localeFormat, type LocaleFormat } from './locale-format';
// The message catalog is its own entry (@budgeting/platform/locale-messages): only the texts that are
// rendered (reports, notifications) load it, not every cold start through this index.
export { startOfDayIn, dueInstant, shardOf } from './zoned-time';
export { createLogger, withLogContext, type Logger } from './logger';
export { TABLE, KEY_ATTRIBUTES, createTableInput, type IndexName } from './dynamo/table-definition';
export { createDynamoClients } from './dynamo/client';
export { deferReads, withRequestReads, type ItemCondition } from './dynamo/request-reads';
export * as attr from './dynamo/attributes';
export { limitPage } from './dynamo/limit-page';
export { capRefused, giveBackPlace, takePlace, type CappedCount, type CountAlso, type CountUpdate } from './dynamo/capped-count';
export { COUNTER_ROUNDS, countInWindow, NOT_COUNTED, type WindowCount } from './dynamo/window-count';
export {
  cancellationCodes,
  cancellationUntouched,
  cancelledOnlyAt,
  cancelledOnlyByConflicts,
  conditionFailedAt,
  conditionHeld,
  failedConditions,
  isConditionFailed,
  isTransactionConditionFailed,
  refusingItem,
} from './dynamo/condition-failed';
export {
  ModuleStore,
  KeyOwnershipError,
  type Item,
  type Key,
  type ScanSegmentInput,
  type NoTableTransactItem as TransactItem,
} from './dynamo/module-store';
export {
  AccessTokens,
  InvalidTokenError,
  PERSONAL_TOKEN_PREFIX,
  type AccessTokenClaims,
  type AccessTokenOptions,
  type Caller,
  type PersonalTokenGrant,
  type PersonalTokenScope,
} from './auth/access-tokens';
export * from './http/problem';
export * from './http/guards';
export { awsErrorToProblem } from './http/aws-errors';
export type { AppEnv } from './http/app-env';
export { zodToFieldErrors, validationProblem } from './http/validation';
export type { Router } from './http/router';
export { requireAuth, type RequireAuthOptions } from './http/auth-middleware';
export { setAnswerHeader } from './http/answer-headers';
export { prefersHtml } from './http/negotiate';
export { RateLimiter, rateLimitHeaders, type RateLimitPolicy, type RateVerdict, type WindowCounter } from './http/rate-limit';
export { rateLimitCounter } from './http/rate-limit-counter';
export { callerAlone, idempotency, type IdempotencyOptions, type LeaseCompletion, type ReplayGuard } from './http/idempotency';
export { IDEMPOTENCY_TTL_SECONDS, type AnswerSealer } from './http/idempotency-key';
export { idempotentWrite, type IdempotentWrite, type StoredResponse } from './http/idempotent-write';
export { jsonAnswer, keyCompletion, keyInUse, type KeyCompletion } from './http/key-completion';
export { asKeyRecordOnItem, keyRecordLive, type KeyRecordOnItem } from './http/key-record-on-item';
export { etagFor, setEtag, expectedTags, expectedVersion, versionedGetAnswer, digestGetAnswer } from './http/etag';
export { pickFields } from './http/pick-fields';
export { changesNothing } from './unchanged';
export { createCursorCodec, type CursorCodec } from './http/cursor';
export { requestedDayRange, type DayRange } from './http/date-range-query';
export { ILL_FORMED_TEXT, characterCount, closedBidi, hasVisibleText, isolatedBidi, isWellFormedText, nameKey, nameKeyBeforeNfkc, normalizeName, oneLine, searchKey } from './text';
export { defineEvent, createEvent, type EventContract, type EventEnvelope } from './events/contract';
export {
  parseEnvelope,
  isEventContract,
  utf8Bytes,
  MAX_EVENT_ENTRY_BYTES,
  EventTooLargeError,
} from './events/contract';
export {
  inboxPut,
  inboxKey,
  alreadyProcessed,
  transactOnce,
  withInbox,
  INBOX_KIND,
  INBOX_RETENTION_SECONDS,
} from './events/inbox';
export { claimedOnce, withClaimedInbox, DeliveryInFlightError, DELIVERY_CLAIM_LEASE_SECONDS, type ClaimItem } from './events/claimed-inbox';
export {
  outboxPut,
  outboxFields,
  publishedFields,
  isOutboxItem,
  OUTBOX_KIND,
  PUBLISHES_ATTRIBUTE,
  OUTBOX_RETENTION_SECONDS,
  type OutboxItem,
  queuedUnitPut,
  isQueuedUnitItem,
  QUEUED_UNIT_KIND,
  MAX_QUEUED_UNIT_BYTES,
  type QueuedUnitItem,
} from './events/outbox';
export type { EmailMessage, EmailSender } from './mail';
export { mailHtml } from './mail-html';
export type { ConcatenateOutcome, ConcatenateResume, ObjectStorage, StoredObject, UploadTicket } from './object-storage';
export { PUSH_PLATFORMS, PushTokenRefusedError, type PushMessage, type PushOutcome, type PushPlatform, type PushSender } from './push';
export type { PlatformDeps, ModuleRuntime, RouteShortcut, Subscription, ScheduledJob, HandlerContext, OperatorOperation } from './module-definition';
export { OperatorInputError } from './module-definition';
export { checkedAuthor, MAX_OPERATOR_NAME_LENGTH, MAX_OPERATOR_REASON_LENGTH } from './operator-author';
export { finishDocument } from './http/openapi-finish';
export type { FanOutJob, JobReport, PlanPage, WorkOutcome, WorkContext, WorkQueue } from './jobs/fan-out';
export { WorkFailedError, MAX_QUEUE_DELAY_SECONDS } from './jobs/fan-out';
export { REPORT_METRICS, REPORT_METRIC_NAMES, type ReportMetricName } from './jobs/report-metrics';
export {
  ASYNC_INVOCATION_RETRIES,
  WORK_QUEUE_BACKLOG_ALARM_SECONDS,
  WORK_QUEUE_MAX_RECEIVES,
  WEBHOOK_QUEUE_MAX_RECEIVES,
  WORK_QUEUE_VISIBILITY_TIMEOUT_SECONDS,
  WORK_UNIT_RETRIES_MAX_SECONDS,
  WORK_UNIT_STALLED_AFTER_MS,
} from './jobs/work-queue-limits';
export { lazyJob, type JobDeclaration, type LazyJob } from './jobs/lazy-job';
export { deleteInSteps, firstKeysOf, type DeletedSoFar } from './jobs/delete-in-steps';
export { deleteInStepsJob, DELETE_SLICE_KEYS, type DeleteInStepsJobSpec } from './jobs/delete-in-steps-job';
export { decodeDueIndexCursor, encodeDueIndexCursor, nextDueIndexCursor, type DueIndexCursor } from './jobs/due-index-cursor';
export { dueIndexPage, type DueIndexPageQuery } from './jobs/due-index-page';
export { settleAll } from './settle-all';
export { KeyedLanes } from './keyed-lanes';
