import { conditionFailedAt, type Key, type ModuleStore } from '@budgeting/platform';
import { SETTLEMENT_VERSION, type Settlement } from '../model';
import type { BudgetsKeys, TransactItem } from './keys';
import { toPage, type Page } from './page';

const KIND = 'settlement';
const COUNT_KIND = 'settlement-count';

interface SettlementItem extends Settlement {
  pk: string;
  sk: string;
  kind: typeof KIND;
  [attribute: string]: unknown;
}

/** What the balances need of a payment: who sent how much to whom. */
export interface Transfer {
  fromUserId: string;
  toUserId: string;
  amount: number;
}

export type RecordSettlementOutcome = 'created' | 'from-not-member' | 'to-not-member' | 'full';

/** `changed`: the write went through; `stale`: the payment is gone or at another version than the one read. */
export type ChangeSettlementOutcome = 'changed' | 'stale';

/**
 * The condition "the item is still at `version`": items stored before payments could change
 * have no `version` attribute and are at SETTLEMENT_VERSION.
 */
function atVersion(version: number) {
  return version === SETTLEMENT_VERSION
    ? { ConditionExpression: 'attribute_exists(pk) AND (attribute_not_exists(#version) OR #version = :version)', ExpressionAttributeNames: { '#version': 'version' }, ExpressionAttributeValues: { ':version': version } }
    : { ConditionExpression: '#version = :version', ExpressionAttributeNames: { '#version': 'version' }, ExpressionAttributeValues: { ':version': version } };
}

/**
 * `20261124-01JDQ...`: the day paid (the item's place in the partition) and a ULID. Parsed
 * back by `settlementKeyOf`; anything else is not a settlement id (404 without a read).
 */
export const settlementId = (paidOn: string, ulid: string) => `${paidOn.replaceAll('-', '')}-${ulid}`;
const ID_SHAPE = /^(\d{4})(\d{2})(\d{2})-([0-9A-HJKMNP-TV-Z]{26})$/;

/**
 * A budget's recorded settle-up payments (keys.ts: a partition per budget, sorted by the day
 * paid, and a count item). The count moves in the same transaction as every record and delete,
 * so concurrent records cannot pass MAX_SETTLEMENTS together (the invitations' technique): the
 * cap is what bounds the balances' Query of a range. A change (PATCH) is one conditional write
 * on the item's `version`.
 */
export class SettlementsRepository {
  constructor(
    private readonly store: ModuleStore,
    private readonly keys: BudgetsKeys,
  ) {}

  async get(budgetId: string, id: string): Promise<Settlement | null> {
    const key = this.keyOf(budgetId, id);
    if (!key) return null;
    const item = await this.store.get<SettlementItem>({ Key: key, ConsistentRead: true });
    return item ? fromItem(item) : null;
  }

  /** A page of the payments paid in [from, to] (either optional), newest day first, then newest recorded first. */
  async page(budgetId: string, range: { from?: string; to?: string }, limit: number, startKey?: Record<string, unknown>): Promise<Page<Settlement>> {
    const lo = range.from ? this.keys.settlementRange(range.from, range.from).lo : this.keys.settlementSkPrefix;
    const hi = range.to ? this.keys.settlementRange(range.to, range.to).hi : `${this.keys.settlementSkPrefix}~`;
    const { items } = await this.store.query<SettlementItem>({
      KeyConditionExpression: 'pk = :pk AND sk BETWEEN :lo AND :hi',
      ExpressionAttributeValues: { ':pk': this.keys.settlementsPk(budgetId), ':lo': lo, ':hi': hi },
      ScanIndexForward: false,
      ConsistentRead: true,
      Limit: limit + 1,
      ExclusiveStartKey: startKey,
    });
    return toPage(items, limit, ['pk', 'sk'], fromItem);
  }

  /**
   * Every payment paid in [from, to], only who/whom/how much projected: the balances' read. At
   * most MAX_SETTLEMENTS items (the cap), about 400 bytes each (up to 600 with a long note): one
   * Query page (1 MB) per about 2,500 of them. Strongly consistent, so a payment recorded a
   * moment ago counts at once (read units are counted on whole items, projection or not).
   */
  async transfersBetween(budgetId: string, from: string, to: string): Promise<Transfer[]> {
    const { lo, hi } = this.keys.settlementRange(from, to);
    const items = await this.store.queryAll<Transfer & Record<string, unknown>>({
      KeyConditionExpression: 'pk = :pk AND sk BETWEEN :lo AND :hi',
      ExpressionAttributeValues: { ':pk': this.keys.settlementsPk(budgetId), ':lo': lo, ':hi': hi },
      ProjectionExpression: 'fromUserId, toUserId, amount',
      ConsistentRead: true,
    });
    return items.map((t) => ({ fromUserId: t.fromUserId, toUserId: t.toUserId, amount: t.amount }));
  }

  /**
   * Records the payment, counted, in ONE transaction with `alsoWrite` (its event), only while
   * both people are members of the budget (their membership items exist: none does once the
   * budget is deleted, so this also holds the budget) and the budget has room.
   */
  async create(settlement: Settlement, ulid: string, max: number, alsoWrite: TransactItem[]): Promise<RecordSettlementOutcome> {
    try {
      await this.store.transactWrite([
        { Put: { Item: toItem(this.keys, settlement, ulid), ConditionExpression: 'attribute_not_exists(pk)' } },
        { ConditionCheck: { Key: this.keys.member(settlement.budgetId, settlement.fromUserId), ConditionExpression: 'attribute_exists(pk)' } },
        { ConditionCheck: { Key: this.keys.member(settlement.budgetId, settlement.toUserId), ConditionExpression: 'attribute_exists(pk)' } },
        {
          Update: {
            Key: this.keys.settlementCount(settlement.budgetId),
            UpdateExpression: 'SET kind = :kind ADD #count :one',
            ConditionExpression: 'attribute_not_exists(#count) OR #count < :max',
            ExpressionAttributeNames: { '#count': 'count' },
            ExpressionAttributeValues: { ':kind': COUNT_KIND, ':one': 1, ':max': max },
          },
        },
        ...alsoWrite,
      ]);
      return 'created';
    } catch (err) {
      if (conditionFailedAt(err, 1)) return 'from-not-member';
      if (conditionFailedAt(err, 2)) return 'to-not-member';
      if (conditionFailedAt(err, 3)) return 'full';
      throw err;
    }
  }

  /**
   * Writes `after` over `before` (as read) in ONE transaction with `alsoWrite` (its event), only
   * while the stored item is still at `before.version`. When the day changed, the id did too
   * (its day prefix): the item moves to its new sort key (a Delete of the old and a Put of the
   * new, same ULID), so the balances' Query of a range finds it under its new day. The count does
   * not move. Membership is not checked again: who paid whom does not change.
   */
  async change(before: Settlement, after: Settlement, alsoWrite: TransactItem[]): Promise<ChangeSettlementOutcome> {
    const oldKey = this.keyOf(before.budgetId, before.id)!;
    const ulid = ID_SHAPE.exec(before.id)![4]!;
    const item = toItem(this.keys, after, ulid);
    const writes: TransactItem[] =
      before.id === after.id
        ? [{ Put: { Item: item, ...atVersion(before.version) } }]
        : [{ Delete: { Key: oldKey, ...atVersion(before.version) } }, { Put: { Item: item, ConditionExpression: 'attribute_not_exists(pk)' } }];
    try {
      await this.store.transactWrite([...writes, ...alsoWrite]);
      return 'changed';
    } catch (err) {
      if (conditionFailedAt(err, 0)) return 'stale';
      throw err;
    }
  }

  /**
   * Deletes the payment if it is still stored (and, given `version`, still at it), uncounting
   * it, with `alsoWrite` (its event). False when it was gone (or at another version).
   */
  async remove(settlement: Settlement, alsoWrite: TransactItem[], version?: number): Promise<boolean> {
    const key = this.keyOf(settlement.budgetId, settlement.id)!;
    try {
      await this.store.transactWrite([
        { Delete: { Key: key, ...(version === undefined ? { ConditionExpression: 'attribute_exists(pk)' } : atVersion(version)) } },
        {
          Update: {
            Key: this.keys.settlementCount(settlement.budgetId),
            UpdateExpression: 'SET kind = :kind ADD #count :minusOne',
            ExpressionAttributeNames: { '#count': 'count' },
            ExpressionAttributeValues: { ':kind': COUNT_KIND, ':minusOne': -1 },
          },
        },
        ...alsoWrite,
      ]);
      return true;
    } catch (err) {
      if (conditionFailedAt(err, 0)) return false;
      throw err;
    }
  }

  /** Every item of the budget's settlements partition, count included (the budget.deleted cleanup). Idempotent. */
  async deleteAll(budgetId: string): Promise<void> {
    const keys = await this.store.queryAll<Key>({
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': this.keys.settlementsPk(budgetId) },
      ProjectionExpression: 'pk, sk',
      ConsistentRead: true,
    });
    await this.store.batchDelete(keys.map((k) => ({ pk: k.pk, sk: k.sk })));
  }

  /** The item key an id names, or null when it is not a settlement id. */
  private keyOf(budgetId: string, id: string): Key | null {
    const m = ID_SHAPE.exec(id);
    if (!m) return null;
    return this.keys.settlement(budgetId, `${m[1]}-${m[2]}-${m[3]}`, m[4]!);
  }
}

function toItem(keys: BudgetsKeys, settlement: Settlement, ulid: string): SettlementItem {
  return { ...keys.settlement(settlement.budgetId, settlement.paidOn, ulid), kind: KIND, ...settlement };
}

function fromItem(item: SettlementItem): Settlement {
  return {
    budgetId: item.budgetId,
    id: item.id,
    fromUserId: item.fromUserId,
    toUserId: item.toUserId,
    amount: item.amount,
    currency: item.currency,
    paidOn: item.paidOn,
    ...(item.note ? { note: item.note } : {}),
    recordedBy: item.recordedBy,
    createdAt: item.createdAt,
    version: item.version ?? SETTLEMENT_VERSION,
    ...(item.updatedAt ? { updatedAt: item.updatedAt } : {}),
  };
}
