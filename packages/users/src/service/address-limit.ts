import { epochSeconds, type Clock } from '@budgeting/platform';
import { clientBucket } from '../domain/client-bucket';
import type { UsersKeys } from '../repository/keys';
import type { ThrottleRepository } from '../repository/throttle.repository';
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
 * The cost guard of signup and sign-in: every request that would hash a password is counted
 * for its client address (IPv6: its /64, see client-bucket.ts) across all emails, with one
 * atomic ADD, and refused with 429 + Retry-After BEFORE any hash is computed or any account
 * read. A request without an address is not counted here: both runtimes always give one (API
 * Gateway's sourceIp, the local socket's peer, read when the request starts), so only
 * in-process calls (tests) lack it, and they must not all share one allowance.
 */
export class AddressLimit {
  constructor(
    private readonly repo: ThrottleRepository,
    private readonly keys: UsersKeys,
    private readonly clock: Clock,
    private readonly policy: AddressPolicy = ADDRESS_LIMIT,
  ) {}

  async admit(clientAddress: string | undefined): Promise<void> {
    if (!clientAddress) return;
    const now = epochSeconds(this.clock.now());
    const count = await this.repo.recordAttempt(this.keys.throttleAddress(clientBucket(clientAddress)), now, this.policy.windowSeconds);
    if (count.attempts > this.policy.maxAttempts) throw userProblems.tooManyFromAddress(count.windowEndsAt - now);
  }
}
