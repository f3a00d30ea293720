import type { ModuleStore, PersonalTokenGrant } from '@budgeting/platform';
import type { UnsubscribeKind } from './domain/unsubscribe-token';

/**
 * What other modules may know about users: a small summary and the facade to look one up.
 * Everything else of the users module (passwords, sessions) stays inside it.
 */
export interface UserSummary {
  id: string;
  email: string;
  name: string | null;
  /**
   * The profile's version (GET /v1/me's ETag), raised by every change of what that shows, its
   * name and email among them: a copy of the name or email taken from this read (a membership's
   * snapshot) is newer than one taken from a read at a lower version.
   */
  version: number;
  /** The user's preferences, the defaults of the budgets they create. */
  timezone: string;
  currency: string;
  /**
   * The BCP 47 tag (canonical, e.g. "de-DE") the user's period reports and notifications (budget
   * alerts, bill reminders) are formatted in (platform localeFormat: amounts with the currency
   * sign and grouping, dates in words; platform localeMessages: their words in its language,
   * English, German, French or Spanish, else English); null: none set, the plain
   * formats (1234.56, 2027-06-30) and English words. Read with the rest, in the same one read.
   */
  locale: string | null;
  /**
   * Email and push on/off per notification kind (a data export's push has no switch), and the
   * daily push quiet hours (HH:MM 24-hour in `timezone`, from inclusive, to exclusive, crossing
   * midnight when to <= from; `summary`: one push sums up what they held when they end; null:
   * none), read with the switches in the same one read.
   */
  notifications: {
    email: { budgetAlerts: boolean; reports: boolean };
    push: { budgetAlerts: boolean; comments: boolean; imports: boolean; bills: boolean; income: boolean };
    quietHours: { from: string; to: string; summary: boolean } | null;
  };
}

/** A new credential for UsersFacade.credentialNotice. */
export type CredentialNotice =
  | { change: 'webhook-created'; host: string; removePath: `/v1/webhooks/${string}` }
  | { change: 'calendar-feed-created'; removePath: `/v1/budgets/${string}/calendar-feeds/${string}` };

export interface UsersFacade {
  /** Finds a user by email (case-insensitive), e.g. to add them as a budget member. */
  findByEmail(email: string): Promise<UserSummary | null>;
  getById(userId: string): Promise<UserSummary | null>;
  /**
   * The summary of an account that may act now: null when it is gone (deleted) or suspended by
   * support (docs/support.md "Suspension"). For a credential that lives outside the sessions
   * and tokens (a calendar feed's secret URL), which the suspension's new session epoch cannot
   * end: it is refused while this is null. The same one read as getById.
   */
  activeById(userId: string): Promise<UserSummary | null>;
  /**
   * Whether the account still exists and, given `sessionEpoch` (an access token's `sep`),
   * no password change or reset has ended the sessions of that epoch, and, given `sessionId`
   * (its `sid`), that session was not ended (signed out, logged out, its refresh token
   * reused): the access-token check. Asked inside a request's deferGuard, it costs no read of
   * its own: it rides the route's first key read, or the write's transaction as a ConditionCheck.
   */
  accountExists(userId: string, sessionEpoch?: number, sessionId?: string): Promise<boolean>;
  /**
   * Which of `sessionIds` (access tokens' `sid`: refresh-token families of the user) are over:
   * signed out, logged out, ended by a password change or reset, a suspension, support's
   * two-factor reset, or any other ending (user.sessions_ended); all when the account is gone.
   * One that merely expired unused is not counted. For a subscriber of user.sessions_ended that
   * holds things a session made (the notifications module's push devices): asked when the event
   * comes, so a late or redelivered one never ends what a newer session holds. One strongly
   * consistent BatchGetItem.
   */
  endedSessions(userId: string, sessionIds: string[]): Promise<string[]>;
  /**
   * The account's security notice of a credential another module just made that reads the
   * household's data (docs/security-notices.md): a new webhook (`host`: where it sends) or a new
   * calendar feed; `removePath` the route that deletes it, which the mail names. An item (a unit
   * of the users module's mail job) for the creating module's OWN transaction, so the mail exists
   * exactly when the credential committed: a refused create writes none, and a keyed retry that
   * replays the stored answer writes nothing. A suspended or deleted account is mailed nothing
   * (the job reads the account when it works the unit).
   */
  credentialNotice(userId: string, notice: CredentialNotice, at: Date): Parameters<ModuleStore['transactWrite']>[0][number];
  /**
   * A ConditionCheck that holds exactly when the account still exists (its profile item: DELETE
   * /v1/me deletes it in its own transaction), for another module's transaction that creates
   * something of the account's its user.deleted cleanup must find (a budget it owns, a
   * membership). getById or findByEmail before the write is not enough: a deletion, and the
   * cleanup of user.deleted, can run between that read and the write, which would then leave a
   * budget or membership of a deleted account that nothing removes. When the transaction fails
   * on it, the account is gone.
   *
   * Given `version` (a UserSummary.version read before), it holds only while the profile is
   * still at that version too, for a write that stores a copy of the account's details taken
   * from that read (a membership's name and email snapshot): when it fails, the account is gone
   * OR changed since the read, and the caller reads the summary again to tell which (and to take
   * the current details). Its condition costs nothing more than the plain check.
   */
  accountCheck(userId: string, expect?: { version: number }): ReturnType<ModuleStore['conditionCheck']>;
  /**
   * Resolves a personal access token (`bgt_...`) for the platform's requireAuth (AccessTokenOptions.personalTokens):
   * its owner, id, scope and the session epoch it was made in; 'invalid' for a malformed, unknown
   * or revoked one, 'expired' past its expiry. One strongly consistent GetItem of the token's item
   * (plus, at most once an hour per token, the `lastUsedAt` write).
   */
  personalToken(token: string): Promise<PersonalTokenGrant | 'invalid' | 'expired'>;
  /**
   * The one-click unsubscribe URL (RFC 8058) of an optional mail to the user: POSTed to, it
   * turns that kind of mail off (`reports`: notifications.email.reports, `budget-alerts`:
   * notifications.email.budgetAlerts; docs/profile-and-preferences.md "One-click unsubscribe").
   * Undefined when PUBLIC_API_URL is not set. Pure: no read.
   */
  unsubscribeUrl(userId: string, kind: UnsubscribeKind): string | undefined;
}

/**
 * What the data export (GDPR Art. 20, service/data-export.service.ts) reads of the other
 * modules: a port the app wires from their export facades (users imports none of them, so the
 * package graph stays acyclic). Every read is one bounded page; cursors are opaque and travel
 * only in the export job's units.
 */
export type ExportBudgetRole = 'owner' | 'editor' | 'viewer';
export interface ExportPage {
  records: unknown[];
  /** Where the next page starts; absent after the last. */
  cursor?: string;
}
/** The account sections other modules hold. */
export type AccountExportSource = 'devices' | 'notifications' | 'webhooks';
/** A budget's sections beyond the budget itself (owners and editors only; `comments` and `calendarFeeds`, the user's own, every member). */
export type BudgetExportSource = 'recurring' | 'rules' | 'reports' | 'settlements' | 'expenses' | 'comments' | 'importProfiles' | 'income' | 'recurringIncome' | 'calendarFeeds' | 'attachments' | 'deletedExpenses' | 'deletedIncome';

export interface ExportSourcesPort {
  /** One page of the budgets the user is a member of, with their role. */
  memberships(userId: string, cursor: string | undefined): Promise<{ items: { budgetId: string; role: ExportBudgetRole }[]; cursor?: string }>;
  accountPage(source: AccountExportSource, userId: string, cursor: string | undefined): Promise<ExportPage>;
  /** The budget as the user sees it and their membership; null when gone or no longer theirs. */
  budget(budgetId: string, userId: string): Promise<{ budget: unknown; membership: { role: ExportBudgetRole } & Record<string, unknown> } | null>;
  /** `userId`: the exporting user (the `comments` section is theirs only). */
  budgetPage(source: BudgetExportSource, budgetId: string, cursor: string | undefined, userId: string): Promise<ExportPage>;
}
