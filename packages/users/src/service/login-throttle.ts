import { epochSeconds, type Clock } from '@budgeting/platform';
import type { UsersKeys } from '../repository/keys';
import type { ThrottleRepository } from '../repository/throttle.repository';
import { clientBucket } from '../domain/client-bucket';
import { userProblems } from './problems';

export interface ThrottlePolicy {
  /** Failed attempts allowed per window from one client (address bucket); the next is refused. */
  maxFailuresPerClient: number;
  /**
   * Attempts allowed per window from all clients together: the cap on a guessing attack spread
   * over many addresses. Higher than the per-client limit so that one attacker alone cannot
   * lock the owner out.
   */
  maxAttemptsPerEmail: number;
  windowSeconds: number;
}

export const LOGIN_THROTTLE: ThrottlePolicy = { maxFailuresPerClient: 5, maxAttemptsPerEmail: 25, windowSeconds: 15 * 60 };

/**
 * Brute-force protection for one email, whether or not an account exists for it (otherwise
 * the 429 itself would reveal which emails are registered).
 *
 * Two counters: per (email, client address) and per email. Someone guessing from one address
 * is stopped after a few failures without locking the owner out on their own network; a
 * guesser spread over many addresses meets the email-wide cap. Every attempt is counted
 * BEFORE the password is checked, with one atomic ADD each, so a burst of concurrent guesses
 * cannot slip past a limit between a read and a write. An attempt refused by its client's
 * counter is not added to the email's, so one address cannot use up the shared allowance.
 * A successful sign-in clears its client's counter only: the email-wide cap is not reset by
 * the owner signing in while an attack goes on.
 */
export class LoginThrottle {
  constructor(
    private readonly repo: ThrottleRepository,
    private readonly keys: UsersKeys,
    private readonly clock: Clock,
    private readonly policy: ThrottlePolicy = LOGIN_THROTTLE,
  ) {}

  /** Counts an attempt; throws 429 with Retry-After when the client or the email is over its limit. */
  async admit(normalizedEmail: string, clientAddress: string | undefined): Promise<void> {
    const now = epochSeconds(this.clock.now());
    const { windowSeconds } = this.policy;
    const client = await this.repo.recordAttempt(this.clientKey(normalizedEmail, clientAddress), now, windowSeconds);
    if (client.attempts > this.policy.maxFailuresPerClient) throw userProblems.tooManyAttempts(client.windowEndsAt - now);
    const email = await this.repo.recordAttempt(this.keys.throttle(normalizedEmail), now, windowSeconds);
    if (email.attempts > this.policy.maxAttemptsPerEmail) throw userProblems.tooManyAttempts(email.windowEndsAt - now);
  }

  async clear(normalizedEmail: string, clientAddress: string | undefined): Promise<void> {
    await this.repo.reset(this.clientKey(normalizedEmail, clientAddress));
  }

  private clientKey(normalizedEmail: string, clientAddress: string | undefined) {
    return this.keys.throttleClient(normalizedEmail, clientBucket(clientAddress));
  }
}
