import { conditionFailedAt, isConditionFailed, type Key, type ModuleStore } from '@budgeting/platform';
import type { BudgetRole } from '../contract';
import { DEFAULT_SHARE, FIRST_MEMBER_VERSION, type Member } from '../model';
import { memberFromItem, memberItem, type MemberItem } from './items';
import type { BudgetsKeys, TransactItem } from './keys';
import { toPage, type Page } from './page';

/**
 * 'former-changed': the account's former membership (formerVersion) was not the one read: it
 * ended meanwhile (read it again, and the membership's version continues from it).
 * 'account-changed': the member's account check failed, and neither the budget's nor the
 * membership's condition (their account is gone, or, with the version check, changed since their
 * details were read): the caller reads the account again.
 */
export type AddOutcome = 'ok' | 'already-member' | 'budget-gone-or-full' | 'account-changed' | 'former-changed' | 'key-taken';

/**
 * The four items that make someone a member, for any transaction that does (adding a member,
 * accepting an invitation): [0] counts them on the budget, which must still exist, have
 * room and not be archived (its memberships carry archivedAt: repository/archive.ts), and bumps its membershipVersion; [1] puts the membership, only if not a member yet;
 * [2] `accountCheck` (UsersFacade.accountCheck of the member): their account still exists, or
 * a membership written as it is deleted would outlive its user.deleted cleanup; with the version
 * of the summary the membership's name and email were taken from (`{ version }`), also still at
 * that version, or a refresh of the snapshots (subscriptions/member-details.ts) that ran between
 * the read and this write, before the membership existed, would leave the older details on it;
 * [3] the account's former membership of the budget is still the one read (`formerVersion`, its
 * last version, MembersRepository.formerVersion; undefined: never a member), so the membership's
 * first version (`member.version`, one past it) is past every version an earlier one had, even
 * when that one ends between the read and this write.
 */
export function membershipAdditionWrites(
  keys: BudgetsKeys,
  member: Member,
  maxMembers: number,
  accountCheck: TransactItem,
  formerVersion: number | undefined,
): [TransactItem, TransactItem, TransactItem, TransactItem] {
  return [
    {
      Update: {
        Key: keys.budget(member.budgetId),
        UpdateExpression: 'SET memberCount = memberCount + :one ADD membershipVersion :one',
        ConditionExpression: 'attribute_exists(pk) AND memberCount < :max AND attribute_not_exists(archivedAt)',
        ExpressionAttributeValues: { ':one': 1, ':max': maxMembers },
      },
    },
    { Put: { Item: memberItem(keys, member), ConditionExpression: 'attribute_not_exists(pk)' } },
    accountCheck,
    {
      ConditionCheck: {
        Key: keys.formerMember(member.budgetId, member.userId),
        ...(formerVersion === undefined
          ? { ConditionExpression: 'attribute_not_exists(pk)' }
          : { ConditionExpression: 'lastVersion = :lastVersion', ExpressionAttributeValues: { ':lastVersion': formerVersion } }),
      },
    },
  ];
}

/** Membership items: who belongs to a budget, with which role, and which budgets a user has. */
export class MembersRepository {
  constructor(
    private readonly store: ModuleStore,
    private readonly keys: BudgetsKeys,
  ) {}

  async get(budgetId: string, userId: string): Promise<Member | null> {
    const item = await this.store.get<MemberItem>({ Key: this.keys.member(budgetId, userId), ConsistentRead: true });
    return item ? memberFromItem(item) : null;
  }

  /** The version `userId`'s last membership of the budget had when it ended (undefined: never a member, or not since the former-member records began). */
  async formerVersion(budgetId: string, userId: string): Promise<number | undefined> {
    const item = await this.store.get<{ lastVersion: number }>({ Key: this.keys.formerMember(budgetId, userId), ConsistentRead: true });
    return item?.lastVersion;
  }

  /** Up to `limit` keys of the former-member records of `userId` (every budget the account left; gsi1, eventually consistent). */
  async formerKeysOf(userId: string, limit: number): Promise<Key[]> {
    const { items } = await this.store.query<Key>({
      IndexName: 'gsi1',
      KeyConditionExpression: 'gsi1pk = :pk',
      ExpressionAttributeValues: { ':pk': this.keys.formerMemberIndex(userId, '').gsi1pk },
      ProjectionExpression: 'pk, sk',
      Limit: limit,
    });
    return items.map(({ pk, sk }) => ({ pk, sk }));
  }

  /** Deletes former-member records by key (a deleted account's: formerKeysOf). */
  forgetFormer(keys: Key[]): Promise<void> {
    return this.store.batchDelete(keys);
  }

  /** A page of a budget's members, ordered by user id (strongly consistent). */
  async list(budgetId: string, limit: number, startKey?: Record<string, unknown>): Promise<Page<Member>> {
    const { items, lastKey } = await this.store.query<MemberItem>({
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: { ':pk': this.keys.budgetPk(budgetId), ':prefix': this.keys.memberSkPrefix },
      ConsistentRead: true,
      Limit: limit + 1,
      ExclusiveStartKey: startKey,
    });
    return toPage(items, limit, ['pk', 'sk'], memberFromItem, lastKey);
  }

  /** Every member's user id (bounded by MAX_MEMBERS), e.g. to delete them with the budget. */
  async allUserIds(budgetId: string): Promise<string[]> {
    const items = await this.store.queryAll<{ userId: string }>({
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: { ':pk': this.keys.budgetPk(budgetId), ':prefix': this.keys.memberSkPrefix },
      ProjectionExpression: 'userId',
      ConsistentRead: true,
    });
    return items.map((i) => i.userId);
  }

  /**
   * A page of a user's memberships through gsi1, ordered by budget id (creation time). A GSI
   * is eventually consistent: a budget created a moment ago may take a moment to appear.
   * `which`: only those of active budgets, or of archived ones (their sort keys' prefixes, see
   * keys.ts archivedMemberIndexSk: a key condition, so a page is still `limit` items); all when absent.
   */
  async listForUser(userId: string, limit: number, startKey?: Record<string, unknown>, which?: 'active' | 'archived'): Promise<Page<Member>> {
    const { gsi1pk } = this.keys.memberIndex(userId, '');
    const { items, lastKey } = await this.store.query<MemberItem>({
      IndexName: 'gsi1',
      KeyConditionExpression: which === undefined ? 'gsi1pk = :pk' : 'gsi1pk = :pk AND begins_with(gsi1sk, :prefix)',
      ExpressionAttributeValues: { ':pk': gsi1pk, ...(which === undefined ? {} : { ':prefix': this.keys.memberIndexSkPrefix[which] }) },
      Limit: limit + 1,
      ExclusiveStartKey: startKey,
    });
    return toPage(items, limit, ['pk', 'sk', 'gsi1pk', 'gsi1sk'], memberFromItem, lastKey);
  }

  /**
   * Adds a membership and counts it on the budget in one transaction: the budget must still
   * exist and have room, the user must not be a member yet, and their account must exist
   * (and, checked with a version, be unchanged: `accountCheck`, 'account-changed' when it
   * failed). 'key-taken': an item of `alsoWrite` failed its condition (a keyed add's lease
   * completion: its lease taken over), nothing written.
   */
  async add(member: Member, formerVersion: number | undefined, maxMembers: number, accountCheck: TransactItem, alsoWrite: TransactItem[]): Promise<AddOutcome> {
    try {
      await this.store.transactWrite([...membershipAdditionWrites(this.keys, member, maxMembers, accountCheck, formerVersion), ...alsoWrite]);
      return 'ok';
    } catch (err) {
      if (conditionFailedAt(err, 1)) return 'already-member';
      if (conditionFailedAt(err, 0)) return 'budget-gone-or-full';
      // The account's check (before a key's: a deleted account is told so, as it always was): the
      // caller's re-read tells a deleted account from a changed one.
      if (conditionFailedAt(err, 2)) return 'account-changed';
      if (conditionFailedAt(err, 3)) return 'former-changed';
      // After the addition's four items (the budget's count, the membership, the account's check, the former membership's).
      if (alsoWrite.some((_, n) => conditionFailedAt(err, 4 + n))) return 'key-taken';
      throw err;
    }
  }

  /**
   * Gives `member` another role and/or share, with `alsoWrite` (the role event) in the same
   * transaction, only if the role is still the one read (so the event's previous role is
   * exact) and so is its version (so an If-Match checked against the read holds at the write);
   * null otherwise (removed or changed meanwhile, or the budget archived: re-read); 'key-taken'
   * when an item of `alsoWrite` failed its condition (a keyed change's lease completion: its lease
   * taken over), nothing written. The version
   * goes up by one; an item at the first version has none stored (memberItem), hence the
   * if_not_exists. Not archived is asked of the member's own item (the archive marks every
   * membership: archive.repository.ts), so a change racing the archive fails at no item more.
   */
  async change(member: Member, changes: { role?: BudgetRole; share?: number }, alsoWrite: TransactItem[]): Promise<Member | null | 'key-taken'> {
    const sets: string[] = ['#version = if_not_exists(#version, :first) + :one'];
    const values: Record<string, unknown> = { ':previous': member.role, ':version': member.version, ':first': FIRST_MEMBER_VERSION, ':one': 1 };
    const versionCondition =
      member.version === FIRST_MEMBER_VERSION ? '(attribute_not_exists(#version) OR #version = :version)' : '#version = :version';
    if (changes.role !== undefined) {
      sets.push('#role = :role');
      values[':role'] = changes.role;
    }
    // The share is conditioned too, so the event's `previousShare` is the share this write
    // replaced even under concurrent changes (a member stored before shares existed has none).
    let shareCondition = '';
    if (changes.share !== undefined) {
      sets.push('#share = :share');
      values[':share'] = changes.share;
      values[':previousShare'] = member.share;
      shareCondition = member.share === DEFAULT_SHARE ? ' AND (attribute_not_exists(#share) OR #share = :previousShare)' : ' AND #share = :previousShare';
    }
    if (changes.role === undefined && changes.share === undefined) return member;
    try {
      await this.store.transactWrite([
        {
          Update: {
            Key: this.keys.member(member.budgetId, member.userId),
            UpdateExpression: `SET ${sets.join(', ')}`,
            ConditionExpression: `attribute_exists(pk) AND #role = :previous${shareCondition} AND ${versionCondition} AND attribute_not_exists(#archivedAt)`,
            ExpressionAttributeNames: {
              '#role': 'role',
              '#version': 'version',
              '#archivedAt': 'archivedAt',
              ...(changes.share !== undefined ? { '#share': 'share' } : {}),
            },
            ExpressionAttributeValues: values,
          },
        },
        ...alsoWrite,
      ]);
      return { ...member, ...changes, version: member.version + 1 };
    } catch (err) {
      if (conditionFailedAt(err, 0)) return null;
      // After the membership's Update.
      if (alsoWrite.some((_, n) => conditionFailedAt(err, 1 + n))) return 'key-taken';
      throw err;
    }
  }

  /**
   * Every member's user id, name and share (bounded by MAX_MEMBERS; one strongly consistent
   * Query, paged only past 1 MB), for the settle-up balances.
   */
  async shares(budgetId: string): Promise<{ userId: string; name: string | null; share: number }[]> {
    const items = await this.store.queryAll<{ userId: string; name?: string | null; share?: number }>({
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: { ':pk': this.keys.budgetPk(budgetId), ':prefix': this.keys.memberSkPrefix },
      ProjectionExpression: 'userId, #name, #share',
      ExpressionAttributeNames: { '#name': 'name', '#share': 'share' },
      ConsistentRead: true,
    });
    return items.map((i) => ({ userId: i.userId, name: i.name ?? null, share: i.share ?? DEFAULT_SHARE }));
  }

  /**
   * Every member's user id and display name (the name snapshot, else the email snapshot, else
   * null), in user id order (bounded by MAX_MEMBERS; one strongly consistent Query, paged only
   * past 1 MB), for BudgetsFacade.memberNames.
   */
  async names(budgetId: string): Promise<{ userId: string; name: string | null }[]> {
    const items = await this.store.queryAll<{ userId: string; name?: string | null; email?: string | null }>({
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: { ':pk': this.keys.budgetPk(budgetId), ':prefix': this.keys.memberSkPrefix },
      ProjectionExpression: 'userId, #name, #email',
      ExpressionAttributeNames: { '#name': 'name', '#email': 'email' },
      ConsistentRead: true,
    });
    return items.map((i) => ({ userId: i.userId, name: i.name || i.email || null }));
  }

  /**
   * Refreshes the name and email snapshot a membership keeps for the members list (after the
   * account's email or name changed; a null name is stored as null, as when added), read from
   * the account at profile version `profileVersion` (UserSummary.version), which is stored with
   * it (`detailsVersion`). Only while the membership exists (a removal meanwhile is left alone)
   * and holds no snapshot of a later version: two refreshes at once (two changes in quick
   * succession), the one that read the account before the second change writing last, would
   * otherwise put the older details back. The membership's version is not raised: it versions
   * the role and share the owner changes. False when the condition failed (nothing written).
   */
  async setDetails(budgetId: string, userId: string, details: { name: string | null; email: string }, profileVersion: number): Promise<boolean> {
    try {
      await this.store.update({
        Key: this.keys.member(budgetId, userId),
        UpdateExpression: 'SET #name = :name, #email = :email, #detailsVersion = :version',
        ConditionExpression: 'attribute_exists(pk) AND (attribute_not_exists(#detailsVersion) OR #detailsVersion <= :version)',
        ExpressionAttributeNames: { '#name': 'name', '#email': 'email', '#detailsVersion': 'detailsVersion' },
        ExpressionAttributeValues: { ':name': details.name, ':email': details.email, ':version': profileVersion },
      });
      return true;
    } catch (err) {
      if (isConditionFailed(err)) return false;
      throw err;
    }
  }

  /**
   * Removes a (non-owner) membership and uncounts it, all or nothing, only while it is still at
   * the version read (`member.version`; an item at the first version has none stored, as in
   * `change`), and records that version as the account's former membership (formerMember), so a
   * membership added again continues after it. 'not-found' otherwise (removed, or changed
   * meanwhile: the caller reads it again).
   */
  async remove(
    member: Pick<Member, 'budgetId' | 'userId' | 'version'>,
    alsoWrite: TransactItem[],
    /** False for a deleted account's memberships: it can never be added again, and nothing of it may stay. */
    recordFormer = true,
  ): Promise<'ok' | 'not-found'> {
    const { budgetId, userId, version } = member;
    const versionCondition = version === FIRST_MEMBER_VERSION ? '(attribute_not_exists(#version) OR #version = :version)' : '#version = :version';
    try {
      await this.store.transactWrite([
        {
          Delete: {
            Key: this.keys.member(budgetId, userId),
            ConditionExpression: `attribute_exists(pk) AND #role <> :owner AND ${versionCondition}`,
            ExpressionAttributeNames: { '#role': 'role', '#version': 'version' },
            ExpressionAttributeValues: { ':owner': 'owner', ':version': version },
          },
        },
        {
          Update: {
            Key: this.keys.budget(budgetId),
            UpdateExpression: 'SET memberCount = memberCount - :one ADD membershipVersion :one',
            ConditionExpression: 'attribute_exists(pk)',
            ExpressionAttributeValues: { ':one': 1 },
          },
        },
        ...(recordFormer
          ? [{ Put: { Item: { ...this.keys.formerMember(budgetId, userId), ...this.keys.formerMemberIndex(userId, budgetId), kind: 'former-member', budgetId, userId, lastVersion: version } } }]
          : []),
        ...alsoWrite,
      ]);
      return 'ok';
    } catch (err) {
      if (conditionFailedAt(err, 0) || conditionFailedAt(err, 1)) return 'not-found';
      throw err;
    }
  }
}
