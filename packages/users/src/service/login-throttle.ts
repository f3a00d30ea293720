import { epochSeconds, type Clock } from '@budgeting/platform';
import type { ThrottleRepository } from '../repository/throttle.repository';
import { userProblems } from './problems';

export interface ThrottlePolicy {
  /** Failed attempts allowed per window; the next attempt is refused. */
  maxFailures: number;
  windowSeconds: number;
}

export const LOGIN_THROTTLE: ThrottlePolicy = { maxFailures: 5, windowSeconds: 15 * 60 };

/**
 * Brute-force protection for one email, whether or not an account exists for it (otherwise
 * the 429 itself would reveal which emails are registered).
 *
 * Every attempt is counted BEFORE the password is checked, with one atomic ADD: a burst of
 * concurrent guesses cannot slip past the limit between a read and a write. A successful
 * sign-in clears the counter, so only failures accumulate.
 */
export class LoginThrottle {
  constructor(
    private readonly repo: ThrottleRepository,
    private readonly clock: Clock,
    private readonly policy: ThrottlePolicy = LOGIN_THROTTLE,
  ) {}

  /** Counts an attempt; throws 429 with Retry-After when the email is over its limit. */
  async admit(normalizedEmail: string): Promise<void> {
    const now = epochSeconds(this.clock.now());
    const { attempts, windowEndsAt } = await this.repo.recordAttempt(normalizedEmail, now, this.policy.windowSeconds);
    if (attempts > this.policy.maxFailures) throw userProblems.tooManyAttempts(windowEndsAt - now);
  }

  async clear(normalizedEmail: string): Promise<void> {
    await this.repo.reset(normalizedEmail);
  }
}
