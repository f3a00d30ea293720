import { canonicalLocale } from '@budgeting/platform';
import type { UserSummary } from './contract';
import type { KnownPlaces } from './domain/sign-in-place';

/** The users module's own view of an account (never leaves the module with its hash). */
export interface User {
  id: string;
  /** Normalized: trimmed and lower-cased, so it is also the uniqueness key. */
  email: string;
  name: string | null;
  /** IANA time zone name (e.g. "America/New_York"). */
  timezone: string;
  /** ISO 4217 code, the default currency for the user's new budgets. */
  currency: string;
  /**
   * BCP 47 tag, canonical (Intl.getCanonicalLocales), one Intl formats for: how the user's
   * period reports show amounts and dates. null: none (absent on profiles that never set one).
   */
  locale: string | null;
  /** Self-describing scrypt hash: "$scrypt$ln=..,r=..,p=..$salt$hash". */
  passwordHash: string;
  /**
   * Raised by each password change. A session (and each of its refresh tokens) remembers the
   * epoch it was started in and can only be refreshed while the profile still has it, so one
   * conditional write of the profile ends every older session. 0 (also: absent) until the first change.
   */
  sessionEpoch: number;
  /** Email on/off per notification kind (off unless the user opted in). */
  notifications: NotificationPreferences;
  /**
   * The profile answer's version (its ETag): raised by every change of what GET /v1/me shows
   * (PATCH /v1/me), not by writes it does not show (password, session epoch, ended sessions,
   * hash upgrades). Absent on profiles stored before it existed: read as 1.
   */
  version: number;
  /**
   * TOTP two-factor sign-in is on (the profile's `mfaOn`, set and removed with the MFA item
   * in one transaction): on the item sign-in reads anyway, so an account without it pays no
   * extra read. Absent: off.
   */
  mfaOn?: boolean;
  /**
   * The places (device family + network, as keyed hashes) the account signed in from, with
   * when each was last seen (domain/sign-in-place.ts): on the item sign-in reads anyway, so a
   * sign-in from a known place costs nothing more. Absent on profiles made before sign-in
   * alerts: the first sign-in records its place without a mail.
   */
  knownPlaces?: KnownPlaces;
  /**
   * When support suspended the account (the operator operation users-suspend; removed by
   * users-unsuspend): sign-in, the code step, refresh and a password reset are refused while it
   * is set (docs/support.md). On the item sign-in reads anyway. Absent: not suspended.
   */
  suspendedAt?: string;
  /**
   * When the password was last changed or reset (both write it with the new hash). Absent:
   * neither since 2026-12-01, when it began to be stored. Shown to support only (users-show).
   */
  passwordChangedAt?: string;
  createdAt: string;
  updatedAt: string;
}

/**
 * Email and push on/off per kind of notification. Push goes to every registered device; a
 * data export's push has no switch (it answers the user's own request). `quietHours`: a daily
 * window (HH:MM to HH:MM, 24-hour, in the profile's time zone; from inclusive, to exclusive,
 * crossing midnight when `to` <= `from`) in which no push of any kind is sent, and with `summary`
 * one push sums up what it held when it ends; null: none.
 */
export interface NotificationPreferences {
  /** `reports`: the period reports of the budgets they own (on unless turned off: the spec's "the owner gets it by email"). */
  email: { budgetAlerts: boolean; reports: boolean };
  push: { budgetAlerts: boolean; comments: boolean; imports: boolean; bills: boolean; income: boolean };
  quietHours: QuietHours | null;
}

export interface QuietHours {
  from: string;
  to: string;
  /** One summary push of the held, still unread notifications when the window ends (opt-in). */
  summary: boolean;
}

export const DEFAULT_NOTIFICATIONS: NotificationPreferences = {
  email: { budgetAlerts: false, reports: true },
  // Income is opt-in (a paycheck coming in is news to nobody): off until turned on.
  push: { budgetAlerts: true, comments: true, imports: true, bills: true, income: false },
  quietHours: null,
};

/** The user as the API shows it. */
export type PublicUser = Omit<User, 'passwordHash' | 'sessionEpoch' | 'mfaOn' | 'knownPlaces' | 'suspendedAt' | 'passwordChangedAt'>;

export const DEFAULT_TIMEZONE = 'UTC';
export const DEFAULT_CURRENCY = 'USD';

/** Picks the shared fields one by one, so a new internal field can never leak by accident. */
export function toUserSummary(user: User): UserSummary {
  return {
    id: user.id,
    email: user.email,
    name: user.name,
    version: user.version,
    timezone: user.timezone,
    currency: user.currency,
    locale: user.locale,
    notifications: {
      email: { ...user.notifications.email },
      push: { ...user.notifications.push },
      quietHours: user.notifications.quietHours
        ? { from: user.notifications.quietHours.from, to: user.notifications.quietHours.to, summary: user.notifications.quietHours.summary }
        : null,
    },
  };
}

/** The summary other modules see plus the account's timestamps; never the hash. */
export function toPublicUser(user: User): PublicUser {
  return { ...toUserSummary(user), createdAt: user.createdAt, updatedAt: user.updatedAt };
}

/** Emails are unique regardless of case and surrounding spaces. */
/**
 * A locale as it is stored: its canonical spelling ("de-de" -> "de-DE"); null: none. The tag was
 * validated by the schema piece signup and PATCH /v1/me share (users.schemas.ts LocaleSchema).
 */
export function storedLocale(locale: string | null | undefined): string | null {
  return locale ? (canonicalLocale(locale) ?? locale) : null;
}

export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}
