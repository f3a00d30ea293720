import { capRefused, conditionFailedAt, giveBackPlace, isConditionFailed, takePlace, type CappedCount, type ModuleStore } from '@budgeting/platform';
import type { PersonalTokenScope } from '@budgeting/platform';
import type { UsersKeys } from './keys';
import { sessionEpochIs } from './session-epoch';
import type { TransactItem } from './transact';

/** A personal access token as stored (never its secret: `secretHash` is SHA-256 of it). */
export interface PersonalTokenRecord {
  userId: string;
  tokenId: string;
  name: string;
  scope: PersonalTokenScope;
  /** The profile's session epoch when the token was made (the account check requires it still). */
  epoch: number;
  secretHash: string;
  createdAt: string;
  expiresAt: string;
  lastUsedAt: string | null;
}

/**
 * How a create ended: written; its id already taken (an Idempotency-Key retry); at the cap; the
 * profile moved on (epoch) or is gone; a keyed create's lease completion refused (its lease taken
 * over by its retry, nothing written).
 */
export type PersonalTokenCreateOutcome = 'created' | 'exists' | 'full' | 'account-changed' | 'key-taken';

/**
 * The personal access tokens of a user: items in the user's partition (keys.ts), at most `max`
 * of them. The cap is a count item that moves in every create's and revoke's transaction (the
 * platform's takePlace/giveBackPlace): two concurrent creates at 19 cannot both
 * pass, and "all of a user's tokens" stays one small Query.
 */
export class PersonalTokensRepository {
  constructor(
    private readonly store: ModuleStore,
    private readonly keys: UsersKeys,
    readonly max: number,
  ) {}

  /**
   * Puts the token unless its id exists, the user has `max` already, or the profile is gone or
   * no longer at `record.epoch` (a password change between the read and this write: the new
   * token would be born dead, so it is not made). `alsoWrite`: a keyed create's lease completion
   * (platform keyCompletion), committed with the token.
   */
  async create(record: PersonalTokenRecord, alsoWrite: TransactItem[] = []): Promise<PersonalTokenCreateOutcome> {
    const epoch = sessionEpochIs(record.epoch);
    try {
      await this.store.transactWrite([
        { Put: { Item: this.toItem(record), ConditionExpression: 'attribute_not_exists(pk)' } },
        takePlace(this.count(record.userId)),
        {
          ConditionCheck: {
            Key: this.keys.profile(record.userId),
            ConditionExpression: `attribute_exists(pk) AND ${epoch.condition}`,
            ExpressionAttributeValues: epoch.values,
          },
        },
        ...alsoWrite,
      ]);
      return 'created';
    } catch (err) {
      // After the create's own three items (the token, the count, the profile's epoch). Told
      // first: a retry that took the lease over and committed first also made the token under
      // the key's id ('exists' too), and reissuing it would kill the secret the key answers.
      if (alsoWrite.some((_, n) => conditionFailedAt(err, 3 + n))) return 'key-taken';
      if (conditionFailedAt(err, 0)) return 'exists';
      if (capRefused(err, 1)) return 'full';
      if (conditionFailedAt(err, 2)) return 'account-changed';
      throw err;
    }
  }

  /**
   * Gives the token `tokenId` a new secret, only while it still has `previousHash` and was never
   * used: the Idempotency-Key retry of a create whose first attempt committed but never answered
   * (so nobody holds the first secret). False when the condition failed.
   */
  async replaceUnusedSecret(userId: string, tokenId: string, previousHash: string, secretHash: string): Promise<boolean> {
    try {
      await this.store.update({
        Key: this.keys.personalToken(userId, tokenId),
        UpdateExpression: 'SET secretHash = :new',
        ConditionExpression: 'secretHash = :previous AND attribute_not_exists(lastUsedAt)',
        ExpressionAttributeValues: { ':new': secretHash, ':previous': previousHash },
      });
      return true;
    } catch (err) {
      if (isConditionFailed(err)) return false;
      throw err;
    }
  }

  /** One token (strongly consistent: a revoke is seen at once), or null. */
  async get(userId: string, tokenId: string): Promise<PersonalTokenRecord | null> {
    const item = await this.store.get({ Key: this.keys.personalToken(userId, tokenId), ConsistentRead: true });
    return item ? fromItem(item) : null;
  }

  /** Every token of the user, newest first (at most `max`: one Query page). */
  async list(userId: string): Promise<PersonalTokenRecord[]> {
    const items = await this.store.queryAll({
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: { ':pk': this.keys.userPk(userId), ':prefix': this.keys.personalTokenSkPrefix },
      ConsistentRead: true,
      ScanIndexForward: false,
    });
    return items.map(fromItem);
  }

  /**
   * Whether the user has `max` tokens already (one strongly consistent GetItem of the count
   * item). A hint read before a create that costs something to attempt (a two-factor code
   * spent): the create's own transaction still decides (two at once at 19 both see room).
   */
  async isFull(userId: string): Promise<boolean> {
    const item = await this.store.get({ Key: this.keys.personalTokenCount(userId), ConsistentRead: true });
    return typeof item?.count === 'number' && item.count >= this.max;
  }

  /** Deletes the token and gives its place back in the count, in one transaction; false when there was none. */
  async remove(userId: string, tokenId: string): Promise<boolean> {
    try {
      await this.store.transactWrite([
        { Delete: { Key: this.keys.personalToken(userId, tokenId), ConditionExpression: 'attribute_exists(pk)' } },
        giveBackPlace(this.count(userId)),
      ]);
      return true;
    } catch (err) {
      if (conditionFailedAt(err, 0)) return false;
      throw err;
    }
  }

  /**
   * Records a use at `now`, only if the token still exists and its last recorded use is older
   * than `staleBefore` (so concurrent requests of the same hour write once, and a revoked token
   * is not brought back).
   */
  async touch(userId: string, tokenId: string, now: string, staleBefore: string): Promise<void> {
    try {
      await this.store.update({
        Key: this.keys.personalToken(userId, tokenId),
        UpdateExpression: 'SET lastUsedAt = :now',
        ConditionExpression: 'attribute_exists(pk) AND (attribute_not_exists(lastUsedAt) OR lastUsedAt < :staleBefore)',
        ExpressionAttributeValues: { ':now': now, ':staleBefore': staleBefore },
      });
    } catch (err) {
      if (!isConditionFailed(err)) throw err;
    }
  }

  /** Removes every token of a user and the count (account deletion). Idempotent. */
  async deleteAllForUser(userId: string): Promise<void> {
    const tokens = await this.store.queryAll({
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: { ':pk': this.keys.userPk(userId), ':prefix': this.keys.personalTokenSkPrefix },
      ProjectionExpression: 'pk, sk',
      ConsistentRead: true,
    });
    const keys = tokens.map((i) => ({ pk: i.pk as string, sk: i.sk as string }));
    await this.store.batchDelete([...keys, this.keys.personalTokenCount(userId)]);
  }

  /** The user's token count (counted from their first token). */
  private count(userId: string): CappedCount {
    return { Key: this.keys.personalTokenCount(userId), max: this.max, kind: 'personal-token-count' };
  }

  private toItem(record: PersonalTokenRecord): Record<string, unknown> {
    return {
      ...this.keys.personalToken(record.userId, record.tokenId),
      kind: 'personal-token',
      userId: record.userId,
      tokenId: record.tokenId,
      name: record.name,
      scope: record.scope,
      epoch: record.epoch,
      secretHash: record.secretHash,
      createdAt: record.createdAt,
      // Not `expiresAt`, the table's TTL attribute: no TTL removes a token, since that would not
      // give its place back in the count. An expired token is refused by the clock and stays
      // listed (and counted) until its owner deletes it, as GitHub's do.
      validUntil: record.expiresAt,
    };
  }
}

function fromItem(item: Record<string, unknown>): PersonalTokenRecord {
  return {
    userId: String(item.userId),
    tokenId: String(item.tokenId),
    name: String(item.name),
    scope: item.scope === 'write' ? 'write' : 'read',
    epoch: typeof item.epoch === 'number' ? item.epoch : 0,
    secretHash: String(item.secretHash),
    createdAt: String(item.createdAt),
    expiresAt: String(item.validUntil),
    lastUsedAt: typeof item.lastUsedAt === 'string' ? item.lastUsedAt : null,
  };
}
