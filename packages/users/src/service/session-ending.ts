import { epochSeconds, type Clock, type Logger, type TransactItem } from '@budgeting/platform';
import { SESSIONS_CLEANUP_JOB, type SessionsCleanupUnit } from '../jobs/names';
import { accessTokensOver, planRevocation, REVOKED_SESSIONS_CLOCK_SLACK_SECONDS, REVOKED_SESSIONS_PER_WINDOW, type RevokedSessions } from '../domain/revoked-sessions';
import type { RevokeReason, SessionRecord, SessionsRepository } from '../repository/sessions.repository';
import type { UsersRepository } from '../repository/users.repository';
import type { SessionsEndedEvent } from './sessions-ended-event';

/** Plans made before giving up (each failed one was refused by a concurrent revocation of the same window). */
const MAX_ATTEMPTS = 8;

/**
 * The write's bound for `activeOnly` (sign out by id): a family whose expiry (at most its absolute
 * end) passed less than the clock slack ago still passes, since an instance whose clock lags may
 * still accept its last access token (MySessionsService.end decides from the read which such
 * family is still signed out; after the slack, none is).
 */
function expiredWithinSlack(now: Date): number {
  return epochSeconds(now) - REVOKED_SESSIONS_CLOCK_SLACK_SECONDS;
}

/** What the caller already read of the profile (GET-free inside an authenticated request, see UsersRepository.sessionState). */
export interface SeenSessionState {
  epoch: number;
  revoked: RevokedSessions;
}

/**
 * The caller knows no access token of the session can still verify (past its absolute end,
 * which caps every access token's `exp`; or its current refresh token, `currentHash`, was issued
 * longer ago than an access token lives): see SessionEnding.end. `markToken`: the token to mark
 * as its session's end seen (SessionsRepository.end).
 */
export interface AccessTokensOver {
  currentHash?: string;
  markToken?: string;
}

/**
 * Ends one session AT ONCE: its refresh tokens (the family item) and its access tokens (its
 * id recorded on the profile, which the account check of every protected request reads; see
 * domain/revoked-sessions.ts), in one transaction.
 *
 * Requests: one transaction when the plan is right. The plan comes from `seen` when the caller
 * read the profile anyway (sign out a device: that read rides the account check's), else it
 * is the guess that the window's slot is stale (logout, reuse: no profile read, the usual case
 * of the first session ended in a window); a wrong plan is refused by the write's condition,
 * and the profile is read and the plan made again: one read and one transaction more, only
 * when two sessions end in one window. When the window is full, every session is ended instead
 * (the session epoch moves, as on a password change).
 */
export class SessionEnding {
  constructor(
    private readonly users: UsersRepository,
    private readonly sessions: SessionsRepository,
    private readonly clock: Clock,
    private readonly accessTtlSeconds: number,
    private readonly logger: Logger,
    /** A job unit as an item of the ending's transaction (the sessions cleanup when every session ends). */
    private readonly queueUnit: (job: string, unit: unknown, tick: Date) => TransactItem,
    /**
     * user.sessions_ended as an item of the ending's transaction: other modules learn of it
     * exactly when it committed (the notifications module releases the push devices the session
     * registered: packages/notifications/README.md "Devices and sessions").
     */
    private readonly endedEvent: SessionsEndedEvent,
  ) {}

  /**
   * Ends the family; 'not-active' when there is no such family to end (see
   * SessionsRepository.end: with `activeOnly`, also a revoked one, or one expired more than the clock slack ago), or the
   * account is gone.
   */
  async end(
    userId: string,
    familyId: string,
    reason: RevokeReason,
    options: { activeOnly?: boolean; seen?: SeenSessionState | null; accessTokensOver?: AccessTokensOver } = {},
  ): Promise<'ended' | 'not-active'> {
    if (options.accessTokensOver) {
      // No access token of it can be live: nothing to record on the profile, so it takes no place
      // among (and does not count towards) the window's ended sessions.
      const over = options.accessTokensOver;
      const now = this.clock.now();
      const active = options.activeOnly ? { activeOnly: { expiresAfter: expiredWithinSlack(now) } } : {};
      const event = await this.endedEvent(userId, reason, familyId);
      const outcome = await this.sessions.end(userId, familyId, { reason, at: now.toISOString(), ...active, ...over }, null, [event]);
      if (outcome === 'ended') return 'ended';
      // Refused while its current token was the condition: a refresh may have issued a live
      // access token meanwhile, so it is ended as any other below (or found ended there).
      if (over.currentHash === undefined) return 'not-active';
    }
    // undefined: not read (plan on the guess); null: the profile is gone.
    let seen = options.seen;
    for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
      if (seen === null) return 'not-active';
      const now = this.clock.now();
      const nowSeconds = epochSeconds(now);
      const ending = { reason, at: now.toISOString(), ...(options.activeOnly ? { activeOnly: { expiresAfter: expiredWithinSlack(now) } } : {}) };
      const plan = planRevocation(seen?.revoked, nowSeconds, this.accessTtlSeconds);
      // 'full' is only ever planned from a profile read (a guess is never full).
      const profileWrite = plan.kind === 'full' ? this.users.endEverySession(userId, seen!.epoch) : this.users.recordEndedSession(userId, plan, familyId);
      // Every session ended (the epoch moves): the earlier families' marks are a job's, queued by
      // this same transaction, not a loop in this request (their number grows with sign-ins).
      const marks = plan.kind === 'full' ? [this.queueUnit(SESSIONS_CLEANUP_JOB, earlierEpochsEnded(userId, seen!.epoch + 1, now), now)] : [];
      // The event names the session, or none when every session ended with it.
      const event = await this.endedEvent(userId, plan.kind === 'full' ? 'too-many-ended' : reason, plan.kind === 'full' ? undefined : familyId);
      const outcome = await this.sessions.end(userId, familyId, ending, profileWrite, [...marks, event]);
      if (outcome === 'profile-refused') {
        seen = await this.users.sessionState(userId);
        continue;
      }
      if (outcome === 'ended' && plan.kind === 'full') {
        this.logger.warn('too many sessions ended in one window: every session of the account was ended', { userId, perWindow: REVOKED_SESSIONS_PER_WINDOW, reason });
      }
      return outcome;
    }
    throw new Error(`ending session ${familyId} was refused ${MAX_ATTEMPTS} times by concurrent revocations`);
  }

  /**
   * Ends `session`, a family just read and not ended (sign out by id, a reuse): as `end`, but
   * when none of its access tokens can still verify (domain/revoked-sessions.ts accessTokensOver:
   * past its end, or its current refresh token, and so its newest access token, older than an
   * access token lives, each plus the clock slack) nothing is recorded on the profile, so it
   * takes no place among the window's ended sessions; the idle case is conditioned on the
   * current token read (a refresh meanwhile hands out a live access token: then it is recorded
   * as any other).
   */
  async endAsRead(
    session: SessionRecord,
    reason: RevokeReason,
    options: { activeOnly?: boolean; seen?: SeenSessionState | null } = {},
  ): Promise<'ended' | 'not-active'> {
    const over = this.accessTokensOverAsRead(session);
    const accessTokensOverAsRead: AccessTokensOver | undefined =
      over === 'past-end' ? {} : over === 'idle' && session.currentHash !== undefined ? { currentHash: session.currentHash } : undefined;
    return this.end(session.userId, session.familyId, reason, { ...options, ...(accessTokensOverAsRead ? { accessTokensOver: accessTokensOverAsRead } : {}) });
  }

  /**
   * domain/revoked-sessions.ts accessTokensOver for `session` as read, now: 'past-end' or 'idle'
   * when none of its access tokens can still verify on any instance (clock slack included), null
   * when one may.
   */
  accessTokensOverAsRead(session: SessionRecord): 'past-end' | 'idle' | null {
    const currentIssuedAt = epochSeconds(new Date(session.lastRotatedAt));
    return accessTokensOver({ sessionExpiresAt: session.sessionExpiresAt, currentIssuedAt }, epochSeconds(this.clock.now()), this.accessTtlSeconds);
  }

}

/** The sessions cleanup unit that marks the families before `epoch` ended after a full window (bookkeeping: the epoch already refuses them). */
function earlierEpochsEnded(userId: string, epoch: number, at: Date): SessionsCleanupUnit {
  return { kind: 'earlier-epochs', userId, epoch, reason: 'too-many-ended', at: at.toISOString() };
}
