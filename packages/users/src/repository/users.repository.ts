import { randomUUID } from 'node:crypto';
import { conditionFailedAt, isConditionFailed, refusingItem, type ModuleStore } from '@budgeting/platform';
import { isRevoked, REVOKED_SESSIONS_PER_WINDOW, type RevocationPlan, type RevokedSessions } from '../domain/revoked-sessions';
import type { KnownPlaces, PlacesWrite } from '../domain/sign-in-place';
import type { User } from '../model';
import type { UsersKeys } from './keys';
import { knownPlacesClauses, namesIfAny, updateExpression } from './known-places-update';
import type { SignInWrites } from './sessions.repository';
import { recordEndedSession, REVOKED_SESSION_ATTRIBUTES, revokedSessionsOf, sessionNotEnded } from './revoked-sessions';
import { sessionEpochIs } from './session-epoch';
import type { TransactItem } from './transact';

interface UserItem extends Omit<User, 'notifications' | 'sessionEpoch' | 'version' | 'locale'> {
  pk: string;
  sk: string;
  kind: 'user';
  emailBudgetAlerts?: boolean;
  /** Absent: on (the default, and profiles made before the switch existed); stored only when off. */
  emailReports?: boolean;
  /** Absent: on (the default, and profiles made before push preferences existed). */
  pushBudgetAlerts?: boolean;
  pushComments?: boolean;
  pushImports?: boolean;
  pushBills?: boolean;
  /** Opt-in (the one switch that defaults off): absent or false, off; true once turned on. */
  pushIncome?: boolean;
  /**
   * The push quiet hours, one attribute (from and to change together); absent (profiles made
   * before quiet hours existed, or never set) or null (cleared): none. `summary` stored only
   * when true (absent: false, as on maps stored before it existed).
   */
  quietHours?: { from: string; to: string; summary?: true } | null;
  /** Absent on profiles made before password changes existed (read as 0). */
  sessionEpoch?: number;
  passwordChangedAt?: string;
  /** Absent on profiles made before the profile had an ETag (read as 1). */
  version?: number;
  /** The report locale; absent (never set, or stored before locales existed) or null (cleared): none. */
  locale?: string | null;
}

interface EmailItem {
  pk: string;
  sk: string;
  kind: 'email';
  userId: string;
}

export type ProfileChanges = Partial<Pick<User, 'name' | 'timezone' | 'currency' | 'locale'>> & {
  /** Stored flat, one attribute per kind, so one kind changes without reading the others. */
  emailBudgetAlerts?: boolean;
  emailReports?: boolean;
  pushBudgetAlerts?: boolean;
  pushComments?: boolean;
  pushImports?: boolean;
  pushBills?: boolean;
  pushIncome?: boolean;
  /** null clears them (stored as null, read as none). */
  quietHours?: { from: string; to: string; summary: boolean } | null;
};

/** Profiles and the email uniqueness items that guard them. */
export class UsersRepository {
  constructor(
    private readonly store: ModuleStore,
    private readonly keys: UsersKeys,
  ) {}

  async getById(userId: string): Promise<User | null> {
    const item = await this.store.get<UserItem & Record<string, unknown>>({
      Key: this.keys.profile(userId),
      ConsistentRead: true,
    });
    return item ? fromItem(item) : null;
  }

  /**
   * The check of UsersFacade.accountCheck: the profile item exists (account deletion deletes it)
   * and, given `version`, is still at it (a stored profile without the attribute is at 1).
   */
  accountCheck(userId: string, version?: number) {
    const Key = this.keys.profile(userId);
    if (version === undefined) return this.store.conditionCheck({ Key, ConditionExpression: 'attribute_exists(pk)' });
    return this.store.conditionCheck({
      Key,
      ConditionExpression: version === 1 ? 'attribute_exists(pk) AND (attribute_not_exists(#version) OR #version = :version)' : 'attribute_exists(pk) AND #version = :version',
      ExpressionAttributeNames: { '#version': 'version' },
      ExpressionAttributeValues: { ':version': version },
    });
  }

  /**
   * Whether the profile exists and, given `sessionEpoch`, is still at that session epoch (see
   * User.sessionEpoch), and, given `sessionId`, that session was not ended (see
   * domain/revoked-sessions.ts): the access-token check. See ModuleStore.exists: it may ride the
   * request's write, the condition in its ConditionCheck, or its read, `holds` on the item.
   */
  exists(userId: string, sessionEpoch?: number, sessionId?: string): Promise<boolean> {
    if (sessionEpoch === undefined && sessionId === undefined) return this.store.exists(this.keys.profile(userId));
    const terms = [...(sessionEpoch !== undefined ? [sessionEpochIs(sessionEpoch)] : []), ...(sessionId !== undefined ? [sessionNotEnded(sessionId)] : [])];
    return this.store.exists(this.keys.profile(userId), {
      // An AND chain of terms none of which is a bare AND chain in parentheses (DynamoDB refuses redundant ones).
      expression: terms.map((t) => t.condition).join(' AND '),
      values: Object.assign({}, ...terms.map((t) => t.values)),
      holds: (item) =>
        (sessionEpoch === undefined || (typeof item.sessionEpoch === 'number' ? item.sessionEpoch : 0) === sessionEpoch) &&
        (sessionId === undefined || !isRevoked(revokedSessionsOf(item), sessionId)),
    });
  }

  /**
   * Which of `sessionIds` (refresh-token families of the user) were ended: signed out, logged
   * out, reused, past their end when refreshed (the family marked `revokedAt`, or its id among
   * the profile's ended sessions), or of a session epoch before the profile's (a password change
   * or reset, a suspension, support's two-factor reset, a full window of ended sessions); all of
   * them when the account is gone. A family not found (never one of the user's, or removed by its
   * TTL after it expired) counts as ended only when the profile records it: one that merely ran
   * out was not ended by anyone. One strongly consistent BatchGetItem (the profile and each
   * family, by 100 keys).
   */
  async endedSessions(userId: string, sessionIds: string[]): Promise<string[]> {
    const ids = [...new Set(sessionIds)];
    if (ids.length === 0) return [];
    const profileKey = this.keys.profile(userId);
    const items = await this.store.batchGet([profileKey, ...ids.map((id) => this.keys.session(userId, id))], true);
    const byKey = new Map(items.map((i) => [`${String(i.pk)}\u0000${String(i.sk)}`, i]));
    const found = (key: { pk: string; sk: string }) => byKey.get(`${key.pk}\u0000${key.sk}`);
    const profile = found(profileKey);
    if (!profile) return ids;
    const epoch = typeof profile.sessionEpoch === 'number' ? profile.sessionEpoch : 0;
    const revoked = revokedSessionsOf(profile);
    return ids.filter((id) => {
      const family = found(this.keys.session(userId, id));
      if (!family) return isRevoked(revoked, id);
      return family.revokedAt !== undefined || (typeof family.epoch === 'number' ? family.epoch : 0) < epoch || isRevoked(revoked, id);
    });
  }

  /**
   * The profile's session epoch and ended sessions (and its email and two-factor flag, for a
   * step-up: service/mfa-step-up.ts), null when the user is gone. A plain
   * consistent read of the whole item: inside an authenticated request it travels in the
   * account check's BatchGetItem, so it costs no request of its own.
   */
  async sessionState(userId: string): Promise<ProfileSessionState | null> {
    const item = await this.store.get({ Key: this.keys.profile(userId), ConsistentRead: true });
    return item ? sessionStateOf(item) : null;
  }

  /** The profile write that records session `sessionId` ended, per `plan` (see revoked-sessions.ts recordEndedSession). */
  recordEndedSession(userId: string, plan: Exclude<RevocationPlan, { kind: 'full' }>, sessionId: string): TransactItem {
    return recordEndedSession(this.keys.profile(userId), plan, sessionId, REVOKED_SESSIONS_PER_WINDOW);
  }

  /**
   * The profile write that ends EVERY session: the next session epoch, the ended-session slots
   * cleared (the epoch refuses all their tokens now); only while the epoch is still `epoch`.
   * With `mfaOff` (support's two-factor reset) also the `mfaOn` flag removed, only while it
   * is set; with `suspendedAt` (support's suspension) the account marked suspended, only while
   * it is not: one write of the profile, as a transaction allows one per item. With
   * `suspended` (a decision taken on whether the account was suspended: the two-factor reset's
   * notice) only while the mark is as read: lifting a suspension leaves the epoch alone, so the
   * epoch alone would not tell a lift meanwhile.
   */
  endEverySession(userId: string, epoch: number, options: { mfaOff?: boolean; suspendedAt?: string; suspended?: boolean } = {}): TransactItem {
    const holds = sessionEpochIs(epoch);
    const sets = ['sessionEpoch = :nextEpoch', ...(options.suspendedAt ? ['suspendedAt = :suspendedAt'] : [])];
    const suspension = options.suspendedAt || options.suspended === false ? ['attribute_not_exists(suspendedAt)'] : options.suspended ? ['attribute_exists(suspendedAt)'] : [];
    const conditions = ['attribute_exists(pk)', holds.condition, ...(options.mfaOff ? ['mfaOn = :mfaOn'] : []), ...suspension];
    return {
      Update: {
        Key: this.keys.profile(userId),
        UpdateExpression: `SET ${sets.join(', ')} REMOVE ${REVOKED_SESSION_ATTRIBUTES}${options.mfaOff ? ', mfaOn' : ''}`,
        ConditionExpression: conditions.join(' AND '),
        ExpressionAttributeValues: {
          ':nextEpoch': epoch + 1,
          ...holds.values,
          ...(options.mfaOff ? { ':mfaOn': true } : {}),
          ...(options.suspendedAt ? { ':suspendedAt': options.suspendedAt } : {}),
        },
      },
    };
  }

  /**
   * Support's suspension (service/account-suspension.ts): endEverySession with the mark, and
   * `audit` (its record and event), in ONE transaction. 'profile-moved': the profile's epoch
   * moved since it was read, it was suspended meanwhile, or it is gone; nothing written (the
   * caller reads again to tell them apart).
   */
  async suspend(userId: string, epoch: number, at: string, audit: TransactItem): Promise<'suspended' | 'profile-moved'> {
    try {
      await this.store.transactWrite([this.endEverySession(userId, epoch, { suspendedAt: at }), audit]);
      return 'suspended';
    } catch (err) {
      if (conditionFailedAt(err, 0)) return 'profile-moved';
      throw err;
    }
  }

  /**
   * Lifting a suspension: the mark removed, only while it is there, with `audit` in ONE
   * transaction. The session epoch stays: no session ended by the suspension comes back.
   */
  async unsuspend(userId: string, audit: TransactItem): Promise<'unsuspended' | 'not-suspended'> {
    try {
      await this.store.transactWrite([{ Update: { Key: this.keys.profile(userId), UpdateExpression: 'REMOVE suspendedAt', ConditionExpression: 'attribute_exists(suspendedAt)' } }, audit]);
      return 'unsuspended';
    } catch (err) {
      if (conditionFailedAt(err, 0)) return 'not-suspended';
      throw err;
    }
  }

  async findByEmail(normalizedEmail: string): Promise<User | null> {
    const owner = await this.store.get<EmailItem & Record<string, unknown>>({
      Key: this.keys.email(normalizedEmail),
      ConsistentRead: true,
    });
    return owner ? this.getById(owner.userId) : null;
  }

  /**
   * Creates the user, its email reservation and whatever else must commit with them (the
   * outbox event, the first session) in ONE transaction: two signups racing for the same
   * email cannot both win, and no half-created account can exist.
   */
  async register(user: User, alsoWrite: TransactItem[]): Promise<'created' | 'email-taken'> {
    const { notifications, locale, ...profile } = user;
    const item: UserItem = {
      ...this.keys.profile(user.id),
      kind: 'user',
      ...profile,
      // A locale is stored only when set: absent reads as none (see fromItem).
      ...(locale ? { locale } : {}),
      emailBudgetAlerts: notifications.email.budgetAlerts,
      // The report mail defaults on: stored only when off (absent reads as on).
      ...(notifications.email.reports ? {} : { emailReports: false }),
      // Push switches are stored only when off: absent reads as on (see fromItem).
      ...(notifications.push.budgetAlerts ? {} : { pushBudgetAlerts: false }),
      ...(notifications.push.comments ? {} : { pushComments: false }),
      ...(notifications.push.imports ? {} : { pushImports: false }),
      ...(notifications.push.bills ? {} : { pushBills: false }),
      // The income switch defaults off: stored only when on (absent reads as off).
      ...(notifications.push.income ? { pushIncome: true } : {}),
      // Quiet hours are stored only when set: absent reads as none (see fromItem).
      ...(notifications.quietHours ? { quietHours: storedQuietHours(notifications.quietHours) } : {}),
    };
    const reservation: EmailItem = { ...this.keys.email(user.email), kind: 'email', userId: user.id };
    try {
      await this.store.transactWrite([
        { Put: { Item: { ...item }, ConditionExpression: 'attribute_not_exists(pk)' } },
        { Put: { Item: { ...reservation }, ConditionExpression: 'attribute_not_exists(pk)' } },
        ...alsoWrite,
      ]);
      return 'created';
    } catch (err) {
      if (conditionFailedAt(err, 1)) return 'email-taken';
      throw err;
    }
  }

  /**
   * Applies the changes to an existing profile and raises its version (absent counts as 1);
   * null when the user no longer exists. Given `ifVersion` (the version the caller read and
   * checked against If-Match), only while the profile is still at it: 'stale' otherwise (or
   * when it is gone meanwhile: the caller reads again to tell them apart), nothing written.
   */
  /**
   * `alsoWrite` (the user.name_changed event of a rename) commits in one transaction with the
   * update, under the same condition; without it, a single UpdateItem as before. A transaction
   * returns no attributes, so the profile is then read back (strongly consistent).
   *
   * The single UpdateItem marks the profile with a token of this write's (`writeToken`), and a
   * refusal brings the profile back (ALL_OLD): one holding this token is this very write (it
   * committed, its answer was lost, and the SDK's second sending met the version it wrote), and
   * the profile it returns is the answer. Until 2026-12-07 that was 'stale': a PATCH with
   * If-Match that was applied answered 412. (A transaction's retry by the SDK is its own: the
   * same ClientRequestToken.)
   */
  async updateProfile(userId: string, changes: ProfileChanges, updatedAt: string, ifVersion?: number, alsoWrite: TransactItem[] = []): Promise<User | null | 'stale'> {
    const names: Record<string, string> = { '#updatedAt': 'updatedAt', '#version': 'version' };
    const writeToken = randomUUID();
    const values: Record<string, unknown> = { ':updatedAt': updatedAt, ':one': 1, ':writeToken': writeToken };
    const sets = ['#updatedAt = :updatedAt', '#version = if_not_exists(#version, :one) + :one', 'writeToken = :writeToken'];
    for (const [field, value] of Object.entries(changes)) {
      if (value === undefined) continue;
      names[`#${field}`] = field;
      values[`:${field}`] = field === 'quietHours' && changes.quietHours ? storedQuietHours(changes.quietHours) : value;
      sets.push(`#${field} = :${field}`);
    }
    let condition = 'attribute_exists(pk)';
    if (ifVersion !== undefined) {
      values[':expected'] = ifVersion;
      // A stored profile without the attribute is at version 1.
      condition += ifVersion === 1 ? ' AND (attribute_not_exists(#version) OR #version = :expected)' : ' AND #version = :expected';
    }
    const update = {
      Key: this.keys.profile(userId),
      UpdateExpression: `SET ${sets.join(', ')}`,
      ConditionExpression: condition,
      ExpressionAttributeNames: names,
      ExpressionAttributeValues: values,
    };
    try {
      if (alsoWrite.length === 0) {
        const out = await this.store.update({ ...update, ReturnValues: 'ALL_NEW', ReturnValuesOnConditionCheckFailure: 'ALL_OLD' });
        return fromItem(out.Attributes as UserItem);
      }
      await this.store.transactWrite([{ Update: update }, ...alsoWrite]);
    } catch (err) {
      const own = refusingItem(err);
      if (own?.writeToken === writeToken) return fromItem(own as UserItem);
      if (alsoWrite.length === 0 ? isConditionFailed(err) : conditionFailedAt(err, 0)) return ifVersion === undefined ? null : 'stale';
      throw err;
    }
    return this.getById(userId);
  }

  /**
   * Replaces the stored password hash by one of the same password (parameter upgrade), only
   * while the stored hash is still `previous`: a vanished user or a password changed meanwhile
   * is left alone. `updatedAt` is left alone: nothing the user can see has changed.
   */
  async setPasswordHash(userId: string, previous: string, passwordHash: string): Promise<void> {
    try {
      await this.store.update({
        Key: this.keys.profile(userId),
        UpdateExpression: 'SET passwordHash = :hash',
        ConditionExpression: 'passwordHash = :previous',
        ExpressionAttributeValues: { ':hash': passwordHash, ':previous': previous },
      });
    } catch (err) {
      if (!isConditionFailed(err)) throw err;
    }
  }

  /**
   * A password change: the new hash and the next session epoch (which ends every session
   * started before it, see SessionsRepository) in ONE conditional write, committed with
   * `alsoWrite` (the session of the device that made the change). The condition is the hash
   * and epoch the caller verified against, so of two concurrent changes only the first
   * commits; the other gets 'stale' (as does a deleted account: the caller tells them apart).
   * `signIn`: the new session's place (docs/sign-in-alerts.md "Sign-in alerts"), its known places set by the
   * same profile Update and its new-place event last in the same transaction.
   */
  async changePassword(
    user: Pick<User, 'id' | 'passwordHash' | 'sessionEpoch'>,
    passwordHash: string,
    changedAt: string,
    alsoWrite: TransactItem[],
    signIn: SignInWrites = {},
  ): Promise<'changed' | 'stale'> {
    try {
      await this.store.transactWrite([
        this.newPassword(user, passwordHash, changedAt, { condition: 'passwordHash = :previous', values: { ':previous': user.passwordHash } }, signIn.knownPlaces),
        ...alsoWrite,
        ...(signIn.writes ?? []),
      ]);
      return 'changed';
    } catch (err) {
      if (conditionFailedAt(err, 0)) return 'stale';
      throw err;
    }
  }

  /**
   * A password reset: the same profile write as a change (new hash, epoch + 1: every session
   * ends), conditioned on the epoch the reset was made in rather than on the old hash (the
   * user does not know it), committed with `alsoWrite` (the reset marked used, the caller's
   * new session). 'stale' when the profile is gone or its epoch moved (a password change or
   * another reset came first), or when the reset was spent meanwhile (`alsoWrite[0]`): of
   * two confirmations of one token exactly one commits. `signIn`: as changePassword's.
   */
  async resetPassword(
    user: Pick<User, 'id' | 'sessionEpoch'>,
    passwordHash: string,
    changedAt: string,
    alsoWrite: TransactItem[],
    signIn: SignInWrites = {},
  ): Promise<'changed' | 'stale'> {
    try {
      await this.store.transactWrite([
        this.newPassword(user, passwordHash, changedAt, { condition: 'attribute_exists(pk)', values: {} }, signIn.knownPlaces),
        ...alsoWrite,
        ...(signIn.writes ?? []),
      ]);
      return 'changed';
    } catch (err) {
      if (conditionFailedAt(err, 0) || conditionFailedAt(err, 1)) return 'stale';
      throw err;
    }
  }

  /**
   * The profile write of a new password: hash, next session epoch, when; only while the epoch
   * is `user.sessionEpoch` and `also` holds. The ended-session slots are cleared: every session
   * they name is of an earlier epoch, which now refuses its tokens anyway. `knownPlaces`: the
   * new session's place recorded in the same Update, by map path (a sign-in's, docs/sign-in-alerts.md "Sign-in alerts").
   */
  private newPassword(
    user: Pick<User, 'id' | 'sessionEpoch'>,
    passwordHash: string,
    changedAt: string,
    also: { condition: string; values: Record<string, unknown> },
    knownPlaces?: PlacesWrite,
  ): TransactItem {
    const epoch = sessionEpochIs(user.sessionEpoch);
    const places = knownPlaces ? knownPlacesClauses(knownPlaces) : { set: [], remove: [], names: {}, values: {} };
    return {
      Update: {
        Key: this.keys.profile(user.id),
        UpdateExpression: updateExpression(['passwordHash = :hash', 'sessionEpoch = :nextEpoch', 'passwordChangedAt = :at', ...places.set], [REVOKED_SESSION_ATTRIBUTES, ...places.remove]),
        ConditionExpression: `${also.condition} AND ${epoch.condition}`,
        ...namesIfAny(places.names),
        ExpressionAttributeValues: { ':hash': passwordHash, ':nextEpoch': user.sessionEpoch + 1, ':at': changedAt, ...also.values, ...epoch.values, ...places.values },
      },
    };
  }

  /**
   * An email change (the confirmation of POST /v1/me/email) in ONE transaction: the new
   * address's reservation put only if absent (as signup's), the old one deleted only while it
   * is still this user's, the profile's email set and its version raised (GET /v1/me's ETag
   * moves) only while it still has the email that was read, with `alsoWrite` (the pending
   * change spent, the event). 'email-taken' when another account holds the new address (two
   * users confirming one address: exactly one wins); 'stale' when anything else moved meanwhile
   * (the account deleted, another change of this one committed, the pending change replaced
   * or already spent): nothing is written either way.
   */
  async changeEmail(user: Pick<User, 'id' | 'email'>, newEmail: string, changedAt: string, alsoWrite: TransactItem[]): Promise<'changed' | 'email-taken' | 'stale'> {
    const reservation: EmailItem = { ...this.keys.email(newEmail), kind: 'email', userId: user.id };
    try {
      await this.store.transactWrite([
        { Put: { Item: { ...reservation }, ConditionExpression: 'attribute_not_exists(pk)' } },
        {
          Delete: {
            Key: this.keys.email(user.email),
            ConditionExpression: 'attribute_not_exists(pk) OR userId = :userId',
            ExpressionAttributeValues: { ':userId': user.id },
          },
        },
        {
          Update: {
            Key: this.keys.profile(user.id),
            UpdateExpression: 'SET #email = :new, #updatedAt = :at, #version = if_not_exists(#version, :one) + :one',
            ConditionExpression: 'attribute_exists(pk) AND #email = :old',
            ExpressionAttributeNames: { '#email': 'email', '#updatedAt': 'updatedAt', '#version': 'version' },
            ExpressionAttributeValues: { ':new': newEmail, ':old': user.email, ':at': changedAt, ':one': 1 },
          },
        },
        ...alsoWrite,
      ]);
      return 'changed';
    } catch (err) {
      if (conditionFailedAt(err, 0)) return 'email-taken';
      // Items 1.. are the old reservation, the profile and `alsoWrite`.
      if (Array.from({ length: 2 + alsoWrite.length }, (_, i) => i + 1).some((i) => conditionFailedAt(err, i))) return 'stale';
      throw err;
    }
  }

  /**
   * Removes the profile and the email reservation together with whatever must commit with
   * them (the user.deleted event). 'stale' when the profile is gone (deleted already) or no
   * longer has the email read (an email change committed since): the reservation deleted here
   * is the email read, so deleting the profile under another one left that address reserved by
   * a deleted account for ever (no signup could take it). The caller reads it again.
   */
  async delete(user: User, alsoWrite: TransactItem[]): Promise<'deleted' | 'stale'> {
    try {
      await this.store.transactWrite([
        { Delete: { Key: this.keys.profile(user.id), ConditionExpression: 'attribute_exists(pk) AND email = :email', ExpressionAttributeValues: { ':email': user.email } } },
        {
          // Never release a reservation that is not this user's.
          Delete: {
            Key: this.keys.email(user.email),
            ConditionExpression: 'attribute_not_exists(pk) OR userId = :userId',
            ExpressionAttributeValues: { ':userId': user.id },
          },
        },
        // The TOTP enrolment and recovery codes go with the profile (absent: a no-op).
        { Delete: { Key: this.keys.mfa(user.id) } },
        ...alsoWrite,
      ]);
      return 'deleted';
    } catch (err) {
      if (conditionFailedAt(err, 0)) return 'stale';
      throw err;
    }
  }
}

function fromItem(item: UserItem): User {
  return {
    id: item.id,
    email: item.email,
    name: item.name ?? null,
    timezone: item.timezone,
    currency: item.currency,
    // None: absent (never set, or stored before locales existed) or null (cleared).
    locale: typeof item.locale === 'string' ? item.locale : null,
    passwordHash: item.passwordHash,
    sessionEpoch: typeof item.sessionEpoch === 'number' ? item.sessionEpoch : 0,
    // Push defaults on: a profile without the attribute (never patched, or stored before push
    // preferences existed) is pushed.
    // Quiet hours default to none: absent (never set, or stored before they existed) or null.
    notifications: {
      email: { budgetAlerts: item.emailBudgetAlerts === true, reports: item.emailReports !== false },
      push: { budgetAlerts: item.pushBudgetAlerts !== false, comments: item.pushComments !== false, imports: item.pushImports !== false, bills: item.pushBills !== false, income: item.pushIncome === true },
      quietHours: quietHoursOf(item.quietHours),
    },
    version: typeof item.version === 'number' ? item.version : 1,
    ...(item.mfaOn === true ? { mfaOn: true } : {}),
    ...knownPlacesOf(item.knownPlaces),
    ...(typeof item.suspendedAt === 'string' ? { suspendedAt: item.suspendedAt } : {}),
    ...(typeof item.passwordChangedAt === 'string' ? { passwordChangedAt: item.passwordChangedAt } : {}),
    createdAt: item.createdAt,
    updatedAt: item.updatedAt,
  };
}

/** A stored quiet-hours map, or null when there is none (or it is not one); no `summary`: false. */
function quietHoursOf(stored: unknown): { from: string; to: string; summary: boolean } | null {
  if (!stored || typeof stored !== 'object') return null;
  const { from, to, summary } = stored as Record<string, unknown>;
  return typeof from === 'string' && typeof to === 'string' ? { from, to, summary: summary === true } : null;
}

/** The map as stored: `summary` only when on, so a window without it is stored as before. */
function storedQuietHours(window: { from: string; to: string; summary: boolean }): { from: string; to: string; summary?: true } {
  return { from: window.from, to: window.to, ...(window.summary ? { summary: true as const } : {}) };
}

/**
 * The stored known sign-in places (domain/sign-in-place.ts), as the field to spread: none when
 * the attribute is absent or not a map (profiles made before sign-in alerts). Here, not in the
 * domain file, so the facade's profile reads do not load the place hashing (a cold start's path).
 */
function knownPlacesOf(stored: unknown): { knownPlaces?: KnownPlaces } {
  if (!stored || typeof stored !== 'object') return {};
  const knownPlaces: KnownPlaces = {};
  for (const [hash, seen] of Object.entries(stored as Record<string, unknown>)) if (typeof seen === 'number') knownPlaces[hash] = seen;
  return { knownPlaces };
}

/** What UsersRepository.sessionState answers. */
export interface ProfileSessionState {
  epoch: number;
  revoked: RevokedSessions;
  email: string;
  mfaOn: boolean;
}

/** The session state a profile item holds (also for a profile read together with other items). */
export function sessionStateOf(item: Record<string, unknown>): ProfileSessionState {
  return { epoch: typeof item.sessionEpoch === 'number' ? item.sessionEpoch : 0, revoked: revokedSessionsOf(item), email: item.email as string, mfaOn: item.mfaOn === true };
}
