import { conditionFailedAt, type Key, type ModuleStore } from '@budgeting/platform';
import type { Settlement } from '../model';
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
 * cap is what bounds the balances' Query of a range.
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

  /** Deletes the payment if it is still stored, uncounting it, with `alsoWrite` (its event). False when it was gone. */
  async remove(settlement: Settlement, alsoWrite: TransactItem[]): Promise<boolean> {
    const key = this.keyOf(settlement.budgetId, settlement.id)!;
    try {
      await this.store.transactWrite([
        { Delete: { Key: key, ConditionExpression: 'attribute_exists(pk)' } },
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
  };
}
