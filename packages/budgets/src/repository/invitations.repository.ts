import { capRefused, conditionFailedAt, epochSeconds, giveBackPlace, takePlace, type CountAlso, type ModuleStore } from '@budgeting/platform';
import type { Invitation, Member } from '../model';
import { membershipAdditionWrites } from './members.repository';
import type { BudgetsKeys, TransactItem } from './keys';
import { PRESENT_NOT_ARCHIVED } from './conditions';

const KIND = 'invitation';
const COUNT_KIND = 'invitation-count';

/** An invitation as stored: its key part and, once the mail job has made it, its secret's hash. */
export interface InvitationRecord extends Invitation {
  emailKey: string;
  /** base64url SHA-256 of the secret the last mail carried; absent until the job has run. */
  secretHash?: string;
}

interface InvitationItem extends Omit<InvitationRecord, 'expiresAt'> {
  pk: string;
  sk: string;
  kind: typeof KIND;
  /** The table's TTL attribute (epoch seconds): DynamoDB removes the item some time after. */
  expiresAt: number;
  [attribute: string]: unknown;
}

export type CreateInvitationOutcome = 'created' | 'exists' | 'budget-gone' | 'full' | 'key-taken';
/** 'account-changed', 'former-changed': as MembersRepository.add's (AddOutcome). */
export type AcceptOutcome = 'ok' | 'invitation-gone' | 'budget-gone-or-full' | 'already-member' | 'account-changed' | 'former-changed' | 'key-taken';

/**
 * Every create, revoke and accept also adds one to the count item's `moves`, which only grows:
 * what a recount conditions on (a condition on the count's value alone let a revoke and a
 * create between its reads and its write leave the count as read, so it set one live
 * invitation too few and a 21st was let in).
 */
const MOVED: CountAlso = { add: 'moves :one', values: {} };

/**
 * A budget's invitations (keys.ts: a partition per budget, one item per invitee email, and a
 * count item). The count moves in the same transaction as every create, revoke and accept, so
 * concurrent invites cannot pass MAX_PENDING_INVITATIONS together (the expenses module's
 * CappedCollection technique). Expired invitations leave through the table's TTL, which does not
 * move the count: a create that finds the count full recounts (`recount`) before refusing.
 */
export class InvitationsRepository {
  constructor(
    private readonly store: ModuleStore,
    private readonly keys: BudgetsKeys,
  ) {}

  /** Every stored invitation of a budget, expired ones included (strongly consistent; about 20 items). */
  async all(budgetId: string): Promise<InvitationRecord[]> {
    const items = await this.store.queryAll<InvitationItem>({
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: { ':pk': this.keys.invitationsPk(budgetId), ':prefix': this.keys.invitationSkPrefix },
      ConsistentRead: true,
    });
    return items.map(fromItem);
  }

  async byId(budgetId: string, id: string): Promise<InvitationRecord | null> {
    return (await this.all(budgetId)).find((i) => i.id === id) ?? null;
  }

  async byEmailKey(budgetId: string, emailKey: string): Promise<InvitationRecord | null> {
    const item = await this.store.get<InvitationItem>({ Key: this.keys.invitation(budgetId, emailKey), ConsistentRead: true });
    return item ? fromItem(item) : null;
  }

  /**
   * A new invitation (no item for its email yet), counted, while the budget exists, is not
   * archived (an archive committed after the caller's access read fails it: docs/budget-lifecycle.md "Archiving a
   * budget") and has room. 'budget-gone': gone or archived, the service re-reads which.
   * `alsoWrite`: the mail's job unit and a keyed invite's lease completion ('key-taken' when its
   * condition failed: the lease was taken over, nothing written).
   */
  async create(invitation: InvitationRecord, max: number, alsoWrite: TransactItem[] = []): Promise<CreateInvitationOutcome> {
    try {
      await this.store.transactWrite([
        { Put: { Item: toItem(this.keys, invitation), ConditionExpression: 'attribute_not_exists(pk)' } },
        this.activeBudgetCheck(invitation.budgetId),
        takePlace({ Key: this.keys.invitationCount(invitation.budgetId), max, kind: COUNT_KIND }, MOVED),
        ...alsoWrite,
      ]);
      return 'created';
    } catch (err) {
      if (conditionFailedAt(err, 0)) return 'exists';
      if (conditionFailedAt(err, 1)) return 'budget-gone';
      if (capRefused(err, 2)) return 'full';
      if (alsoWrite.some((_, n) => conditionFailedAt(err, 3 + n))) return 'key-taken';
      throw err;
    }
  }

  /**
   * Replaces the invitation stored for the same email (re-invite): new id/role/inviter/expiry
   * and nonce, and the secret's hash REMOVED, so the old link stops working at once (the mail
   * job sets the new one). Only if it is still the one read (its nonce): 'changed' otherwise;
   * and only while the budget exists and is not archived, checked in the same transaction (an
   * archive committed after the caller's access read fails it): 'budget-gone' otherwise.
   * Already counted: the count does not move. `alsoWrite` as for `create`.
   */
  async replace(previous: InvitationRecord, next: InvitationRecord, alsoWrite: TransactItem[] = []): Promise<'replaced' | 'changed' | 'budget-gone' | 'key-taken'> {
    try {
      await this.store.transactWrite([
        {
          Update: {
            Key: this.keys.invitation(previous.budgetId, previous.emailKey),
            UpdateExpression: 'SET id = :id, #role = :role, invitedBy = :by, createdAt = :at, expiresAt = :exp, nonce = :nonce REMOVE secretHash',
            ConditionExpression: 'nonce = :previous',
            ExpressionAttributeNames: { '#role': 'role' },
            ExpressionAttributeValues: {
              ':id': next.id,
              ':role': next.role,
              ':by': next.invitedBy,
              ':at': next.createdAt,
              ':exp': epochSeconds(new Date(next.expiresAt)),
              ':nonce': next.nonce,
              ':previous': previous.nonce,
            },
          },
        },
        this.activeBudgetCheck(previous.budgetId),
        ...alsoWrite,
      ]);
      return 'replaced';
    } catch (err) {
      if (conditionFailedAt(err, 0)) return 'changed';
      if (conditionFailedAt(err, 1)) return 'budget-gone';
      if (alsoWrite.some((_, n) => conditionFailedAt(err, 2 + n))) return 'key-taken';
      throw err;
    }
  }

  /** The budget item exists and carries no archivedAt (docs/budget-lifecycle.md "Archiving a budget"). */
  private activeBudgetCheck(budgetId: string) {
    return {
      ConditionCheck: { Key: this.keys.budget(budgetId), ...PRESENT_NOT_ARCHIVED },
    };
  }

  /** The mail job stores the hash of the secret it is about to send, if the invitation is still at `nonce`. */
  async setSecretHash(budgetId: string, emailKey: string, nonce: string, secretHash: string): Promise<boolean> {
    return this.store.updateIf({
      Key: this.keys.invitation(budgetId, emailKey),
      UpdateExpression: 'SET secretHash = :hash',
      ConditionExpression: 'nonce = :nonce',
      ExpressionAttributeValues: { ':hash': secretHash, ':nonce': nonce },
    });
  }

  /** Deletes (revokes) the invitation if it is still the one read, uncounting it. False when it changed or left meanwhile. */
  async remove(invitation: InvitationRecord): Promise<boolean> {
    try {
      await this.store.transactWrite([
        {
          Delete: {
            Key: this.keys.invitation(invitation.budgetId, invitation.emailKey),
            ConditionExpression: 'nonce = :nonce',
            ExpressionAttributeValues: { ':nonce': invitation.nonce },
          },
        },
        this.uncount(invitation.budgetId),
      ]);
      return true;
    } catch (err) {
      if (conditionFailedAt(err, 0)) return false;
      throw err;
    }
  }

  /**
   * Accepting, ONE transaction: the invitation deleted only if it still holds the hash that
   * was matched and has not expired (a re-invite or a concurrent accept makes it fail), the
   * membership added and counted on the budget exactly as MembersRepository.add does (budget
   * exists, member cap, not a member yet, membershipVersion bumped, the accepting account still
   * there, and unchanged when checked with a version: 'account-changed' when that check
   * failed), the invitation uncounted,
   * and `alsoWrite` (the member_added event, the watchers' stale mark, a keyed accept's lease
   * completion: 'key-taken' when one's condition failed, its lease taken over, nothing written).
   */
  async accept(
    invitation: InvitationRecord & { secretHash: string },
    member: Member,
    /** The account's former membership's last version, as read (MembersRepository.formerVersion). */
    formerVersion: number | undefined,
    maxMembers: number,
    now: Date,
    accountCheck: TransactItem,
    alsoWrite: TransactItem[],
  ): Promise<AcceptOutcome> {
    try {
      await this.store.transactWrite([
        {
          Delete: {
            Key: this.keys.invitation(invitation.budgetId, invitation.emailKey),
            ConditionExpression: 'secretHash = :hash AND nonce = :nonce AND expiresAt > :now',
            ExpressionAttributeValues: { ':hash': invitation.secretHash, ':nonce': invitation.nonce, ':now': epochSeconds(now) },
          },
        },
        // [1] the member count, [2] the membership, [3] the account's check, [4] the former membership's: exactly as MembersRepository.add writes them.
        ...membershipAdditionWrites(this.keys, member, maxMembers, accountCheck, formerVersion),
        this.uncount(invitation.budgetId),
        ...alsoWrite,
      ]);
      return 'ok';
    } catch (err) {
      if (conditionFailedAt(err, 0)) return 'invitation-gone';
      if (conditionFailedAt(err, 2)) return 'already-member';
      if (conditionFailedAt(err, 1)) return 'budget-gone-or-full';
      // As MembersRepository.add: the caller's re-read tells a deleted account from a changed one.
      if (conditionFailedAt(err, 3)) return 'account-changed';
      if (conditionFailedAt(err, 4)) return 'former-changed';
      // After the accept's own six items (the invitation, the member count, the membership, the account's check, the former membership's, the uncount).
      if (alsoWrite.some((_, n) => conditionFailedAt(err, 6 + n))) return 'key-taken';
      throw err;
    }
  }

  /**
   * Puts the count right when it says "full": deletes the invitations that have expired but
   * are still stored (each only if unchanged) and sets the count to the live ones, only if no
   * create, revoke or accept moved the count since it was read (its `moves`; otherwise nothing
   * written, the caller retries). The count is read BEFORE the invitations, so every move
   * after the count's read fails the write, and what the invitations' read shows is what the
   * count stood for when written: a re-invite meanwhile keeps its place (live it is counted,
   * expired its delete's condition fails). Invitations the TTL removed are simply not counted
   * any more. The number of live invitations, null when the count moved, 'budget-gone' when
   * the budget item is gone: a budget deleted between the create and this read leaves no count
   * to read, so the "not written yet" condition holds and the count would be re-created behind
   * the budget.deleted cleanup, for good (no expiry; tests/integration/races/budget-lifecycle-races.test.ts).
   */
  async recount(budgetId: string, now: Date): Promise<number | null | 'budget-gone'> {
    const countKey = this.keys.invitationCount(budgetId);
    const count = await this.store.get<{ count?: number; moves?: number }>({ Key: countKey, ConsistentRead: true });
    const stored = await this.all(budgetId);
    const nowSeconds = epochSeconds(now);
    const expired = stored.filter((i) => epochSeconds(new Date(i.expiresAt)) <= nowSeconds).slice(0, 90);
    const live = stored.length - expired.length;
    const read = count?.count ?? 0;
    // A count item written before `moves` was kept: its count as before, and no move since (the first adds `moves`).
    const unmoved =
      count?.moves !== undefined ? 'moves = :moves' : `attribute_not_exists(moves) AND ${read === 0 ? '(attribute_not_exists(#count) OR #count = :read)' : '#count = :read'}`;
    try {
      await this.store.transactWrite([
        {
          Update: {
            Key: countKey,
            UpdateExpression: 'SET kind = :kind, #count = :live ADD moves :one',
            ConditionExpression: unmoved,
            ExpressionAttributeNames: { '#count': 'count' },
            ExpressionAttributeValues: { ':kind': COUNT_KIND, ':live': live, ':one': 1, ...(count?.moves !== undefined ? { ':moves': count.moves } : { ':read': read }) },
          },
        },
        { ConditionCheck: { Key: this.keys.budget(budgetId), ConditionExpression: 'attribute_exists(pk)' } },
        ...expired.map((i) => ({
          Delete: {
            Key: this.keys.invitation(budgetId, i.emailKey),
            ConditionExpression: 'nonce = :nonce',
            ExpressionAttributeValues: { ':nonce': i.nonce },
          },
        })),
      ]);
      return live;
    } catch (err) {
      if (conditionFailedAt(err, 1)) return 'budget-gone';
      if (conditionFailedAt(err, 0) || expired.some((_, index) => conditionFailedAt(err, index + 2))) return null;
      throw err;
    }
  }

  private uncount(budgetId: string): TransactItem {
    return giveBackPlace({ Key: this.keys.invitationCount(budgetId), kind: COUNT_KIND }, MOVED);
  }
}

function toItem(keys: BudgetsKeys, invitation: InvitationRecord): InvitationItem {
  return {
    ...keys.invitation(invitation.budgetId, invitation.emailKey),
    kind: KIND,
    ...invitation,
    expiresAt: epochSeconds(new Date(invitation.expiresAt)),
  };
}

function fromItem(item: InvitationItem): InvitationRecord {
  return {
    budgetId: item.budgetId,
    id: item.id,
    email: item.email,
    role: item.role,
    invitedBy: item.invitedBy,
    createdAt: item.createdAt,
    expiresAt: new Date(item.expiresAt * 1000).toISOString(),
    nonce: item.nonce,
    emailKey: item.emailKey,
    ...(item.secretHash ? { secretHash: item.secretHash } : {}),
  };
}
