import { conditionFailedAt, type ModuleStore } from '@budgeting/platform';
import type { UsersKeys } from './keys';
import type { TransactItem } from './transact';

/**
 * A pending email change (POST /v1/me/email), one per user in the user's partition: a new
 * request overwrites it, which voids the code mailed for the one before. Nothing secret: the
 * code is `<changeId>.<HMAC>` rebuilt from `changeId` with a derived key (service/reset-tokens.ts
 * under the email-change label), as a password reset's is.
 */
export interface EmailChangeRecord {
  userId: string;
  /** 128 random bits, new for every request. */
  changeId: string;
  /** Normalized. Not reserved yet: the confirmation takes it, if it is still free. */
  newEmail: string;
  createdAt: string;
  /** Epoch seconds; also the TTL (reads compare it with the clock: TTL deletion lags). */
  expiresAt: number;
}

export class EmailChangesRepository {
  constructor(
    private readonly store: ModuleStore,
    private readonly keys: UsersKeys,
  ) {}

  /**
   * Stores the request, replacing the user's earlier one (its code no longer matches), in ONE
   * transaction with `alsoWrite` (the code mail's job unit: it exists exactly when the request does),
   * only while the account exists (`accountCheck`: UsersRepository.accountCheck), else
   * 'account-gone', nothing written: a request that checked the password just before the account
   * was deleted, written after DELETE /v1/me's transaction (which discards the pending change),
   * would keep the change for its 30 minutes and mail its code to the new address for an
   * account that is gone.
   */
  async replace(record: EmailChangeRecord, accountCheck: TransactItem, alsoWrite: TransactItem[] = []): Promise<'stored' | 'account-gone'> {
    try {
      await this.store.transactWrite([{ Put: { Item: { ...this.keys.emailChange(record.userId), kind: 'email-change', ...record } } }, accountCheck, ...alsoWrite]);
      return 'stored';
    } catch (err) {
      if (conditionFailedAt(err, 1)) return 'account-gone';
      throw err;
    }
  }

  async get(userId: string): Promise<EmailChangeRecord | null> {
    const item = await this.store.get({ Key: this.keys.emailChange(userId), ConsistentRead: true });
    if (!item) return null;
    return {
      userId: item.userId as string,
      changeId: item.changeId as string,
      newEmail: item.newEmail as string,
      createdAt: item.createdAt as string,
      expiresAt: item.expiresAt as number,
    };
  }

  /**
   * The write that spends the request, for the confirmation's transaction: only while it is
   * still the one whose code was presented, so of two confirmations one commits, and a
   * confirmation racing a newer request fails instead of applying the older address.
   */
  spend(userId: string, changeId: string): TransactItem {
    return {
      Delete: {
        Key: this.keys.emailChange(userId),
        ConditionExpression: 'changeId = :changeId',
        ExpressionAttributeValues: { ':changeId': changeId },
      },
    };
  }

  /** Account deletion's write (in its transaction): whatever is pending goes with the profile. */
  discard(userId: string): TransactItem {
    return { Delete: { Key: this.keys.emailChange(userId) } };
  }
}
