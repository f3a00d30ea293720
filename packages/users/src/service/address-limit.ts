import { epochSeconds, type Clock } from '@budgeting/platform';
import { clientBucket } from '../domain/client-bucket';
import type { ThrottleKeys } from '../repository/throttle-keys';
import { CONTENDED_RETRY_AFTER_SECONDS, NOT_COUNTED, type ThrottleRepository } from '../repository/throttle.repository';
import { userProblems } from './problems';

export interface AddressPolicy {
  /** Password-hashing requests (signups and sign-ins together) one client bucket may start per window. */
  maxAttempts: number;
  windowSeconds: number;
}

/**
 * Ten per minute: more than a household behind one NAT signs up or in, while one address can
 * no longer keep the CPU busy with scrypt (60 concurrent logins with random emails had made a
 * real user's sign-in take 19.5 s instead of 0.5 s).
 */
export const ADDRESS_LIMIT: AddressPolicy = { maxAttempts: 10, windowSeconds: 60 };

/**
 * Token refreshes per client bucket: sixty a minute is far above what the devices behind one
 * address need (one refresh per device every 15 minutes, plus retries), while a flood of
 * made-up tokens cannot turn into unbounded strongly consistent reads.
 */
export const REFRESH_ADDRESS_LIMIT: AddressPolicy = { maxAttempts: 60, windowSeconds: 60 };

/**
 * Password-reset requests per client bucket: five a minute is more than anyone forgetting a
 * password sends, and keeps one address from queueing mail jobs (each one a lookup, maybe a
 * mail) for a long list of emails.
 */
export const RESET_ADDRESS_LIMIT: AddressPolicy = { maxAttempts: 5, windowSeconds: 60 };

/**
 * Password-reset confirmations per client bucket: a token is 256 bits of HMAC, so this is not
 * about guessing; it caps the strongly consistent reads and scrypt hashes one address can cause.
 */
export const RESET_CONFIRM_ADDRESS_LIMIT: AddressPolicy = { maxAttempts: 10, windowSeconds: 60 };

/**
 * What is counted: password hashing (signup, login), refresh-token presentations, password-reset
 * requests, password-reset confirmations.
 */
export type AddressLimitKind = 'hashing' | 'refresh' | 'reset' | 'reset-confirm';

/**
 * The cost guard of signup and sign-in (and, with its own counter and policy, of refresh): every request that would hash a password is counted
 * for its client address (IPv6: its /64, see client-bucket.ts) across all emails, with one
 * atomic ADD, and refused with 429 + Retry-After BEFORE any hash is computed or any account
 * read. A request without an address is not counted here: both runtimes always give one (API
 * Gateway's sourceIp, the local socket's peer, read when the request starts), so only
 * in-process calls (tests) lack it, and they must not all share one allowance.
 */
export class AddressLimit {
  constructor(
    private readonly repo: ThrottleRepository,
    private readonly keys: ThrottleKeys,
    private readonly clock: Clock,
    private readonly policy: AddressPolicy = ADDRESS_LIMIT,
    private readonly kind: AddressLimitKind = 'hashing',
  ) {}

  async admit(clientAddress: string | undefined): Promise<void> {
    if (!clientAddress) return;
    const now = epochSeconds(this.clock.now());
    const count = await this.repo.recordAttempt(this.keys.address(clientBucket(clientAddress), this.kind), now, this.policy.windowSeconds);
    // A counter that could not count fails closed (throttle.repository.ts NOT_COUNTED): this is
    // the cost guard before a password hash, and refusing costs nothing.
    if (count === NOT_COUNTED) throw userProblems.tooManyOfKind(this.kind, CONTENDED_RETRY_AFTER_SECONDS);
    if (count.attempts > this.policy.maxAttempts) {
      throw userProblems.tooManyOfKind(this.kind, count.windowEndsAt - now);
    }
  }
}
