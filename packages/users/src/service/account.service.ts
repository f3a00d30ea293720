import { type Clock, changesNothing, createEvent, epochSeconds, type Logger, type ModuleStore, normalizeTimeZone, outboxPut, problems } from '@budgeting/platform';
import type { DataExportsRepository } from '../repository/data-exports.repository';
import type { EmailChangesRepository } from '../repository/email-changes.repository';
import type { TransactItem } from '../repository/transact';
import { EXPORTS_CLEANUP_JOB, SESSIONS_CLEANUP_JOB, type SessionsCleanupUnit } from '../jobs/names';
import type { ExportsCleanupUnit } from '../jobs/exports-cleanup-job';
import { RECENT_SIGN_IN_SECONDS, signedInRecently } from '../domain/recent-sign-in';
import { userDeleted, userNameChanged } from '../events';
import { storedLocale, toPublicUser, type PublicUser, type User } from '../model';
import type { PersonalTokensRepository } from '../repository/personal-tokens.repository';
import type { ThrottleRepository } from '../repository/throttle.repository';
import type { ProfileChanges, UsersRepository } from '../repository/users.repository';
import { userProblems } from './problems';

export interface ProfilePatch {
  name?: string | null;
  timezone?: string;
  currency?: string;
  /** A BCP 47 tag (validated by the schema), stored canonical; null clears it. */
  locale?: string | null;
  notifications?: {
    email?: { budgetAlerts?: boolean; reports?: boolean };
    push?: { budgetAlerts?: boolean; comments?: boolean; imports?: boolean; bills?: boolean; income?: boolean };
    quietHours?: { from: string; to: string; summary?: boolean } | null;
  };
}

/**
 * The caller's own account (/v1/me). The caller is known from a verified access token, but
 * that token outlives a deleted account by up to its TTL, so every operation re-checks that
 * the account exists and answers 401 "account no longer exists" if not.
 */
export class AccountService {
  constructor(
    private readonly store: ModuleStore,
    private readonly users: UsersRepository,
    /** A job unit as an item of the deletion's transaction (platform queuedUnitPut under the module's prefix). */
    private readonly queueUnit: (job: string, unit: unknown, tick: Date) => TransactItem,
    private readonly throttle: ThrottleRepository,
    private readonly personalTokens: PersonalTokensRepository,
    private readonly clock: Clock,
    private readonly dataExports: DataExportsRepository,
    private readonly emailChanges: EmailChangesRepository,
    private readonly logger: Logger,
  ) {}

  async get(userId: string): Promise<PublicUser> {
    const user = await this.users.getById(userId);
    if (!user) throw userProblems.accountGone();
    return toPublicUser(user);
  }

  /**
   * `expected`: the versions If-Match accepts (undefined: no header or `*`). With one, the
   * profile is read and checked first (401 gone, 412 another version), then written only while
   * it is still at the version read, so a change committed in between is a 412 too and nothing
   * is written. Without one, a single conditional update as before. A rename also writes its
   * event, in the same transaction and under the same condition.
   */
  async update(userId: string, patch: ProfilePatch, expected?: ReadonlySet<number>): Promise<PublicUser> {
    const changes: ProfileChanges = {};
    if (patch.name !== undefined) changes.name = patch.name;
    if (patch.timezone !== undefined) changes.timezone = normalizeTimeZone(patch.timezone) ?? patch.timezone;
    if (patch.currency !== undefined) changes.currency = patch.currency;
    if (patch.locale !== undefined) changes.locale = storedLocale(patch.locale);
    const budgetAlerts = patch.notifications?.email?.budgetAlerts;
    if (budgetAlerts !== undefined) changes.emailBudgetAlerts = budgetAlerts;
    const reports = patch.notifications?.email?.reports;
    if (reports !== undefined) changes.emailReports = reports;
    const push = patch.notifications?.push;
    if (push?.budgetAlerts !== undefined) changes.pushBudgetAlerts = push.budgetAlerts;
    if (push?.comments !== undefined) changes.pushComments = push.comments;
    if (push?.imports !== undefined) changes.pushImports = push.imports;
    if (push?.bills !== undefined) changes.pushBills = push.bills;
    if (push?.income !== undefined) changes.pushIncome = push.income;
    // Replaced whole (from, to and summary together; no summary is false), null clears: one
    // attribute, like the switches'.
    const quietHours = patch.notifications?.quietHours;
    if (quietHours !== undefined) changes.quietHours = quietHours === null ? null : { from: quietHours.from, to: quietHours.to, summary: quietHours.summary === true };
    // Read first (one strongly consistent GetItem): If-Match is checked on it, and a PATCH that
    // changes nothing of the profile as shown (every field sent as it is, in the spelling it is
    // stored in: `europe/berlin` is `Europe/Berlin`) writes nothing, publishes no
    // user.name_changed and answers it with its ETag (docs/profile-and-preferences.md "A PATCH that changes nothing").
    const current = await this.users.getById(userId);
    if (!current) throw userProblems.accountGone();
    if (expected && !expected.has(current.version)) throw problems.preconditionFailed();
    if (changesNothing(toPublicUser(current), toPublicUser(withChanges(current, changes)))) return toPublicUser(current);
    const ifVersion = expected ? current.version : undefined;
    // A patch that sets the name publishes user.name_changed in the profile update's own
    // transaction (the budgets' member snapshots follow it), even the name read when another
    // field changes: a rename may have committed since that read, and the subscriber writes
    // nothing where the snapshot is already right. Any other patch stays a single conditional update.
    const alsoWrite = changes.name !== undefined ? [outboxPut(this.store, userNameChanged, await createEvent(userNameChanged, { userId }, this.clock))] : [];
    const user = await this.users.updateProfile(userId, changes, this.clock.now().toISOString(), ifVersion, alsoWrite);
    if (user === 'stale') {
      if (!(await this.users.getById(userId))) throw userProblems.accountGone();
      throw problems.preconditionFailed('The profile changed meanwhile; fetch it again.');
    }
    if (!user) throw userProblems.accountGone();
    return toPublicUser(user);
  }

  /**
   * Deletes the profile and the email reservation together with the `user.deleted` event
   * (so other modules clean up what they hold), then this module's personal access tokens and
   * counters. The sessions (families and refresh tokens: their number grows with the account's
   * sign-ins) go with the sessions cleanup job, whose unit is an item of the deletion's
   * transaction, in steps (jobs/sessions-cleanup-job.ts). If the process dies after the
   * transaction, the leftovers are inert: a refresh checks that the profile exists, and so does
   * every request with a personal access token (the account check); the sessions cleanup's unit
   * (in the transaction, so it runs anyway) deletes them last, with the export items and the
   * gate (SessionsRepository.deletionSlice): none has a TTL that would. The data exports'
   * items go too, and their objects with the exports cleanup job, whose unit is an item of the
   * deletion's transaction (so it exists exactly when the deletion committed; a unit that failed
   * every attempt leaves objects no item names, removed by the bucket's 7-day lifecycle rule).
   * A pending email change goes in the deletion's own transaction (and a request racing the
   * deletion cannot write one after it: its transaction carries the account's check, as a
   * pending two-factor enrolment's does; packages/users/docs/account-deletion.md lists every item).
   *
   * `authTime`: when the caller's session signed in (the access token's `auth_time`). Unless
   * that was within RECENT_SIGN_IN_SECONDS, 403 `reauthentication-required` before anything
   * is read or written (domain/recent-sign-in.ts: the route has no body to take a password).
   */
  async delete(userId: string, authTime: number | undefined): Promise<void> {
    if (!signedInRecently(authTime, epochSeconds(this.clock.now()))) throw userProblems.reauthenticationRequired(RECENT_SIGN_IN_SECONDS / 60);
    for (let attempt = 1; attempt <= MAX_DELETE_ATTEMPTS; attempt++) {
      const user = await this.users.getById(userId);
      if (!user) throw userProblems.accountGone();
      const event = await createEvent(userDeleted, { userId }, this.clock);
      // The exports cleanup's unit is written with the deletion (the table stream's relay queues
      // it): a process that dies right after the commit still removes the export objects.
      const cleanup = this.queueUnit(EXPORTS_CLEANUP_JOB, { userId, pass: 1 } satisfies ExportsCleanupUnit, this.clock.now());
      // So is the sessions' deletion: their number grows with the account's sign-ins, so a job
      // deletes them in steps; none works meanwhile (a refresh checks that the profile exists).
      const sessions = this.queueUnit(SESSIONS_CLEANUP_JOB, { kind: 'account-deleted', userId } satisfies SessionsCleanupUnit, this.clock.now());
      // And so are the address's sign-in counters: anyone may try it from as many client buckets
      // as they hold, each leaving a counter (until 2026-12-07 they were deleted here, after the
      // commit: a request whose time grew with another's attempts).
      const counters = this.queueUnit(SESSIONS_CLEANUP_JOB, { kind: 'sign-in-counters', userId, partitions: this.throttle.hashedPartitionsOf(user.email) } satisfies SessionsCleanupUnit, this.clock.now());
      // 'stale': deleted meanwhile (the next read says so), or an email change moved its
      // address since the read (the next read has the new one, whose reservation must go).
      if ((await this.users.delete(user, [outboxPut(this.store, userDeleted, event), this.emailChanges.discard(userId), cleanup, sessions, counters])) === 'stale') continue;
      await this.afterDeletion(userId, user.email);
      return;
    }
    throw problems.conflict('The account\'s email address kept changing while it was being deleted; retry.');
  }

  /**
   * What the deletion removes after its commit. The account is gone whatever happens here, so a
   * step that fails is logged, not answered: a 5xx told the client the account was not deleted,
   * and its retry got a 401. What such a step leaves is swept: the tokens and the export items by
   * the sessions cleanup's unit (written in the deletion's transaction; SessionsRepository.deletionSlice),
   * the sign-in counters and known clients written before their keys were hashed by their TTL
   * (minutes; 90 days). The hashed ones are the `sign-in-counters` unit's, never this request's.
   */
  private async afterDeletion(userId: string, email: string): Promise<void> {
    const steps: [string, () => Promise<void>][] = [
      ['personal access tokens', () => this.personalTokens.deleteAllForUser(userId)],
      ['sign-in counters written before their keys were hashed', () => this.throttle.removeLegacy(email)],
      ['data export items', () => this.dataExports.deleteAllForUser(userId)],
    ];
    for (const [what, step] of steps) {
      try {
        await step();
      } catch (err) {
        this.logger.warn("deleting some of a deleted account's items failed; the sessions cleanup's unit or their TTL removes them", { userId, items: what, error: err instanceof Error ? err.message : String(err) });
      }
    }
  }
}

/** Reads and transactions of a deletion before giving up, when email changes keep committing in between. */
const MAX_DELETE_ATTEMPTS = 3;

/**
 * Every field of ProfileChanges, each of which withChanges below applies: a field added to
 * ProfileChanges and not here fails to compile. Without it, a new field forgotten in withChanges
 * would make a PATCH of only that field read as "changes nothing" and be dropped silently.
 */
const _appliedByWithChanges = {
  name: true,
  timezone: true,
  currency: true,
  locale: true,
  emailBudgetAlerts: true,
  emailReports: true,
  pushBudgetAlerts: true,
  pushComments: true,
  pushImports: true,
  pushBills: true,
  pushIncome: true,
  quietHours: true,
} satisfies Record<keyof ProfileChanges, true>;

/** The profile as `changes` would leave it (what the answer would show), to tell a PATCH that changes nothing. */
function withChanges(user: User, changes: ProfileChanges): User {
  const { email, push, quietHours } = user.notifications;
  return {
    ...user,
    ...(changes.name !== undefined ? { name: changes.name } : {}),
    ...(changes.timezone !== undefined ? { timezone: changes.timezone } : {}),
    ...(changes.currency !== undefined ? { currency: changes.currency } : {}),
    ...(changes.locale !== undefined ? { locale: changes.locale } : {}),
    notifications: {
      email: { budgetAlerts: changes.emailBudgetAlerts ?? email.budgetAlerts, reports: changes.emailReports ?? email.reports },
      push: {
        budgetAlerts: changes.pushBudgetAlerts ?? push.budgetAlerts,
        comments: changes.pushComments ?? push.comments,
        imports: changes.pushImports ?? push.imports,
        bills: changes.pushBills ?? push.bills,
        income: changes.pushIncome ?? push.income,
      },
      quietHours: changes.quietHours !== undefined ? changes.quietHours : quietHours,
    },
  };
}
