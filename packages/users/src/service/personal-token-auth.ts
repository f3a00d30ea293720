import type { Clock, Logger, PersonalTokenGrant } from '@budgeting/platform';
import { LAST_USED_RESOLUTION_MS, lastUsedIsStale, parsePersonalToken, personalTokenExpired, secretMatches } from '../domain/personal-token';
import { absentTokenKey, RefusedTokens, wrongSecretKey } from '../domain/refused-tokens';
import type { PersonalTokensRepository } from '../repository/personal-tokens.repository';

/**
 * Resolves a presented personal access token (platform AccessTokenOptions.personalTokens): the
 * ONE extra request a token request pays over a session's, a strongly consistent GetItem of the
 * token's item (so a revoke is seen at once). The account check that follows (the profile at
 * the token's epoch) rides the route's own read or write like a session token's.
 *
 * `lastUsedAt` is written at most once an hour per token: only when the item read says it is
 * stale, as a conditional UpdateItem (concurrent requests of the same hour write once). That
 * write never fails the request: a failure is logged.
 *
 * Guessing is made cheap to refuse: anything not exactly a token's shape (domain/personal-token:
 * lengths, alphabets, the secret's canonical last character) is refused before any read, and a
 * refusal after the read is remembered for a minute (domain/refused-tokens: only refusals, so
 * a revoke still counts at once everywhere), so repeating one made-up token costs one GetItem
 * per container per minute. One instance per process (create-module loads it once).
 */
export class PersonalTokenAuth {
  constructor(
    private readonly tokens: PersonalTokensRepository,
    private readonly clock: Clock,
    private readonly logger: Logger,
    private readonly refused = new RefusedTokens(),
  ) {}

  async resolve(token: string): Promise<PersonalTokenGrant | 'invalid' | 'expired'> {
    const parsed = parsePersonalToken(token);
    if (!parsed) return 'invalid';
    const absent = absentTokenKey(parsed.userId, parsed.tokenId);
    const wrong = wrongSecretKey(token);
    if (this.refused.has(absent, this.clock.now().getTime()) || this.refused.has(wrong, this.clock.now().getTime())) return 'invalid';
    const record = await this.tokens.get(parsed.userId, parsed.tokenId);
    if (!record) {
      this.refused.add(absent, this.clock.now().getTime());
      return 'invalid';
    }
    if (!secretMatches(parsed.secret, record.secretHash)) {
      this.refused.add(wrong, this.clock.now().getTime());
      return 'invalid';
    }
    const now = this.clock.now();
    if (personalTokenExpired(record.expiresAt, now)) return 'expired';
    if (lastUsedIsStale(record.lastUsedAt, now)) await this.recordUse(record.userId, record.tokenId, now);
    return { userId: record.userId, tokenId: record.tokenId, scope: record.scope, sessionEpoch: record.epoch };
  }

  private async recordUse(userId: string, tokenId: string, now: Date): Promise<void> {
    try {
      await this.tokens.touch(userId, tokenId, now.toISOString(), new Date(now.getTime() - LAST_USED_RESOLUTION_MS + 1).toISOString());
    } catch (err) {
      this.logger.warn('recording a personal access token use failed; the request goes on', {
        userId,
        tokenId,
        error: err instanceof Error ? err.message : String(err),
      });
    }
  }
}
