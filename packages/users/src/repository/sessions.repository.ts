import { conditionFailedAt, isConditionFailed, type ModuleStore } from '@budgeting/platform';
import type { UsersKeys } from './keys';
import type { TransactItem } from './transact';

/**
 * Refresh-token families ("sessions"). One sign-in starts a family; every refresh rotates it:
 * the presented token is marked `rotated`, a new one is issued, and the family's
 * `currentHash` moves to it, all in ONE transaction conditioned on the old state. Two
 * concurrent refreshes of the same token therefore cannot both succeed, and a token that was
 * already rotated is recognisable later (reuse => the family is revoked).
 *
 * Only SHA-256 hashes of tokens are stored. Every item carries `expiresAt` so DynamoDB TTL
 * removes it eventually; reads still compare `expiresAt` with the clock because TTL deletion
 * lags.
 */
export interface SessionRecord {
  userId: string;
  familyId: string;
  /** Hash of the one token of the family that may be used next; absent once revoked. */
  currentHash?: string;
  generation: number;
  createdAt: string;
  lastRotatedAt: string;
  expiresAt: number;
  revokedAt?: string;
  revokedReason?: RevokeReason;
}

export interface RefreshTokenRecord {
  tokenHash: string;
  userId: string;
  familyId: string;
  generation: number;
  status: 'active' | 'rotated';
  issuedAt: string;
  expiresAt: number;
  /** When it was spent (rotated tokens). */
  rotatedAt?: string;
  /** The pair its rotation handed out, sealed with this token (see sealed-successor.ts). */
  successor?: string;
}

export type RevokeReason = 'logout' | 'reuse-detected';

/** A token about to be issued: where it belongs and when it stops working. */
export interface IssuedToken {
  tokenHash: string;
  userId: string;
  familyId: string;
  generation: number;
  issuedAt: string;
  expiresAt: number;
}

export type RotateOutcome = 'rotated' | 'token-not-active' | 'session-revoked' | 'user-gone';

export class SessionsRepository {
  constructor(
    private readonly store: ModuleStore,
    private readonly keys: UsersKeys,
  ) {}

  /** The writes that start a new family with its first token (no condition on the user). */
  startItems(first: IssuedToken): TransactItem[] {
    const session: SessionRecord & { pk: string; sk: string; kind: 'session' } = {
      ...this.keys.session(first.userId, first.familyId),
      kind: 'session',
      userId: first.userId,
      familyId: first.familyId,
      currentHash: first.tokenHash,
      generation: first.generation,
      createdAt: first.issuedAt,
      lastRotatedAt: first.issuedAt,
      expiresAt: first.expiresAt,
    };
    return [
      { Put: { Item: session, ConditionExpression: 'attribute_not_exists(pk)' } },
      this.putToken(first),
    ];
  }

  /** Starts a family for an existing user; 'user-gone' if the account was deleted meanwhile. */
  async start(first: IssuedToken): Promise<'created' | 'user-gone'> {
    try {
      await this.store.transactWrite([this.userExists(first.userId), ...this.startItems(first)]);
      return 'created';
    } catch (err) {
      if (conditionFailedAt(err, 0)) return 'user-gone';
      throw err;
    }
  }

  async getToken(tokenHash: string): Promise<RefreshTokenRecord | null> {
    const item = await this.store.get({ Key: this.keys.refreshToken(tokenHash), ConsistentRead: true });
    if (!item) return null;
    return {
      tokenHash: item.tokenHash as string,
      userId: item.userId as string,
      familyId: item.familyId as string,
      generation: item.generation as number,
      status: item.status as RefreshTokenRecord['status'],
      issuedAt: item.issuedAt as string,
      expiresAt: item.expiresAt as number,
      ...(typeof item.rotatedAt === 'string' ? { rotatedAt: item.rotatedAt } : {}),
      ...(typeof item.successor === 'string' ? { successor: item.successor } : {}),
    };
  }

  async getSession(userId: string, familyId: string): Promise<SessionRecord | null> {
    const item = await this.store.get({ Key: this.keys.session(userId, familyId), ConsistentRead: true });
    return (item as SessionRecord | undefined) ?? null;
  }

  /**
   * Rotates `current` to `next` atomically. Each condition names one way the rotation can be
   * refused, and the index of the failed one tells which (see RotateOutcome).
   */
  async rotate(current: RefreshTokenRecord, next: IssuedToken, sealedSuccessor: string, nowSeconds: number): Promise<RotateOutcome> {
    try {
      await this.store.transactWrite([
        {
          Update: {
            Key: this.keys.refreshToken(current.tokenHash),
            UpdateExpression: 'SET #status = :rotated, rotatedAt = :at, successor = :successor',
            ConditionExpression: '#status = :active AND expiresAt > :now',
            ExpressionAttributeNames: { '#status': 'status' },
            ExpressionAttributeValues: {
              ':rotated': 'rotated',
              ':active': 'active',
              ':at': next.issuedAt,
              ':successor': sealedSuccessor,
              ':now': nowSeconds,
            },
          },
        },
        {
          Update: {
            Key: this.keys.session(current.userId, current.familyId),
            UpdateExpression: 'SET currentHash = :next, generation = :generation, lastRotatedAt = :at, expiresAt = :expiresAt',
            ConditionExpression: 'currentHash = :current AND attribute_not_exists(revokedAt)',
            ExpressionAttributeValues: {
              ':next': next.tokenHash,
              ':current': current.tokenHash,
              ':generation': next.generation,
              ':at': next.issuedAt,
              ':expiresAt': next.expiresAt,
            },
          },
        },
        this.putToken(next),
        this.userExists(current.userId),
      ]);
      return 'rotated';
    } catch (err) {
      if (conditionFailedAt(err, 0)) return 'token-not-active';
      if (conditionFailedAt(err, 1)) return 'session-revoked';
      if (conditionFailedAt(err, 3)) return 'user-gone';
      throw err;
    }
  }

  /** Ends a family: none of its tokens can be refreshed any more. Idempotent. */
  async revoke(userId: string, familyId: string, reason: RevokeReason, at: string): Promise<void> {
    try {
      await this.store.update({
        Key: this.keys.session(userId, familyId),
        UpdateExpression: 'SET revokedAt = if_not_exists(revokedAt, :at), revokedReason = if_not_exists(revokedReason, :reason) REMOVE currentHash',
        ConditionExpression: 'attribute_exists(pk)',
        ExpressionAttributeValues: { ':at': at, ':reason': reason },
      });
    } catch (err) {
      if (!isConditionFailed(err)) throw err;
    }
  }

  /** Removes every family and refresh token of a user (account deletion). Idempotent. */
  async deleteAllForUser(userId: string): Promise<void> {
    const sessions = await this.store.queryAll({
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: { ':pk': this.keys.userPk(userId), ':prefix': this.keys.sessionSkPrefix },
      ProjectionExpression: 'pk, sk',
      ConsistentRead: true,
    });
    // gsi1 is eventually consistent: a token written in the last instant may be missed. It is
    // harmless (its family is gone, so it can never be refreshed) and TTL removes it.
    const tokens = await this.store.queryAll({
      IndexName: 'gsi1',
      KeyConditionExpression: 'gsi1pk = :pk AND begins_with(gsi1sk, :prefix)',
      ExpressionAttributeValues: { ':pk': this.keys.userPk(userId), ':prefix': this.keys.refreshTokenIndexSkPrefix },
      ProjectionExpression: 'pk, sk',
    });
    const keys = [...sessions, ...tokens].map((i) => ({ pk: i.pk as string, sk: i.sk as string }));
    await this.store.batchDelete(keys);
  }

  private putToken(token: IssuedToken): TransactItem {
    const item: RefreshTokenRecord & Record<string, unknown> = {
      ...this.keys.refreshToken(token.tokenHash),
      kind: 'refresh-token',
      gsi1pk: this.keys.userPk(token.userId),
      gsi1sk: this.keys.refreshTokenIndexSk(token.familyId, token.generation),
      tokenHash: token.tokenHash,
      userId: token.userId,
      familyId: token.familyId,
      generation: token.generation,
      status: 'active',
      issuedAt: token.issuedAt,
      expiresAt: token.expiresAt,
    };
    return { Put: { Item: item, ConditionExpression: 'attribute_not_exists(pk)' } };
  }

  private userExists(userId: string): TransactItem {
    return { ConditionCheck: { Key: this.keys.profile(userId), ConditionExpression: 'attribute_exists(pk)' } };
  }
}
