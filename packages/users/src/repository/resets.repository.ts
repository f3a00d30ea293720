import { isConditionFailed, type ModuleStore } from '@budgeting/platform';
import type { UsersKeys } from './keys';
import type { TransactItem } from './transact';

/**
 * A password reset ("forgot password"), written by the mail job when the email has an
 * account. Nothing secret: the token is rebuilt from `resetId` with a derived key
 * (service/reset-tokens.ts). `epoch` is the profile's session epoch when it was made: a
 * password change (or another reset) raises it and so voids this one.
 */
export interface ResetRecord {
  resetId: string;
  userId: string;
  epoch: number;
  createdAt: string;
  /** Epoch seconds; also the TTL (reads compare it with the clock: TTL deletion lags). */
  expiresAt: number;
  /**
   * The account's email the code was mailed to. An email change since then voids the reset:
   * a code that went to an address the account no longer has must not set its password.
   * Absent on resets written before it existed (they expire within 30 minutes).
   */
  email?: string;
  /** Set by the confirmation that used it; a used reset is never accepted again. */
  usedAt?: string;
}

export class ResetsRepository {
  constructor(
    private readonly store: ModuleStore,
    private readonly keys: UsersKeys,
  ) {}

  /**
   * Writes the reset once: a redelivered job unit finds it and gets 'exists' (its mail is sent
   * again with the same token), never a second item or a fresh expiry.
   */
  async create(record: ResetRecord): Promise<'created' | 'exists'> {
    try {
      await this.store.put({ Item: { ...this.keys.reset(record.resetId), kind: 'password-reset', ...record }, ConditionExpression: 'attribute_not_exists(pk)' });
      return 'created';
    } catch (err) {
      if (isConditionFailed(err)) return 'exists';
      throw err;
    }
  }

  async get(resetId: string): Promise<ResetRecord | null> {
    const item = await this.store.get({ Key: this.keys.reset(resetId), ConsistentRead: true });
    if (!item) return null;
    return {
      resetId: item.resetId as string,
      userId: item.userId as string,
      epoch: item.epoch as number,
      createdAt: item.createdAt as string,
      expiresAt: item.expiresAt as number,
      ...(typeof item.email === 'string' ? { email: item.email } : {}),
      ...(typeof item.usedAt === 'string' ? { usedAt: item.usedAt } : {}),
    };
  }

  /** The write that spends the reset, for the password transaction: refused if it is gone or already used. */
  markUsed(resetId: string, usedAt: string): TransactItem {
    return {
      Update: {
        Key: this.keys.reset(resetId),
        UpdateExpression: 'SET usedAt = :usedAt',
        ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(usedAt)',
        ExpressionAttributeValues: { ':usedAt': usedAt },
      },
    };
  }
}
