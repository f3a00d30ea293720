import { conditionFailedAt, isConditionFailed, type Key, type ModuleStore } from '@budgeting/platform';
import type { PlacesWrite } from '../domain/sign-in-place';
import { knownPlacesClauses, namesIfAny, updateExpression } from './known-places-update';
import type { UsersKeys } from './keys';
import { sessionEpochIs } from './session-epoch';
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
 *
 * A family and each of its tokens carry the `epoch` (User.sessionEpoch) the family was started
 * in; starting and rotating require the profile to still have it, so a password change (which
 * raises it) ends every older family at once. Items written before epochs existed have none:
 * read as 0, like a profile without one.
 */
export interface SessionRecord {
  userId: string;
  familyId: string;
  /** Hash of the one token of the family that may be used next; absent once revoked. */
  currentHash?: string;
  generation: number;
  /** The profile's session epoch when the family started (absent on older items: 0). */
  epoch?: number;
  createdAt: string;
  /** The last refresh (the start, until the first one). */
  lastRotatedAt: string;
  /** TTL: the current token's expiry (its 30 days, capped at sessionExpiresAt). */
  expiresAt: number;
  /**
   * The session's absolute end (seconds): its sign-in + the maximum lifetime, past which no
   * refresh is accepted. Absent on families written before it existed, until their first
   * refresh after it (which counts the lifetime from then).
   */
  sessionExpiresAt?: number;
  revokedAt?: string;
  revokedReason?: RevokeReason;
}

export interface RefreshTokenRecord {
  tokenHash: string;
  userId: string;
  familyId: string;
  generation: number;
  /** Its family's epoch (absent on older items: 0). */
  epoch: number;
  status: 'active' | 'rotated';
  issuedAt: string;
  expiresAt: number;
  /** When it was spent (rotated tokens). */
  rotatedAt?: string;
  /** The pair its rotation handed out, sealed with this token (see sealed-successor.ts). */
  successor?: string;
  /**
   * When its session signed in (seconds since the epoch), copied to every token of the family
   * so a refresh signs the access token with the original sign-in time (`auth_time`), not the
   * refresh's. Absent on tokens written before it existed: their session's sign-in time is
   * unknown (and never recent).
   */
  authTime?: number;
  /** Its session's absolute end (see SessionRecord.sessionExpiresAt); absent on older tokens. */
  sessionExpiresAt?: number;
  /**
   * Set on the token that was current at its session's absolute end, once a refresh past the end
   * found the session ended: presenting it again is refused with no write (SessionService.refresh).
   */
  sessionEnded?: boolean;
}

/**
 * 'too-many-ended': more sessions ended in one window than the profile keeps, so all were
 * (domain/revoked-sessions.ts); 'lifetime-ended': a refresh came past the session's absolute end.
 */
export type RevokeReason = 'logout' | 'reuse-detected' | 'signed-out' | 'password-changed' | 'too-many-ended' | 'mfa-reset' | 'suspended' | 'lifetime-ended';

/** A family as the session list shows it (older items may lack the timestamps). */
export interface ActiveSession {
  familyId: string;
  createdAt?: string;
  lastRotatedAt?: string;
  sessionExpiresAt?: number;
}

/** At most this many session items are read per list request (see activePage). */
const LIST_READ_ROUNDS = 5;
const LIST_READ_BATCH = 100;

/** Families read per page of markPageBeforeEpoch, and marked at once (UpdateItem requests in flight). */
const MARK_PAGE = 100;
const MARK_AT_ONCE = 10;

/** A token about to be issued: where it belongs and when it stops working. */
export interface IssuedToken {
  tokenHash: string;
  userId: string;
  familyId: string;
  generation: number;
  epoch: number;
  issuedAt: string;
  /** Its own expiry: 30 days after its issue, or its session's end if that comes first. */
  expiresAt: number;
  /** Its session's sign-in time (see RefreshTokenRecord.authTime); absent when unknown. */
  authTime?: number;
  /** Its session's absolute end (see SessionRecord.sessionExpiresAt). */
  sessionExpiresAt: number;
}

/**
 * What a sign-in writes besides its session, in the same transaction: the profile's known
 * places when they change, and the new-place event to the outbox when it is one.
 */
export interface SignInWrites {
  /** Only what changed (by map path), or the whole map for a profile without one. */
  knownPlaces?: PlacesWrite;
  writes?: TransactItem[];
}

/** 'user-gone': the account was deleted, or a password change ended the family's epoch. */
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
      epoch: first.epoch,
      createdAt: first.issuedAt,
      lastRotatedAt: first.issuedAt,
      expiresAt: first.expiresAt,
      sessionExpiresAt: first.sessionExpiresAt,
    };
    return [
      { Put: { Item: session, ConditionExpression: 'attribute_not_exists(pk)' } },
      this.putToken(first),
    ];
  }

  /**
   * Starts a family for an existing user; 'user-gone' if the account was deleted meanwhile or
   * its password changed since `first.epoch` was read.
   */
  async start(first: IssuedToken, also: SignInWrites = {}): Promise<'created' | 'user-gone'> {
    const profile = also.knownPlaces ? this.epochHoldsRecordingPlaces(first.userId, first.epoch, also.knownPlaces) : this.epochHolds(first.userId, first.epoch);
    try {
      await this.store.transactWrite([profile, ...this.startItems(first), ...(also.writes ?? [])]);
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
      epoch: typeof item.epoch === 'number' ? item.epoch : 0,
      status: item.status as RefreshTokenRecord['status'],
      issuedAt: item.issuedAt as string,
      expiresAt: item.expiresAt as number,
      ...(typeof item.rotatedAt === 'string' ? { rotatedAt: item.rotatedAt } : {}),
      ...(typeof item.successor === 'string' ? { successor: item.successor } : {}),
      ...(typeof item.authTime === 'number' ? { authTime: item.authTime } : {}),
      ...(typeof item.sessionExpiresAt === 'number' ? { sessionExpiresAt: item.sessionExpiresAt } : {}),
      ...(item.sessionEnded === true ? { sessionEnded: true } : {}),
    };
  }

  /** Marks a token whose session is known to be over (RefreshTokenRecord.sessionEnded); a token TTL already removed is left gone. */
  async markSessionEnded(tokenHash: string): Promise<void> {
    try {
      await this.store.update(this.sessionEndedMark(tokenHash));
    } catch (err) {
      if (!isConditionFailed(err)) throw err;
    }
  }

  private sessionEndedMark(tokenHash: string) {
    return {
      Key: this.keys.refreshToken(tokenHash),
      UpdateExpression: 'SET sessionEnded = :true',
      ConditionExpression: 'attribute_exists(pk)',
      ExpressionAttributeValues: { ':true': true },
    };
  }

  /**
   * The family and the user's profile item, both strongly consistent, in ONE BatchGetItem (sign
   * out by id: inside the request it also carries the account check's queued profile read, so
   * the family costs one more key of that request, not a request of its own).
   */
  async getSessionAndProfile(userId: string, familyId: string): Promise<{ session: SessionRecord | null; profile: Record<string, unknown> | null }> {
    const profileKey = this.keys.profile(userId);
    const sessionKey = this.keys.session(userId, familyId);
    const items = await this.store.batchGet([profileKey, sessionKey], true);
    const find = (key: { pk: string; sk: string }) => items.find((i) => i.pk === key.pk && i.sk === key.sk) ?? null;
    return { session: find(sessionKey) as SessionRecord | null, profile: find(profileKey) };
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
            // sessionExpiresAt is the family's own value again, or (a family from before it) set by this first refresh.
            UpdateExpression: 'SET currentHash = :next, generation = :generation, lastRotatedAt = :at, expiresAt = :expiresAt, sessionExpiresAt = :sessionExpiresAt',
            ConditionExpression: 'currentHash = :current AND attribute_not_exists(revokedAt)',
            ExpressionAttributeValues: {
              ':next': next.tokenHash,
              ':current': current.tokenHash,
              ':generation': next.generation,
              ':at': next.issuedAt,
              ':expiresAt': next.expiresAt,
              ':sessionExpiresAt': next.sessionExpiresAt,
            },
          },
        },
        this.putToken(next),
        this.epochHolds(current.userId, current.epoch),
      ]);
      return 'rotated';
    } catch (err) {
      if (conditionFailedAt(err, 0)) return 'token-not-active';
      if (conditionFailedAt(err, 1)) return 'session-revoked';
      if (conditionFailedAt(err, 3)) return 'user-gone';
      throw err;
    }
  }

  /**
   * Marks a family ended: none of its tokens can be refreshed any more. Idempotent. Alone it
   * leaves the family's access tokens their lifetime: for bookkeeping after a session-epoch move
   * (which refuses them already); ending a live session is `end`.
   */
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

  /**
   * Ends a family together with `profileWrite` (the write that records it as ended on the
   * profile, see domain/revoked-sessions.ts), in ONE transaction: its refreshes and its access
   * tokens stop together. `activeOnly` (sign out a device): only a family of this user that is
   * not revoked and whose `expiresAt` is after `expiresAfter` (SessionEnding: now less the clock slack); otherwise (logout, reuse) any family not revoked yet, whatever
   * its expiry. `profileWrite` null: a family none of whose access tokens can be live, so
   * nothing is recorded on the profile; `currentHash` then requires the family's current token
   * to still be the one that showed it (a refresh meanwhile would have issued a live one), and
   * `markToken` also marks that token (RefreshTokenRecord.sessionEnded) in the same transaction.
   * 'not-active': no such family (nothing written; another user's id lands in this user's
   * partition and finds nothing; or its current token moved on); 'profile-refused': the profile
   * write's condition failed (the profile is gone, or changed since it was planned: plan again).
   */
  async end(
    userId: string,
    familyId: string,
    ending: { reason: RevokeReason; at: string; activeOnly?: { expiresAfter: number }; currentHash?: string; markToken?: string },
    profileWrite: TransactItem | null,
    /** Items the same transaction carries last (the sessions cleanup unit when every session ends). */
    also: TransactItem[] = [],
  ): Promise<'ended' | 'not-active' | 'profile-refused'> {
    const active = ending.activeOnly ? ' AND expiresAt > :expiresAfter' : '';
    const current = ending.currentHash !== undefined ? ' AND currentHash = :current' : '';
    try {
      await this.store.transactWrite([
        {
          Update: {
            Key: this.keys.session(userId, familyId),
            UpdateExpression: 'SET revokedAt = :at, revokedReason = :reason REMOVE currentHash',
            ConditionExpression: `attribute_exists(pk) AND attribute_not_exists(revokedAt)${active}${current}`,
            ExpressionAttributeValues: {
              ':at': ending.at,
              ':reason': ending.reason,
              ...(ending.activeOnly ? { ':expiresAfter': ending.activeOnly.expiresAfter } : {}),
              ...(ending.currentHash !== undefined ? { ':current': ending.currentHash } : {}),
            },
          },
        },
        ...(profileWrite ? [profileWrite] : []),
        ...(ending.markToken !== undefined ? [{ Update: this.sessionEndedMark(ending.markToken) }] : []),
        ...also,
      ]);
      return 'ended';
    } catch (err) {
      if (conditionFailedAt(err, 0)) return 'not-active';
      // Without a profile write, item 1 is the token's mark: the token is gone (its TTL), so is the session.
      if (conditionFailedAt(err, 1)) return profileWrite ? 'profile-refused' : 'not-active';
      throw err;
    }
  }

  /**
   * Marks every not yet revoked family of the user from an epoch before `epoch` revoked
   * (after the epoch was raised to `epoch`), page by page in this one call: for the operator
   * operations (suspension, two-factor reset), run from an operator's terminal. A password
   * change's and a full window of ended sessions' marks are a job's instead (markPageBeforeEpoch). Bookkeeping only: the epoch already
   * refuses their refreshes, so a failure half-way leaves nothing usable; and a family started in
   * the new epoch meanwhile (a sign-in with the new password) is left alone.
   */
  async revokeBeforeEpoch(userId: string, epoch: number, reason: RevokeReason, at: string): Promise<void> {
    let after: string | undefined;
    do after = (await this.markPageBeforeEpoch(userId, epoch, reason, at, after)).lastFamilyId;
    while (after !== undefined);
  }

  /**
   * One page of revokeBeforeEpoch: reads up to MARK_PAGE families after `after` (a family id;
   * oldest first), marks those of an earlier epoch not revoked yet (MARK_AT_ONCE at a time), and
   * returns how many and the last family read: undefined when the partition's sessions are all
   * read. Idempotent (revoke keeps the first mark), so a page worked twice marks nothing new.
   */
  async markPageBeforeEpoch(userId: string, epoch: number, reason: RevokeReason, at: string, after?: string): Promise<{ marked: number; lastFamilyId?: string }> {
    const page = await this.store.query({
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      FilterExpression: 'attribute_not_exists(revokedAt) AND (attribute_not_exists(epoch) OR epoch < :epoch)',
      ExpressionAttributeValues: { ':pk': this.keys.userPk(userId), ':prefix': this.keys.sessionSkPrefix, ':epoch': epoch },
      ProjectionExpression: 'familyId',
      ConsistentRead: true,
      Limit: MARK_PAGE,
      ...(after !== undefined ? { ExclusiveStartKey: this.keys.session(userId, after) } : {}),
    });
    const older = page.items.map((i) => i.familyId as string);
    for (let i = 0; i < older.length; i += MARK_AT_ONCE) {
      await Promise.all(older.slice(i, i + MARK_AT_ONCE).map((familyId) => this.revoke(userId, familyId, reason, at)));
    }
    const lastSk = page.lastKey?.sk;
    return { marked: older.length, ...(typeof lastSk === 'string' ? { lastFamilyId: lastSk.slice(this.keys.sessionSkPrefix.length) } : {}) };
  }

  /**
   * One page of the user's active families, newest first: not revoked, not expired, of the
   * profile's current `epoch`. The filter runs after the read, so up to LIST_READ_ROUNDS reads
   * of LIST_READ_BATCH items are made to fill the page and find one more (so the page holding the
   * last one has no cursor); a user with more revoked families than
   * that before the next active one gets a short page with a cursor (only a null cursor means
   * the end).
   */
  async activePage(
    userId: string,
    epoch: number,
    nowSeconds: number,
    limit: number,
    startKey?: Record<string, unknown>,
  ): Promise<{ items: ActiveSession[]; lastKey?: Record<string, unknown> }> {
    const filters = ['attribute_not_exists(revokedAt)', 'expiresAt > :now', ...(epoch > 0 ? ['epoch = :epoch'] : [])];
    const kept: Record<string, unknown>[] = [];
    let lastKey = startKey;
    for (let round = 0; round < LIST_READ_ROUNDS; round++) {
      const page = await this.store.query({
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
        FilterExpression: filters.join(' AND '),
        ExpressionAttributeValues: {
          ':pk': this.keys.userPk(userId),
          ':prefix': this.keys.sessionSkPrefix,
          ':now': nowSeconds,
          ...(epoch > 0 ? { ':epoch': epoch } : {}),
        },
        ScanIndexForward: false,
        ConsistentRead: true,
        Limit: LIST_READ_BATCH,
        ExclusiveStartKey: lastKey,
      });
      kept.push(...page.items);
      lastKey = page.lastKey;
      if (kept.length > limit) {
        // More than the page holds: the next page starts after the last item shown. Exactly
        // `limit` is not enough to know: a full batch comes with DynamoDB's LastEvaluatedKey
        // even when nothing follows, and a full last page then had a cursor to a page of nothing.
        lastKey = { pk: kept[limit - 1]!.pk, sk: kept[limit - 1]!.sk };
        kept.length = limit;
        break;
      }
      if (!lastKey) break;
    }
    return {
      items: kept.map((i) => ({
        familyId: i.familyId as string,
        ...(typeof i.createdAt === 'string' ? { createdAt: i.createdAt } : {}),
        ...(typeof i.lastRotatedAt === 'string' ? { lastRotatedAt: i.lastRotatedAt } : {}),
        ...(typeof i.sessionExpiresAt === 'number' ? { sessionExpiresAt: i.sessionExpiresAt } : {}),
      })),
      ...(lastKey ? { lastKey } : {}),
    };
  }

  /**
   * Up to `limit` keys of what account deletion leaves of the user's sessions (the deletion job
   * deletes them with platform deleteInSteps, which reads a slice anew after each): the families
   * first (a strongly consistent query of the user's partition), then, once none is left, the
   * refresh tokens through gsi1. gsi1 is eventually consistent: a token written in the last
   * instant may be missed, or one just deleted listed again (deleted again: harmless). A missed
   * one is harmless as well (its family is gone, so it can never be refreshed) and TTL removes it.
   *
   * Last, what DELETE /v1/me deletes after its transaction (the personal access tokens and their
   * count, the data exports and their gate: `accountLeftoverSkPrefixes`), found only when that
   * request died in between: none of them has a TTL that removes it (the gate and the tokens
   * none at all), and a retry of the deletion finds no account. This unit is an item of the
   * deletion's transaction, so it runs whenever the deletion committed. The audit records stay.
   */
  async deletionSlice(userId: string, limit: number): Promise<Key[]> {
    const inPartition = (prefix: string) =>
      this.store.query({
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
        ExpressionAttributeValues: { ':pk': this.keys.userPk(userId), ':prefix': prefix },
        ProjectionExpression: 'pk, sk',
        ConsistentRead: true,
        Limit: limit,
      });
    const refreshTokens = () =>
      this.store.query({
        IndexName: 'gsi1',
        KeyConditionExpression: 'gsi1pk = :pk AND begins_with(gsi1sk, :prefix)',
        ExpressionAttributeValues: { ':pk': this.keys.userPk(userId), ':prefix': this.keys.refreshTokenIndexSkPrefix },
        ProjectionExpression: 'pk, sk',
        Limit: limit,
      });
    const slices = [() => inPartition(this.keys.sessionSkPrefix), refreshTokens, ...this.keys.accountLeftoverSkPrefixes.map((prefix) => () => inPartition(prefix))];
    for (const slice of slices) {
      const page = await slice();
      if (page.items.length > 0) return page.items.map((i) => ({ pk: i.pk as string, sk: i.sk as string }));
    }
    return [];
  }

  /**
   * A slice of up to `limit` keys of the given sign-in throttle partitions (an address's counters
   * and known clients: ThrottleKeys `partitions`), the first partition with any first; empty when
   * all are. For the job's `sign-in-counters` unit (platform deleteInSteps).
   */
  async signInCountersSlice(partitions: readonly string[], limit: number): Promise<Key[]> {
    for (const pk of partitions) {
      const page = await this.store.query({ KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': pk }, ProjectionExpression: 'pk, sk', ConsistentRead: true, Limit: limit });
      if (page.items.length > 0) return page.items.map((i) => ({ pk: i.pk as string, sk: i.sk as string }));
    }
    return [];
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
      epoch: token.epoch,
      status: 'active',
      issuedAt: token.issuedAt,
      expiresAt: token.expiresAt,
      ...(token.authTime !== undefined ? { authTime: token.authTime } : {}),
      sessionExpiresAt: token.sessionExpiresAt,
    };
    return { Put: { Item: item, ConditionExpression: 'attribute_not_exists(pk)' } };
  }

  /**
   * The same condition as epochHolds, as an Update that also writes the account's known sign-in
   * places (domain/sign-in-place.ts): the profile is already in the session's transaction, so a
   * new place costs no request of its own. Only the changed entries are written, by map path
   * (knownPlacesClauses): of two sign-ins from two new places at the same instant both places
   * land (a profile without the map yet gets it whole: there the later may still drop the other).
   */
  private epochHoldsRecordingPlaces(userId: string, epoch: number, places: PlacesWrite): TransactItem {
    const holds = sessionEpochIs(epoch);
    const clauses = knownPlacesClauses(places);
    return {
      Update: {
        Key: this.keys.profile(userId),
        UpdateExpression: updateExpression(clauses.set, clauses.remove),
        ConditionExpression: `attribute_exists(pk) AND ${holds.condition}`,
        ...namesIfAny(clauses.names),
        ExpressionAttributeValues: { ...holds.values, ...clauses.values },
      },
    };
  }

  /** The profile exists and no password change has raised its session epoch past `epoch`. */
  private epochHolds(userId: string, epoch: number): TransactItem {
    const holds = sessionEpochIs(epoch);
    return {
      ConditionCheck: {
        Key: this.keys.profile(userId),
        ConditionExpression: `attribute_exists(pk) AND ${holds.condition}`,
        ExpressionAttributeValues: holds.values,
      },
    };
  }
}
