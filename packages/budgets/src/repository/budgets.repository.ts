import { capRefused, conditionFailedAt, giveBackPlace, takePlace, type ModuleStore } from '@budgeting/platform';
import { MAX_OWNED_BUDGETS, type Budget, type BudgetForCaller, type Member } from '../model';
import type { WriteCheckValue } from '../contract';
import { budgetFromItem, memberItem, type BudgetItem, type MemberItem } from './items';
import type { BudgetsKeys, TransactItem } from './keys';
import { PRESENT_NOT_ARCHIVED, WRITING_MEMBER } from './conditions';

/** The settings a PATCH may rewrite (everything but identity, owner and timestamps of creation). */
const SETTINGS = ['name', 'currency', 'period', 'timezone', 'limit', 'categories', 'rollover', 'alertThresholds'] as const;

export type WriteOutcome = 'ok' | 'condition-failed';

/** Budget items: create, read with the caller's membership, rewrite settings, delete. */
export class BudgetsRepository {
  constructor(
    private readonly store: ModuleStore,
    private readonly keys: BudgetsKeys,
  ) {}

  /**
   * The budget and the caller's membership in ONE BatchGetItem (strongly consistent, so a
   * removed member loses access at once). Null when either is missing: a budget the caller
   * does not belong to does not exist for them.
   */
  async findForCaller(budgetId: string, userId: string): Promise<BudgetForCaller | null> {
    const items = await this.store.batchGet<Record<string, unknown>>(
      [this.keys.budget(budgetId), this.keys.member(budgetId, userId)],
      true,
    );
    const budget = items.find((i) => i.kind === 'budget') as BudgetItem | undefined;
    const member = items.find((i) => i.kind === 'member') as MemberItem | undefined;
    if (!budget || !member) return null;
    return { budget: budgetFromItem(budget), role: member.role };
  }

  /**
   * findForCaller for several budgets in ONE strongly consistent BatchGetItem (each budget and
   * the caller's membership of it: at most 50 budgets, the 100 keys a BatchGetItem carries).
   * A budget deleted, or the caller removed from it, since the ids were listed is left out;
   * the rest come in the order of `budgetIds`.
   */
  async findManyForCaller(budgetIds: string[], userId: string): Promise<BudgetForCaller[]> {
    if (budgetIds.length === 0) return [];
    if (budgetIds.length > 50) throw new Error(`findManyForCaller: ${budgetIds.length} budgets, at most 50`);
    const items = await this.store.batchGet<Record<string, unknown>>(
      budgetIds.flatMap((id) => [this.keys.budget(id), this.keys.member(id, userId)]),
      true,
    );
    const budgets = new Map<string, BudgetItem>();
    const roles = new Map<string, MemberItem['role']>();
    for (const item of items) {
      if (item.kind === 'budget') budgets.set(String(item.id), item as BudgetItem);
      else if (item.kind === 'member' && item.userId === userId) roles.set(String(item.budgetId), (item as MemberItem).role);
    }
    return budgetIds.flatMap((id) => {
      const budget = budgets.get(id);
      const role = roles.get(id);
      return budget && role ? [{ budget: budgetFromItem(budget), role }] : [];
    });
  }

  /**
   * The checks of BudgetsFacade.writeChecks, on the membership (a writing role, the budget not
   * archived) and, when a
   * category or currency must fit, on the budget (`categoryIds`, `currency`; a foreign
   * amount's currency must differ from it). The membership
   * alone proves the budget exists (deleting a budget deletes its memberships in the same
   * transaction), and it is the caller's own item: concurrent writers of a budget meet on the
   * budget item only when they name a category or currency.
   */
  writeChecks(budgetId: string, userId: string, value: WriteCheckValue) {
    const { conditions, names, values } = fitConditions(value);
    // Not archived: the membership carries the budget's archivedAt (archive.repository.ts), so an
    // archive racing this write fails it without one more item in the transaction.
    const membership = this.store.conditionCheck({ Key: this.keys.member(budgetId, userId), ...WRITING_MEMBER });
    if (conditions.length === 0) return [membership];
    conditions.push('attribute_not_exists(#archivedAt)');
    names['#archivedAt'] = 'archivedAt';
    return [
      membership,
      this.store.conditionCheck({
        Key: this.keys.budget(budgetId),
        ConditionExpression: conditions.join(' AND '),
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: values,
      }),
    ];
  }

  /**
   * The check of BudgetsFacade.categoriesCheck: each category named is one of the budget's now
   * (`categoryIds` on the budget item, as writeChecks asks), nothing else; none when none is named.
   * A budget item without `categoryIds` (written before 2026-11-30, not PATCHed since, and not
   * yet given them by the operator job `budgets-category-ids-backfill`) passes it: its writers,
   * read-first, never failed on it before. Harmless for the removal race: the PATCH that removes
   * a category writes `categoryIds` (updateSettings), so a write checked after it fails here.
   */
  categoriesCheck(budgetId: string, categoryIds: readonly (string | null)[]) {
    const { conditions, names, values } = fitConditions({ categoryIds });
    if (conditions.length === 0) return [];
    return [
      this.store.conditionCheck({
        Key: this.keys.budget(budgetId),
        ConditionExpression: `attribute_not_exists(#categoryIds) OR (${conditions.join(' AND ')})`,
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: values,
      }),
    ];
  }

  /** The checks of BudgetsFacade.membersCheck: each user's membership item exists. */
  membersCheck(budgetId: string, userIds: readonly string[]) {
    return userIds.map((userId) => this.store.conditionCheck({ Key: this.keys.member(budgetId, userId), ConditionExpression: 'attribute_exists(pk)' }));
  }

  /** The check of BudgetsFacade.activeMemberCheck: the membership exists and carries no archivedAt (archive.repository.ts). */
  activeMemberCheck(budgetId: string, userId: string) {
    return this.store.conditionCheck({ Key: this.keys.member(budgetId, userId), ...PRESENT_NOT_ARCHIVED });
  }

  /** The check of BudgetsFacade.notArchivedCheck: the budget item carries no archivedAt. */
  notArchivedCheck(budgetId: string) {
    return this.store.conditionCheck({
      Key: this.keys.budget(budgetId),
      ConditionExpression: 'attribute_not_exists(#archivedAt)',
      ExpressionAttributeNames: { '#archivedAt': 'archivedAt' },
    });
  }

  /** The stored item, with its member count (for deletion). */
  async getItem(budgetId: string): Promise<BudgetItem | undefined> {
    return this.store.get<BudgetItem>({ Key: this.keys.budget(budgetId), ConsistentRead: true });
  }

  /** Budgets by id, in the order asked, skipping ids that no longer exist. */
  async getMany(budgetIds: string[]): Promise<Map<string, Budget>> {
    if (budgetIds.length === 0) return new Map();
    const items = await this.store.batchGet<BudgetItem>(budgetIds.map((id) => this.keys.budget(id)));
    return new Map(items.map((i) => [i.id, budgetFromItem(i)]));
  }

  /**
   * Creates the budget and its owner's membership with `alsoWrite` (the outbox event), all or
   * nothing, only while the owner's account exists (`ownerCheck`: UsersFacade.accountCheck, or
   * a budget created as the account is deleted would escape its user.deleted cleanup; with the
   * version the owner's membership snapshot was read at, as membershipAdditionWrites'); 'exists'
   * when a budget with its id is already there; 'owner-changed' when the owner's check
   * failed (the account is gone, or changed since the read: the caller reads it again); 'key-taken'
   * when an item of `alsoWrite` failed its condition (a keyed create's lease completion: its
   * lease taken over), nothing written. `extra`: more attributes of the budget item (the report
   * job's place, see report-schedule.repository.ts).
   */
  async create(
    budget: Budget,
    owner: Member,
    ownerCheck: TransactItem,
    alsoWrite: TransactItem[],
    extra: Record<string, string | number> = {},
    maxOwned = MAX_OWNED_BUDGETS,
    /** A keyed copy's (BudgetsService.create's `copy`): 'copy-deleted' when a copy under this id was deleted (deletedCopyMarker). */
    refuseDeletedCopy = false,
  ): Promise<'created' | 'exists' | 'owner-changed' | 'full' | 'key-taken' | 'copy-deleted'> {
    const item: BudgetItem = { ...extra, ...this.keys.budget(budget.id), kind: 'budget', ...budget, categoryIds: categoryIdsOf(budget), memberCount: 1 };
    // Pace alerts are stored only when on (an item without them reads as off).
    if (item.paceAlerts !== true) delete item.paceAlerts;
    const notDeleted: TransactItem[] = refuseDeletedCopy ? [{ ConditionCheck: { Key: this.keys.deletedCopy(budget.id), ConditionExpression: 'attribute_not_exists(pk)' } }] : [];
    try {
      await this.store.transactWrite([
        { Put: { Item: item, ConditionExpression: 'attribute_not_exists(pk)' } },
        { Put: { Item: memberItem(this.keys, owner), ConditionExpression: 'attribute_not_exists(pk)' } },
        ownerCheck,
        // The count exists (startOwnedCount ran first, writing its kind) and has room.
        takePlace({ Key: this.keys.ownedCount(owner.userId), max: maxOwned, absent: 'refused' }),
        ...notDeleted,
        ...alsoWrite,
      ]);
      return 'created';
    } catch (err) {
      if (conditionFailedAt(err, 0)) return 'exists';
      // Before the count's refusal: an account's deletion removes its count too, and a deleted
      // owner is told so (401) whatever else failed. The caller's re-read tells a deleted account
      // from a changed one; a changed one's retry meets any other refusal again, alone.
      if (conditionFailedAt(err, 2)) return 'owner-changed';
      if (notDeleted.length > 0 && conditionFailedAt(err, 4)) return 'copy-deleted';
      if (capRefused(err, 3)) return 'full';
      // After the budget's own four items (the budget, the owner's membership, the owner's check, the owner's count) and the deleted copy's check.
      if (alsoWrite.some((_, n) => conditionFailedAt(err, 4 + notDeleted.length + n))) return 'key-taken';
      throw err;
    }
  }

  /**
   * The marker a keyed copy's deletion leaves while its Idempotency-Key may still be retried
   * (`until`, epoch seconds: the budget item's copyKeyUntil, also the marker's TTL), for the
   * deletion's own transaction: the retry's create (refuseDeletedCopy) then does not make the
   * deleted copy again under its id.
   */
  deletedCopyMarker(budgetId: string, until: number): TransactItem {
    return { Put: { Item: { ...this.keys.deletedCopy(budgetId), kind: 'deleted-copy', expiresAt: until } } };
  }

  /** How many budgets the user owns by the count item; undefined when it was never started (an account older than the cap). */
  async ownedCount(userId: string): Promise<number | undefined> {
    const item = await this.store.get({ Key: this.keys.ownedCount(userId), ConsistentRead: true });
    return item ? Number(item.count) : undefined;
  }

  /**
   * Starts the user's count at `owned` unless it exists (another request started it first: its
   * count stands). Only for an account whose budgets predate the count item; every create and
   * delete since moves it in its own transaction. Only while the account exists (`accountCheck`:
   * UsersFacade.accountCheck, in the same transaction; nothing written otherwise): a first
   * create that passed the request's account check just before the account was deleted, and
   * started the count after user.deleted's cleanup forgot it (forgetOwnedCount), would leave the
   * count item of a deleted account for ever (its own create's transaction then fails on the
   * same check).
   */
  async startOwnedCount(userId: string, owned: number, accountCheck: TransactItem): Promise<void> {
    try {
      await this.store.transactWrite([
        { Put: { Item: { ...this.keys.ownedCount(userId), kind: 'owned-budget-count', count: owned }, ConditionExpression: 'attribute_not_exists(pk)' } },
        accountCheck,
      ]);
    } catch (err) {
      // Started meanwhile (its count stands), or the account is gone (nothing to count for).
      if (!conditionFailedAt(err, 0) && !conditionFailedAt(err, 1)) throw err;
    }
  }

  /** Forgets the user's count (their account was deleted, and with it every budget they owned). */
  async forgetOwnedCount(userId: string): Promise<void> {
    await this.store.delete({ Key: this.keys.ownedCount(userId) });
  }

  /**
   * Rewrites the settings of `next` (and its per-period limits) if the stored version is still `readVersion` (the one
   * the change was computed from). The member count is left alone: members come and go
   * without changing the budget's version. `extra`: more attributes to set (the report due index).
   * 'key-taken': an item of `alsoWrite` failed its condition (a keyed change's lease completion:
   * its lease taken over), nothing written.
   */
  async updateSettings(
    next: Budget,
    readVersion: number,
    alsoWrite: TransactItem[],
    extra: Record<string, string> = {},
  ): Promise<WriteOutcome | 'key-taken'> {
    const names: Record<string, string> = { '#version': 'version', '#updatedAt': 'updatedAt' };
    const values: Record<string, unknown> = {
      ':version': next.version,
      ':updatedAt': next.updatedAt,
      ':readVersion': readVersion,
    };
    const sets = ['#version = :version', '#updatedAt = :updatedAt', '#categoryIds = :categoryIds'];
    names['#categoryIds'] = 'categoryIds';
    values[':categoryIds'] = categoryIdsOf(next);
    for (const field of SETTINGS) {
      names[`#${field}`] = field;
      values[`:${field}`] = next[field];
      sets.push(`#${field} = :${field}`);
    }
    // Per-period limits (packages/budgets/docs/periods-and-limits.md "Move money"): stored only when there are some, as on items older than them.
    // So is the limit history (domain/limit-history.ts).
    const removes: string[] = [];
    for (const field of ['periodLimits', 'limitHistory'] as const) {
      names[`#${field}`] = field;
      if (next[field] && next[field].length > 0) {
        values[`:${field}`] = next[field];
        sets.push(`#${field} = :${field}`);
      } else removes.push(`#${field}`);
    }
    // The creation date in the zone of creation: set once the time zone changes, never removed (model.ts).
    if (next.createdOn !== undefined) {
      names['#createdOn'] = 'createdOn';
      values[':createdOn'] = next.createdOn;
      sets.push('#createdOn = :createdOn');
    }
    // Pace alerts: stored only when on, as on items older than them.
    names['#paceAlerts'] = 'paceAlerts';
    if (next.paceAlerts === true) {
      values[':paceAlerts'] = true;
      sets.push('#paceAlerts = :paceAlerts');
    } else removes.push('#paceAlerts');
    for (const [i, [attribute, value]] of Object.entries(extra).entries()) {
      names[`#x${i}`] = attribute;
      values[`:x${i}`] = value;
      sets.push(`#x${i} = :x${i}`);
    }
    try {
      await this.store.transactWrite([
        {
          Update: {
            Key: this.keys.budget(next.id),
            UpdateExpression: `SET ${sets.join(', ')}${removes.length > 0 ? ` REMOVE ${removes.join(', ')}` : ''}`,
            ConditionExpression: 'attribute_exists(pk) AND #version = :readVersion',
            ExpressionAttributeNames: names,
            ExpressionAttributeValues: values,
          },
        },
        ...alsoWrite,
      ]);
      return 'ok';
    } catch (err) {
      if (conditionFailedAt(err, 0)) return 'condition-failed';
      // After the budget's Update.
      if (alsoWrite.some((_, n) => conditionFailedAt(err, 1 + n))) return 'key-taken';
      throw err;
    }
  }

  /**
   * Deletes the budget and every membership listed, if the budget is still at `version` and its
   * memberships are still those of `membershipVersion` (read BEFORE the member list): any
   * membership added or removed meanwhile fails the check, so no membership can outlive its
   * budget. `undefined` = the budget item had no membership change yet.
   */
  async delete(
    budgetId: string,
    expected: { version: number; membershipVersion: number | undefined },
    memberUserIds: string[],
    alsoWrite: TransactItem[],
    /** The owner whose count gives the budget's place back (its count started: startOwnedCount); none when the owner's account is gone. */
    countedOwner?: string,
  ): Promise<WriteOutcome> {
    const unchanged = membershipUnchanged(expected.membershipVersion);
    const uncount: TransactItem[] = countedOwner === undefined ? [] : [giveBackPlace({ Key: this.keys.ownedCount(countedOwner) })];
    try {
      await this.store.transactWrite([
        {
          Delete: {
            Key: this.keys.budget(budgetId),
            ConditionExpression: `attribute_exists(pk) AND #version = :version AND ${unchanged.condition}`,
            ExpressionAttributeNames: { '#version': 'version' },
            ExpressionAttributeValues: { ':version': expected.version, ...unchanged.values },
          },
        },
        ...memberUserIds.map((userId) => ({ Delete: { Key: this.keys.member(budgetId, userId) } })),
        ...alsoWrite,
        ...uncount,
      ]);
      return 'ok';
    } catch (err) {
      if (conditionFailedAt(err, 0)) return 'condition-failed';
      throw err;
    }
  }
}

/**
 * The condition that a budget item's memberships are still those of `membershipVersion` (read
 * before its member list; `undefined`: none changed yet), for a transaction that writes every
 * membership listed (deletion, archiving): a member added or removed meanwhile fails it.
 */
export function membershipUnchanged(membershipVersion: number | undefined): { condition: string; values: Record<string, number> } {
  return membershipVersion === undefined
    ? { condition: 'attribute_not_exists(membershipVersion)', values: {} }
    : { condition: 'membershipVersion = :membershipVersion', values: { ':membershipVersion': membershipVersion } };
}

/**
 * The category ids as a list of strings next to `categories` (a list of maps), so a
 * ConditionCheck can ask `contains(categoryIds, :id)` (see writeChecks).
 */
function categoryIdsOf(budget: Budget): string[] {
  return budget.categories.map((c) => c.id);
}

/** The budget item's conditions for what a write names (writeChecks, categoriesCheck): each category in `categoryIds`, the currency. */
function fitConditions(value: WriteCheckValue) {
  const conditions: string[] = [];
  const names: Record<string, string> = {};
  const values: Record<string, unknown> = {};
  // Every category named (a split expense's parts too), each once, in the same one check.
  const categories = [...new Set([value.categoryId, ...(value.categoryIds ?? [])].filter((id): id is string => id != null))];
  for (const [n, id] of categories.entries()) {
    const placeholder = n === 0 ? ':categoryId' : `:categoryId${n}`;
    conditions.push(`contains(#categoryIds, ${placeholder})`);
    names['#categoryIds'] = 'categoryIds';
    values[placeholder] = id;
  }
  if (value.currency !== undefined) {
    conditions.push('#currency = :currency');
    names['#currency'] = 'currency';
    values[':currency'] = value.currency;
  }
  if (value.notCurrency !== undefined) {
    conditions.push('#currency <> :notCurrency');
    names['#currency'] = 'currency';
    values[':notCurrency'] = value.notCurrency;
  }
  return { conditions, names, values };
}
