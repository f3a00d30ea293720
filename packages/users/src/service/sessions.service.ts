import { awsErrorToProblem, epochSeconds, newId, type AccessTokens, type Clock, type Logger } from '@budgeting/platform';
import { accessTokensOver } from '../domain/revoked-sessions';
import type { IssuedToken, RefreshTokenRecord, SessionRecord, SessionsRepository, SignInWrites } from '../repository/sessions.repository';
import { sessionStateOf } from '../repository/users.repository';
import type { TransactItem } from '../repository/transact';
import { userProblems } from './problems';
import { hashRefreshToken, newRefreshToken } from './refresh-tokens';
import { openPair, sealPair } from './sealed-successor';
import type { AccessTokensOver, SessionEnding } from './session-ending';

/**
 * How long a spent refresh token may be presented again and get the pair its refresh handed
 * out (a client retrying over a flaky network, or several requests of one app refreshing at
 * once). After that, presenting it is reuse: the family is revoked.
 */
export const REFRESH_GRACE_SECONDS = 10;

export interface TokenPair {
  accessToken: string;
  refreshToken: string;
  /**
   * Seconds until the access token expires: its lifetime, or less when its session's absolute
   * end comes first (the token's `exp` is never past it).
   */
  expiresIn: number;
}

/** A session ready to be written, with the secret that only the client will ever see. */
export interface PendingSession {
  userId: string;
  familyId: string;
  epoch: number;
  /** The sign-in time (seconds) its tokens carry: the session starts now. */
  authTime: number;
  /** The session's absolute end (seconds), past which none of its tokens works. */
  sessionExpiresAt: number;
  refreshToken: string;
  /** The refresh token's issue (ISO): its access token expires at most an access token's lifetime after it. */
  issuedAt: string;
  writes: TransactItem[];
}

/**
 * Sessions as the API sees them: token pairs. Access tokens are stateless JWTs (platform
 * AccessTokens); refresh tokens rotate on every use and a reused one revokes its family
 * (OAuth 2.0 Security BCP, "refresh token rotation").
 */
export class SessionService {
  constructor(
    private readonly repo: SessionsRepository,
    private readonly tokens: AccessTokens,
    private readonly clock: Clock,
    private readonly refreshTtlSeconds: number,
    private readonly logger: Logger,
    private readonly ending: SessionEnding,
    /** The absolute lifetime counted from the sign-in (config SESSION_MAX_LIFETIME_SECONDS). */
    private readonly maxLifetimeSeconds: number,
  ) {}

  /**
   * The writes of a new family in session epoch `epoch`, for callers that must commit it with
   * other changes (signup, a password change, a password reset). Each is a sign-in: the
   * password was just set or checked (with the code, when two-factor is on), so the tokens carry
   * now as the sign-in time.
   */
  prepare(userId: string, epoch: number): PendingSession {
    const familyId = newId(this.clock.now().getTime());
    const authTime = epochSeconds(this.clock.now());
    const sessionExpiresAt = authTime + this.maxLifetimeSeconds;
    const { token, issued } = this.issue(userId, familyId, 1, epoch, authTime, sessionExpiresAt);
    return { userId, familyId, epoch, authTime, sessionExpiresAt, refreshToken: token, issuedAt: issued.issuedAt, writes: this.repo.startItems(issued) };
  }

  /** Once `prepare`'s writes are committed: the pair to hand to the client. */
  async pairFor(pending: PendingSession): Promise<TokenPair> {
    return this.pair(pending, pending.refreshToken);
  }

  /**
   * Starts a session for an existing user (sign-in) in the session epoch read with the
   * password; null when the user was deleted, or the password changed, meanwhile. Its tokens
   * carry now as the sign-in time (callers start one only after the password, and the second
   * factor when the account has one, were checked). `also`: the sign-in's known places and
   * new-place event (service/sign-in-places.ts), committed with the session or not at all.
   */
  async start(userId: string, epoch: number, also: SignInWrites = {}): Promise<TokenPair | null> {
    const familyId = newId(this.clock.now().getTime());
    const authTime = epochSeconds(this.clock.now());
    const sessionExpiresAt = authTime + this.maxLifetimeSeconds;
    const { token, issued } = this.issue(userId, familyId, 1, epoch, authTime, sessionExpiresAt);
    const outcome = await this.repo.start(issued, also);
    return outcome === 'created' ? this.pair(issued, token) : null;
  }

  /**
   * Exchanges a refresh token for a new pair; the presented token is spent. A repeat of the
   * same refresh within REFRESH_GRACE_SECONDS gets the same pair, as long as that pair's
   * refresh token is still the family's current one; any other use of a spent token is reuse.
   */
  async refresh(refreshToken: string): Promise<TokenPair> {
    const now = this.clock.now();
    const nowSeconds = epochSeconds(now);
    const current = await this.repo.getToken(hashRefreshToken(refreshToken));
    if (!current) throw userProblems.invalidRefreshToken();
    // Known to belong to an ended session (marked below, or at its absolute end): refused with no write.
    if (current.sessionEnded) throw userProblems.invalidRefreshToken();
    if (current.sessionExpiresAt !== undefined && current.sessionExpiresAt <= nowSeconds) return this.lifetimeEnded(current);
    if (current.expiresAt <= nowSeconds) throw userProblems.invalidRefreshToken();
    if (current.status === 'rotated') return this.repeatOrReuse(refreshToken, current);

    // The session's original sign-in time goes forward (absent on older tokens: stays unknown),
    // so refreshing never makes a session count as freshly signed in (AccountService.delete).
    // So does its absolute end; a session from before there was one gets it now, counted from
    // this refresh (not from its sign-in, so no session is cut off by the deploy that brought it).
    const sessionExpiresAt = current.sessionExpiresAt ?? nowSeconds + this.maxLifetimeSeconds;
    const { token, issued } = this.issue(current.userId, current.familyId, current.generation + 1, current.epoch, current.authTime, sessionExpiresAt);
    const pair = await this.pair(issued, token);
    const sealed = sealPair(refreshToken, { accessToken: pair.accessToken, refreshToken: pair.refreshToken });
    const outcome = await this.repo.rotate(current, issued, sealed, epochSeconds(now));
    switch (outcome) {
      case 'rotated':
        return pair;
      case 'token-not-active': {
        // Another request spent this very token first: a concurrent repeat gets its pair.
        const spent = await this.repo.getToken(current.tokenHash);
        return spent ? this.repeatOrReuse(refreshToken, spent) : this.reuseDetected(current.userId, current.familyId, await this.repo.getSession(current.userId, current.familyId));
      }
      case 'session-revoked':
      case 'user-gone':
        // The session ended (signed out, logged out, a reuse, a password change, the account
        // deleted) while this, its current token, was still active: nothing ever revives it
        // (an ended family stays ended, the epoch only grows), so the token is marked and
        // presenting it again is this 401 with no write, not another refused rotation.
        await this.markSessionEnded(current);
        throw userProblems.invalidRefreshToken();
    }
  }

  /**
   * A refresh past the session's absolute end: the session is ended (its access tokens too, at
   * once: SessionEnding), and the answer is the very 401 of an expired token, so it tells nothing
   * more. Only a token that could still have refreshed ends it; a spent one (its successor is
   * past the end as well) is just refused, so replaying dead tokens writes nothing. Nor does an
   * active one whose own 30 days ran out before the end: it is an expired token like any other
   * (no write either before the end or after it; no access token of it is live).
   */
  private async lifetimeEnded(token: RefreshTokenRecord): Promise<never> {
    const couldRefreshAtTheEnd = token.sessionExpiresAt !== undefined && token.expiresAt >= token.sessionExpiresAt;
    // Known ended (marked below): refused with no write, however often it comes back before its TTL.
    if (token.status === 'active' && couldRefreshAtTheEnd && !token.sessionEnded) {
      // Every access token of the session expired at its end (pair()), so once the clock slack
      // has passed too nothing goes on the profile: the ending counts towards no window's bound
      // of ended sessions. The token is marked in the same transaction; if the session had ended
      // already (signed out), alone. Within the slack an instance whose clock lags still accepts
      // the last access token: recorded as any ending (the token marked when presented again).
      const over = this.pastEndAndSlack(token);
      const outcome = await this.ending.end(token.userId, token.familyId, 'lifetime-ended', over ? { accessTokensOver: { markToken: token.tokenHash } } : {});
      if (outcome === 'not-active') await this.markSessionEnded(token);
    }
    throw userProblems.invalidRefreshToken();
  }

  /**
   * Marks `token` as its session's end seen (RefreshTokenRecord.sessionEnded), a saving only: the
   * token is refused either way, so a failed mark (throttled, say) is logged and the 401 still
   * answered; its next presentation is refused as this one was and tries the mark again. Only
   * AWS's try-again-later errors are that (awsErrorToProblem: what was a 503): any other is a bug
   * of ours (a TypeError, a key outside the module), a 500 as before, not a warning that hides it.
   */
  private async markSessionEnded(token: RefreshTokenRecord): Promise<void> {
    try {
      await this.repo.markSessionEnded(token.tokenHash);
    } catch (err) {
      if (!awsErrorToProblem(err)) throw err;
      this.logger.warn("marking an ended session's refresh token failed; it is refused anyway, and marked at its next presentation", {
        userId: token.userId,
        familyId: token.familyId,
        error: err instanceof Error ? err.message : String(err),
      });
    }
  }

  /** A spent token presented again: the same pair inside the grace window, else reuse. */
  private async repeatOrReuse(refreshToken: string, spent: RefreshTokenRecord): Promise<TokenPair> {
    const spentAt = spent.rotatedAt ? Date.parse(spent.rotatedAt) : Number.NaN;
    const inWindow = this.clock.now().getTime() - spentAt <= REFRESH_GRACE_SECONDS * 1000;
    const handedOut = inWindow && spent.successor ? openPair(refreshToken, spent.successor) : null;
    // Read either way: a repeat needs the family's current token, a reuse whether it still has a live access token.
    if (!handedOut) return this.reuseDetected(spent.userId, spent.familyId, await this.repo.getSession(spent.userId, spent.familyId));
    // A repeat also reads the profile (the same BatchGetItem): what ends every session (a password
    // change or reset, a suspension, the account deleted) moves the epoch or removes the profile at
    // once, while the families are marked (or deleted) later by a job; until then the family alone
    // looks alive, and the pair it handed out is dead (its refresh and access tokens both refused).
    const { session, profile } = await this.repo.getSessionAndProfile(spent.userId, spent.familyId);
    if (session?.revokedAt || !profile || sessionStateOf(profile).epoch !== spent.epoch) throw userProblems.invalidRefreshToken();
    // The client already moved on with the new token: a late repeat of the old one is reuse.
    if (session?.currentHash !== hashRefreshToken(handedOut.refreshToken)) return this.reuseDetected(spent.userId, spent.familyId, session);
    // The very answer the first refresh gave: its expiresIn too (exp - iat: less than the lifetime near the session's end).
    return { ...handedOut, expiresIn: accessTokenLifetime(handedOut.accessToken) };
  }

  /**
   * Ends the session the token belongs to (any token of the family, even an already rotated
   * one, ends it), its access tokens at once (SessionEnding). Unknown tokens and sessions
   * already ended are ignored so logout is idempotent and reveals nothing.
   */
  async logout(refreshToken: string): Promise<void> {
    const current = await this.repo.getToken(hashRefreshToken(refreshToken));
    // Unknown, or its session known ended (RefreshTokenRecord.sessionEnded): nothing to end, nothing written.
    if (!current || current.sessionEnded) return;
    const over = this.accessTokensOver(current);
    await this.ending.end(current.userId, current.familyId, 'logout', over ? { accessTokensOver: over } : {});
  }

  /**
   * Whether no access token of `token`'s session can still verify, as far as the token tells:
   * past the session's absolute end plus the clock slack (every access token's `exp` is at most
   * the end), or `token` is the current one and was issued longer ago than an access token
   * lives, plus the clock slack the ended-session windows allow (the session's newest access
   * token came with it; the ending is then conditioned on it still being current). Such an ending records nothing on
   * the profile (SessionEnding). null: it may have a live one.
   */
  private accessTokensOver(token: RefreshTokenRecord): AccessTokensOver | null {
    // Only the current (active) token's issue dates the session's newest access token.
    const currentIssuedAt = token.status === 'active' ? epochSeconds(new Date(token.issuedAt)) : undefined;
    const over = accessTokensOver({ ...token, currentIssuedAt }, epochSeconds(this.clock.now()), this.tokens.ttlSeconds);
    if (over === 'past-end') return {};
    return over === 'idle' ? { currentHash: token.tokenHash } : null;
  }

  /**
   * Past its session's end by the clock slack the ended-session windows allow: an access token's
   * `exp` is at most the end, but an instance whose clock reads up to that slack behind still
   * accepts one until then.
   */
  private pastEndAndSlack(token: RefreshTokenRecord): boolean {
    return accessTokensOver({ sessionExpiresAt: token.sessionExpiresAt }, epochSeconds(this.clock.now()), this.tokens.ttlSeconds) === 'past-end';
  }

  /**
   * A reused token may be a stolen one: the family ends, and its access tokens at once when one
   * may still be live (SessionEnding.endAsRead, from `session`, the family as just read). A family
   * already ended (or gone) is left as it is: the same 401, nothing written.
   */
  private async reuseDetected(userId: string, familyId: string, session: SessionRecord | null): Promise<never> {
    const ended = session && session.revokedAt === undefined ? await this.ending.endAsRead(session, 'reuse-detected') : 'not-active';
    // Says what this presentation did: a replay on a family ended already (or gone) revoked nothing.
    this.logger.warn(`refresh token reuse detected; session ${ended === 'ended' ? 'revoked' : 'already ended'}`, { userId, familyId });
    throw userProblems.refreshTokenReused();
  }

  /** A token that expires 30 days after its issue, or at its session's absolute end if that comes first. */
  private issue(
    userId: string,
    familyId: string,
    generation: number,
    epoch: number,
    authTime: number | undefined,
    sessionExpiresAt: number,
  ): { token: string; issued: IssuedToken } {
    const now = this.clock.now();
    const token = newRefreshToken();
    return {
      token,
      issued: {
        tokenHash: hashRefreshToken(token),
        userId,
        familyId,
        generation,
        epoch,
        issuedAt: now.toISOString(),
        expiresAt: Math.min(epochSeconds(now) + this.refreshTtlSeconds, sessionExpiresAt),
        ...(authTime !== undefined ? { authTime } : {}),
        sessionExpiresAt,
      },
    };
  }

  /**
   * The access token names its session (claim `sid`), so GET /v1/me/sessions can mark it
   * current and ending that session ends it at once (the account check requires the session
   * not to be among the profile's ended ones), and its session epoch (claim `sep`), so a
   * password change or reset ends it at once (the account check requires the profile's epoch
   * to still be this one), and when the session signed in (claim `auth_time`, when known), so
   * account deletion can require a recent sign-in without a read. It expires with its
   * session at the latest (`sessionExpiresAt`): none outlives the absolute lifetime. Nor does it
   * outlive its refresh token's issue (`issuedAt`) by more than an access token's lifetime, however
   * late it is signed (a sign-in signs it after its write, which may be slow): the idle rule
   * (domain/revoked-sessions.ts accessTokensOver) dates a session's newest access token by its
   * current refresh token's issue, and must hold without assuming both are made at once.
   */
  private async pair(
    session: { userId: string; familyId: string; epoch: number; authTime?: number | undefined; sessionExpiresAt: number; issuedAt: string },
    refreshToken: string,
  ): Promise<TokenPair> {
    const { userId, familyId, epoch, authTime, sessionExpiresAt } = session;
    const notAfter = Math.min(sessionExpiresAt, epochSeconds(new Date(session.issuedAt)) + this.tokens.ttlSeconds);
    const { token, expiresIn } = await this.tokens.issue({ userId, sessionId: familyId, sessionEpoch: epoch, ...(authTime !== undefined ? { authTime } : {}) }, notAfter);
    return { accessToken: token, refreshToken, expiresIn };
  }
}

/**
 * The lifetime (`exp - iat`) an access token this service signed was given: the `expiresIn` of
 * the answer that handed it out. Read, not verified: it comes from the sealed pair only its
 * presenter can open.
 */
function accessTokenLifetime(accessToken: string): number {
  const payload = JSON.parse(Buffer.from(accessToken.split('.')[1] ?? '', 'base64url').toString('utf8')) as { exp?: unknown; iat?: unknown };
  return typeof payload.exp === 'number' && typeof payload.iat === 'number' ? payload.exp - payload.iat : 0;
}
