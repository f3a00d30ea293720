import { epochSeconds, type Clock } from '@budgeting/platform';
import type { ThrottleKeys } from '../repository/throttle-keys';
import { CONTENDED_RETRY_AFTER_SECONDS, NOT_COUNTED, type ThrottleRepository } from '../repository/throttle.repository';
import { clientBucket, UNKNOWN_BUCKET } from '../domain/client-bucket';
import { userProblems } from './problems';

export interface ThrottlePolicy {
  /** Failed attempts allowed per window from one client (address bucket); the next is refused. */
  maxFailuresPerClient: number;
  /**
   * Attempts allowed per window from clients that never signed in to this account: the cap on
   * a guessing attack spread over many addresses. Known clients are exempt, so an attacker
   * cannot lock the owner out of the places they use.
   */
  maxAttemptsPerEmail: number;
  windowSeconds: number;
  /** How long a client stays known after its last successful sign-in. */
  knownClientSeconds: number;
}

export const LOGIN_THROTTLE: ThrottlePolicy = {
  maxFailuresPerClient: 5,
  maxAttemptsPerEmail: 25,
  windowSeconds: 15 * 60,
  knownClientSeconds: 90 * 24 * 60 * 60,
};

/** What admit() counted, so that a success can take back what it should not have cost. */
export interface Admission {
  countedForEmail: boolean;
  /** When counted for the email: the end of the email-wide window it was counted in. */
  emailWindowEndsAt?: number;
  /** The end of the client's window it was counted in (absent on admissions made elsewhere). */
  clientWindowEndsAt?: number;
}

/**
 * Brute-force protection for one email, whether or not an account exists for it (otherwise
 * the 429 itself would reveal which emails are registered). See docs/throttling.md, "Throttling".
 *
 * - Per (email, client bucket): the 6th failure in the window is refused; a successful sign-in
 *   from that client clears its count.
 * - Per email, for unknown clients only: a guesser spread over many addresses meets this cap.
 *   A client (bucket) that signed in successfully to the account before is "known" for 90
 *   days and never meets it, so the owner keeps signing in where they usually do while an
 *   attack runs; only a new place has to wait for the window to end.
 * - A success does not count: the attempt it added to the email-wide count is refunded (for a
 *   two-factor sign-in, the password step's as well as the code step's).
 *
 * Every attempt is counted BEFORE the password is checked, with one atomic ADD each, so a
 * burst of concurrent guesses cannot slip past a limit between a read and a write. An attempt
 * refused by its client's counter is not added to the email's, so one address cannot use up
 * the shared allowance. Requests without an address (in-process only) share the bucket
 * `unknown`, which never becomes known.
 */
export class LoginThrottle {
  constructor(
    private readonly repo: ThrottleRepository,
    private readonly keys: ThrottleKeys,
    private readonly clock: Clock,
    private readonly policy: ThrottlePolicy = LOGIN_THROTTLE,
  ) {}

  /** Counts an attempt; throws 429 with Retry-After when the client or the email is over its limit. */
  async admit(normalizedEmail: string, clientAddress: string | undefined): Promise<Admission> {
    const now = epochSeconds(this.clock.now());
    const { windowSeconds } = this.policy;
    const bucket = clientBucket(clientAddress);
    const [client, known] = await Promise.all([
      this.repo.recordAttempt(this.keys.client(normalizedEmail, bucket), now, windowSeconds),
      bucket === UNKNOWN_BUCKET ? false : this.repo.isKnown(this.keys.known(normalizedEmail, bucket), now),
    ]);
    // A counter that could not count fails closed (throttle.repository.ts NOT_COUNTED): refused as over the limit.
    if (client === NOT_COUNTED) throw userProblems.tooManyAttempts(CONTENDED_RETRY_AFTER_SECONDS);
    if (client.attempts > this.policy.maxFailuresPerClient) throw userProblems.tooManyAttempts(client.windowEndsAt - now);
    if (known) return { countedForEmail: false, clientWindowEndsAt: client.windowEndsAt };
    const email = await this.repo.recordAttempt(this.keys.email(normalizedEmail), now, windowSeconds);
    if (email === NOT_COUNTED) throw userProblems.tooManyAttempts(CONTENDED_RETRY_AFTER_SECONDS);
    if (email.attempts > this.policy.maxAttemptsPerEmail) throw userProblems.tooManyAttempts(email.windowEndsAt - now);
    return { countedForEmail: true, emailWindowEndsAt: email.windowEndsAt, clientWindowEndsAt: client.windowEndsAt };
  }

  /**
   * An admitted attempt that turned out to guess nothing (a two-factor step whose mfaToken was
   * used up by a concurrent request before its code could count): its counts are given back,
   * each only from the window it was counted in. Unlike `succeeded`, the client's earlier
   * failures stay and it does not become known.
   */
  async notAnAttempt(normalizedEmail: string, clientAddress: string | undefined, admission: Admission): Promise<void> {
    const bucket = clientBucket(clientAddress);
    await Promise.all([
      admission.clientWindowEndsAt !== undefined ? this.repo.refund(this.keys.client(normalizedEmail, bucket), admission.clientWindowEndsAt) : undefined,
      admission.countedForEmail && admission.emailWindowEndsAt !== undefined ? this.repo.refund(this.keys.email(normalizedEmail), admission.emailWindowEndsAt) : undefined,
    ]);
  }

  /**
   * A successful sign-in: the client's count starts over, the client is known, the attempt is
   * refunded (from the window it was counted in). `earlier`: the admission of an earlier step of the same sign-in (a two-factor
   * sign-in's password step), refunded too, but only while its window is still the counter's
   * (a refund never takes an attempt out of a newer window).
   */
  async succeeded(normalizedEmail: string, clientAddress: string | undefined, admission: Admission, earlier?: Admission): Promise<void> {
    const now = epochSeconds(this.clock.now());
    const bucket = clientBucket(clientAddress);
    const emailKey = this.keys.email(normalizedEmail);
    await Promise.all([
      this.repo.reset(this.keys.client(normalizedEmail, bucket)),
      bucket === UNKNOWN_BUCKET ? undefined : this.repo.markKnown(this.keys.known(normalizedEmail, bucket), now + this.policy.knownClientSeconds),
      // From the window it was counted in only: a window that ended while the password was
      // checked may have a next one by now, whose attempts are other clients' guesses.
      admission.countedForEmail ? this.repo.refund(emailKey, admission.emailWindowEndsAt) : undefined,
    ]);
    if (earlier?.countedForEmail && earlier.emailWindowEndsAt !== undefined) await this.repo.refund(emailKey, earlier.emailWindowEndsAt);
  }
}
