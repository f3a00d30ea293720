import type { DeviceParts } from '../domain/sign-in-place';

/**
 * The names of the module's fan-out jobs, apart from their code: create-module.ts declares the
 * jobs with them and loads each job's file on its first use (platform lazyJob), and the
 * services that queue units name them without loading the jobs.
 */
/** One unit per POST /v1/auth/password-reset: look the email up, and if it has an account, write the reset and mail its token. */
export const PASSWORD_RESET_MAIL_JOB = 'users-password-reset-mail';

/** A unit of the password-reset mail job: nothing secret (the token is rebuilt from resetId with a key the queue never sees). */
export interface ResetMailUnit {
  /** Normalized. */
  email: string;
  /** Chosen by the request, so a redelivered unit writes (and mails) the same reset. */
  resetId: string;
}

/**
 * A reset mail unit as written (in the request's transaction: a table item for a day, then a
 * queue message): the address sealed (AES-256-GCM under its own HKDF label, bound to the
 * resetId), so neither holds an address in clear, account or not (the throttle's keys hold
 * none either: docs/throttling.md "What the keys hold"). A unit queued before carries `email` in clear.
 */
export interface SealedResetMailUnit {
  sealedEmail: string;
  resetId: string;
}

/** The HKDF label of the reset unit's address sealing (service/token-answer-sealer.ts labelledSealer). */
export const RESET_UNIT_SEAL_LABEL = 'users-reset-unit-email-aes-256-gcm';

/** The data export (GDPR Art. 20): its units (the account, the budget planner, one per budget, the assembly): jobs/data-export-job.ts. */
export const DATA_EXPORT_JOB = 'users-data-export';
/** Account deletion: the deleted account's export objects (jobs/exports-cleanup-job.ts). */
export const EXPORTS_CLEANUP_JOB = 'users-exports-cleanup';

/**
 * The work on an account's sessions that grows with them (a script signing in every few minutes
 * holds thousands of families within a session's lifetime), off the request that causes it:
 * jobs/sessions-cleanup-job.ts. Each unit is an item of that request's own transaction.
 */
export const SESSIONS_CLEANUP_JOB = 'users-sessions-cleanup';

/**
 * `earlier-epochs`: a password change or reset raised the session epoch to `epoch` (reason
 * `password-changed`), or a sign-out ended every session because its window of ended sessions
 * was full (`too-many-ended`: service/session-ending.ts); the families of earlier epochs are
 * marked ended (`reason`, `at`: the change's), bookkeeping only (the epoch refuses them
 * already); `after`: the last family marked so far (a continuation).
 * `account-deleted`: DELETE /v1/me committed; every family and refresh token of the account goes.
 */
/** Why the epoch moved: the revoked reason the earlier families are marked with. */
export type EarlierEpochsReason = 'password-changed' | 'too-many-ended';

export type SessionsCleanupUnit =
  | { kind: 'earlier-epochs'; userId: string; epoch: number; reason: EarlierEpochsReason; at: string; after?: string }
  | { kind: 'account-deleted'; userId: string }
  /**
   * The sign-in counters and known clients of an address the account no longer has (account
   * deletion, an email change): their partitions (`users#throttle#<keyed hash>`, ThrottleKeys
   * `partitions`; never the address itself but for items written before the keys were hashed).
   */
  | { kind: 'sign-in-counters'; userId: string; partitions: string[] };

/**
 * The email change's mails (service/email-change-mail.ts): one `code` unit per POST
 * /v1/me/email (the code to the NEW address, or, if another account has it, a notice without
 * one), one `changed` unit per user.email_changed event (the notice to the OLD address, queued
 * by the users-email-changed-notice subscriber).
 */
export const EMAIL_CHANGE_MAIL_JOB = 'users-email-change-mail';

/** Nothing secret: the code is rebuilt from changeId with a key the queue never sees. */
export type EmailChangeMailUnit =
  /** `locale`: the requester's profile locale, read by the request (the mail's language; absent: none, or an older unit: English). */
  | { kind: 'code'; userId: string; changeId: string; locale?: string }
  /**
   * The addresses travel in the unit (from the event): once the change committed, the profile
   * no longer has the old one. `eventId` is the user.email_changed event's: the mail's id.
   */
  | { kind: 'changed'; userId: string; eventId: string; previousEmail: string; email: string; locale?: string };

/**
 * The notice to an account's address that support turned its two-factor sign-in off
 * (service/mfa-reset-notice.ts): one unit per user.mfa_reset_by_operator event, queued by the
 * users-mfa-reset-notice subscriber, so the notice is as durable as the reset itself.
 */
export const MFA_RESET_NOTICE_MAIL_JOB = 'users-mfa-reset-notice-mail';

/** From the event: whose account, the event's id (the mail's id) and when the reset committed. */
export interface MfaResetNoticeUnit {
  userId: string;
  eventId: string;
  at: string;
}

/**
 * The operator operation that turns two-factor sign-in off for a user who lost every factor
 * (`npm run job -- users-mfa-reset --email <address> --reason "<ticket>"`):
 * service/mfa-operator-reset.ts.
 */
export const MFA_RESET_OPERATION = 'users-mfa-reset';

/**
 * The operator operations that suspend an account and lift that
 * (`npm run job -- users-suspend --email <address> --reason "<ticket>"`, `users-unsuspend` alike):
 * service/account-suspension.ts, docs/support.md.
 */
export const SUSPEND_OPERATION = 'users-suspend';
export const UNSUSPEND_OPERATION = 'users-unsuspend';

/**
 * The read-only operator operation that shows an account's state and audit trail to support
 * (`npm run job -- users-show --email <address>`): service/account-lookup.ts, docs/support.md.
 */
export const SHOW_OPERATION = 'users-show';

/**
 * Operator job (`npm run job -- users-mfa-reseal`): reseals every stale TOTP seal under the
 * current MFA_SECRETS_KEY, so a rotation's previous key (or the v1 legacy key) can be dropped:
 * jobs/mfa-reseal-job.ts.
 */
export const MFA_RESEAL_JOB = 'users-mfa-reseal';

/**
 * The mail that the account was signed in from a new place (service/sign-in-alert-mail.ts):
 * one unit per user.signed_in_from_new_place event, queued by the users-sign-in-alert
 * subscriber, so the mail is as durable as the sign-in and never delays it.
 */
export const SIGN_IN_ALERT_MAIL_JOB = 'users-sign-in-alert-mail';

/** From the event: whose account, the event's id (the mail's id), when, and the place's readable forms (never an address). */
export interface SignInAlertUnit {
  userId: string;
  eventId: string;
  at: string;
  /** English ("Chrome on Windows"): what the mail shows when `deviceParts` is absent (an event from before them). */
  device: string;
  /** The device's parts, worded in the recipient's language by the mail. */
  deviceParts?: DeviceParts;
  network: string;
}

/**
 * The account's security notices (service/security-notice-mail.ts): a mail to the account's
 * address after a change that decides who can get into it (docs/security-notices.md). The
 * unit is written in the change's own transaction (platform queuedUnitPut), so a notice exists
 * exactly when its change committed; the stream's relay queues it and the runner's claim works
 * it once.
 */
export const SECURITY_NOTICE_MAIL_JOB = 'users-security-notice-mail';

/** What changed. Each is a change the owner would want to hear of if it was not theirs. */
export const SECURITY_CHANGES = [
  'password-changed',
  'password-reset',
  'two-factor-on',
  'two-factor-off',
  'recovery-codes-renewed',
  'personal-token-created',
  // Credentials other modules make that read the household's data (UsersFacade.credentialNotice).
  'webhook-created',
  'calendar-feed-created',
] as const;
export type SecurityChange = (typeof SECURITY_CHANGES)[number];

/** The changes that made a credential of another module: the mail says how to delete it (`removePath`). */
export const CREDENTIAL_CHANGES = ['webhook-created', 'calendar-feed-created'] as const satisfies readonly SecurityChange[];
export type CredentialChange = (typeof CREDENTIAL_CHANGES)[number];

/**
 * Whose account, what changed and when it committed; `noticeId` is the mail's id; `tokenName` the
 * new token's (personal-token-created); `removePath` the route that deletes a new credential
 * (`/v1/webhooks/{id}`, `/v1/budgets/{budgetId}/calendar-feeds/{feedId}`) and `host` where a
 * new webhook sends (webhook-created).
 */
export interface SecurityNoticeUnit {
  userId: string;
  noticeId: string;
  change: SecurityChange;
  at: string;
  tokenName?: string;
  removePath?: string;
  host?: string;
}
