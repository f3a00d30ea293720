import type { Key } from '@budgeting/platform';
import { UNKNOWN_BUCKET } from '../domain/client-bucket';
import { throttleId, throttleIdKey } from '../domain/throttle-id';
import type { UsersKeys } from './keys';

type AddressLimitKind = Parameters<UsersKeys['throttleAddress']>[1];

/**
 * The sign-in throttle's keys with a keyed hash (domain/throttle-id.ts) where the email and the
 * client bucket would be: the email's partition is `users#throttle#<id of the email>`, a
 * client's counter and known mark `...#client#<id>` / `...#known#<id>` with the id of (email,
 * bucket) (so one network's items cannot be matched across accounts), the per-address counters
 * `users#address#<id of the bucket>`. The bucket `unknown` (no address) stays as it is.
 *
 * Only the current signing key is used: at a rotation the counters start over (their windows
 * last minutes) and known clients are known again at their next successful sign-in (docs/throttling.md
 * "Throttling", "What the keys hold"). Account deletion and the email change remove the
 * partitions of every key they may be under (`partitions`).
 */
export class ThrottleKeys {
  private readonly key: Buffer;
  private readonly previousKey?: Buffer;

  constructor(
    private readonly keys: UsersKeys,
    signingKey: string,
    previousSigningKey?: string,
  ) {
    this.key = throttleIdKey(signingKey);
    if (previousSigningKey && previousSigningKey !== signingKey) this.previousKey = throttleIdKey(previousSigningKey);
  }

  /** All sign-in attempts for an email, from anywhere. */
  email(normalizedEmail: string): Key {
    return this.keys.throttle(this.emailId(normalizedEmail));
  }

  /** Sign-in attempts for an email from one client bucket (domain/client-bucket.ts). */
  client(normalizedEmail: string, bucket: string): Key {
    return this.keys.throttleClient(this.emailId(normalizedEmail), this.clientId(normalizedEmail, bucket));
  }

  /** A client bucket that signed in to this email's account. */
  known(normalizedEmail: string, bucket: string): Key {
    return this.keys.knownClient(this.emailId(normalizedEmail), this.clientId(normalizedEmail, bucket));
  }

  /** Requests of one kind from one client bucket, any account. */
  address(bucket: string, kind: AddressLimitKind): Key {
    return this.keys.throttleAddress(bucket === UNKNOWN_BUCKET ? bucket : throttleId(this.key, 'address', bucket), kind);
  }

  /** Password-reset requests for an email. */
  reset(normalizedEmail: string): Key {
    return this.keys.throttleReset(this.emailId(normalizedEmail));
  }

  /**
   * Every partition an email's items may be in: the current key's, the previous key's during a
   * rotation, and the email itself, where the items written before the keys were hashed are
   * (known clients live 90 days: until 90 days after that deploy; docs/throttling.md "What the keys hold").
   */
  partitions(normalizedEmail: string): string[] {
    return [...this.hashedPartitions(normalizedEmail), this.legacyPartition(normalizedEmail)];
  }

  /** The partitions under a keyed hash (the current key's, the previous key's during a rotation): the ones sign-in attempts still write. */
  hashedPartitions(normalizedEmail: string): string[] {
    const ids = [this.emailId(normalizedEmail), ...(this.previousKey ? [throttleId(this.previousKey, 'email', normalizedEmail)] : [])];
    return ids.map((id) => this.keys.throttlePk(id));
  }

  /** The partition of the items written before the keys were hashed (the email in clear): nothing writes it any more. */
  legacyPartition(normalizedEmail: string): string {
    return this.keys.throttlePk(normalizedEmail);
  }

  private emailId(normalizedEmail: string): string {
    return throttleId(this.key, 'email', normalizedEmail);
  }

  private clientId(normalizedEmail: string, bucket: string): string {
    return bucket === UNKNOWN_BUCKET ? bucket : throttleId(this.key, 'client', normalizedEmail, bucket);
  }
}
