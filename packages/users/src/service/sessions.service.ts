import { epochSeconds, newId, type AccessTokens, type Clock, type Logger } from '@budgeting/platform';
import type { IssuedToken, SessionsRepository } from '../repository/sessions.repository';
import type { TransactItem } from '../repository/transact';
import { userProblems } from './problems';
import { hashRefreshToken, newRefreshToken } from './refresh-tokens';

export interface TokenPair {
  accessToken: string;
  refreshToken: string;
  /** Lifetime of the access token in seconds. */
  expiresIn: number;
}

/** A session ready to be written, with the secret that only the client will ever see. */
export interface PendingSession {
  userId: string;
  refreshToken: string;
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
  ) {}

  /** The writes of a new family, for callers that must commit it with other changes (signup). */
  prepare(userId: string): PendingSession {
    const { token, issued } = this.issue(userId, newId(this.clock.now().getTime()), 1);
    return { userId, refreshToken: token, writes: this.repo.startItems(issued) };
  }

  /** Once `prepare`'s writes are committed: the pair to hand to the client. */
  async pairFor(pending: PendingSession): Promise<TokenPair> {
    return this.pair(pending.userId, pending.refreshToken);
  }

  /** Starts a session for an existing user (sign-in); null when the user was deleted meanwhile. */
  async start(userId: string): Promise<TokenPair | null> {
    const { token, issued } = this.issue(userId, newId(this.clock.now().getTime()), 1);
    const outcome = await this.repo.start(issued);
    return outcome === 'created' ? this.pair(userId, token) : null;
  }

  /** Exchanges a refresh token for a new pair; the presented token is spent. */
  async refresh(refreshToken: string): Promise<TokenPair> {
    const now = this.clock.now();
    const current = await this.repo.getToken(hashRefreshToken(refreshToken));
    if (!current || current.expiresAt <= epochSeconds(now)) throw userProblems.invalidRefreshToken();
    if (current.status === 'rotated') return this.reuseDetected(current.userId, current.familyId);

    const { token, issued } = this.issue(current.userId, current.familyId, current.generation + 1);
    const outcome = await this.repo.rotate(current, issued, epochSeconds(now));
    switch (outcome) {
      case 'rotated':
        return this.pair(current.userId, token);
      case 'token-not-active':
        // Another request spent this very token first (a concurrent refresh or a replay):
        // from here it is indistinguishable from theft, so it counts as reuse.
        return this.reuseDetected(current.userId, current.familyId);
      case 'session-revoked':
      case 'user-gone':
        throw userProblems.invalidRefreshToken();
    }
  }

  /**
   * Ends the session the token belongs to (any token of the family, even an already rotated
   * one, ends it). Unknown tokens are ignored so logout is idempotent and reveals nothing.
   */
  async logout(refreshToken: string): Promise<void> {
    const current = await this.repo.getToken(hashRefreshToken(refreshToken));
    if (!current) return;
    await this.repo.revoke(current.userId, current.familyId, 'logout', this.clock.now().toISOString());
  }

  async endAll(userId: string): Promise<void> {
    await this.repo.deleteAllForUser(userId);
  }

  private async reuseDetected(userId: string, familyId: string): Promise<never> {
    await this.repo.revoke(userId, familyId, 'reuse-detected', this.clock.now().toISOString());
    this.logger.warn('refresh token reuse detected; session revoked', { userId, familyId });
    throw userProblems.refreshTokenReused();
  }

  private issue(userId: string, familyId: string, generation: number): { token: string; issued: IssuedToken } {
    const now = this.clock.now();
    const token = newRefreshToken();
    return {
      token,
      issued: {
        tokenHash: hashRefreshToken(token),
        userId,
        familyId,
        generation,
        issuedAt: now.toISOString(),
        expiresAt: epochSeconds(now) + this.refreshTtlSeconds,
      },
    };
  }

  private async pair(userId: string, refreshToken: string): Promise<TokenPair> {
    return {
      accessToken: await this.tokens.sign({ userId }),
      refreshToken,
      expiresIn: this.tokens.ttlSeconds,
    };
  }
}
