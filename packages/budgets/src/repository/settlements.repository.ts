import { capRefused, conditionFailedAt, giveBackPlace, takePlace, type ModuleStore } from '@budgeting/platform';
import { SETTLEMENT_VERSION, type Settlement } from '../model';
import type { BudgetsKeys, TransactItem } from './keys';
import { toPage, type Page } from './page';
import { PRESENT_NOT_ARCHIVED, WRITING_MEMBER } from './conditions';

const KIND = 'settlement';
const POINTER_KIND = 'settlement-pointer';
const COUNT_KIND = 'settlement-count';

interface SettlementItem extends Settlement {
  pk: string;
  sk: string;
  kind: typeof KIND;
  [attribute: string]: unknown;
}

/**
 * Left at a moved payment's home key (the key its id decodes to) while it sits under another
 * day: `movedTo` is the day it is stored under now. At most one per payment (a second move
 * rewrites it, a move home removes it); about 180 bytes.
 */
interface PointerItem {
  pk: string;
  sk: string;
  kind: typeof POINTER_KIND;
  id: string;
  movedTo: string;
  [attribute: string]: unknown;
}

/** What the balances need of a payment: who sent how much to whom. */
export interface Transfer {
  fromUserId: string;
  toUserId: string;
  amount: number;
}

/** 'key-taken': an item of `alsoWrite` failed its condition (a keyed record's lease completion: its lease taken over), nothing written. */
export type RecordSettlementOutcome = 'created' | 'from-not-member' | 'to-not-member' | 'neither-member' | 'caller-refused' | 'full' | 'key-taken';

/**
 * `changed`: the write went through; `stale`: the payment is gone or at another version than the
 * one read; `archived`: the caller's membership carried `archivedAt` (or was gone) at the write;
 * `key-taken`: an item of `alsoWrite` failed its condition (a keyed change's lease completion: its
 * lease taken over), nothing written.
 */
export type ChangeSettlementOutcome = 'changed' | 'stale' | 'archived' | 'key-taken';
/** As ChangeSettlementOutcome, for a delete. */
export type RemoveSettlementOutcome = 'removed' | 'stale' | 'archived';

/** A party's membership: there and not archived (conditions.ts). */
const ACTIVE_MEMBER = PRESENT_NOT_ARCHIVED;

/**
 * The writer's condition, the one BudgetsFacade.writeChecks asks (conditions.ts): a role that may
 * write settle-up payments and the budget not archived, so a caller removed or made a viewer after
 * the access read cannot record, change or delete one (packages/budgets/docs/members.md "Audit").
 */
const WRITER = WRITING_MEMBER;

/** The condition "a payment is stored here" (not a pointer: a pointer has no `version` either). */
const isPayment = () => ({ ConditionExpression: '#kind = :payment', ExpressionAttributeNames: { '#kind': 'kind' }, ExpressionAttributeValues: { ':payment': KIND } });

/**
 * The condition "the payment is still here at `version`": items stored before payments could
 * change have no `version` attribute and are at SETTLEMENT_VERSION. The kind is checked too:
 * a payment that moved away meanwhile may have left a pointer (no `version`) at this key.
 */
function atVersion(version: number) {
  const names = { '#kind': 'kind', '#version': 'version' };
  const values = { ':payment': KIND, ':version': version };
  return version === SETTLEMENT_VERSION
    ? { ConditionExpression: '#kind = :payment AND (attribute_not_exists(#version) OR #version = :version)', ExpressionAttributeNames: names, ExpressionAttributeValues: values }
    : { ConditionExpression: '#kind = :payment AND #version = :version', ExpressionAttributeNames: names, ExpressionAttributeValues: values };
}

/** The condition "the pointer here still names `day`" (the payment was not moved meanwhile). */
const pointsTo = (day: string) => ({
  ConditionExpression: '#kind = :pointer AND #movedTo = :day',
  ExpressionAttributeNames: { '#kind': 'kind', '#movedTo': 'movedTo' },
  ExpressionAttributeValues: { ':pointer': POINTER_KIND, ':day': day },
});

/** What range Queries keep: payments, not the pointers among them (a FilterExpression). */
const paymentsOnly = { FilterExpression: '#kind = :payment', ExpressionAttributeNames: { '#kind': 'kind' } };

/**
 * `20261124-01JDQ...`: the day paid when recorded (the payment's home key in the partition)
 * and a ULID. The id never changes: a payment whose day is corrected moves to the new day's
 * key and leaves a pointer at its home key (`change`). Parsed back by `homeOf`; anything else
 * is not a settlement id (404 without a read).
 */
export const settlementId = (paidOn: string, ulid: string) => `${paidOn.replaceAll('-', '')}-${ulid}`;
const ID_SHAPE = /^(\d{4})(\d{2})(\d{2})-([0-9A-HJKMNP-TV-Z]{26})$/;

/** The day an id was recorded under and its ULID, or null when it is not a settlement id. */
function homeOf(id: string): { paidOn: string; ulid: string } | null {
  const m = ID_SHAPE.exec(id);
  return m ? { paidOn: `${m[1]}-${m[2]}-${m[3]}`, ulid: m[4]! } : null;
}

/** A moved payment's GET follows its pointer once; a move meanwhile rewrites it, so it is read again. */
const POINTER_READS = 3;

/**
 * A budget's recorded settle-up payments (keys.ts: a partition per budget, sorted by the day
 * paid, and a count item). The count moves in the same transaction as every record and delete,
 * so concurrent records cannot pass MAX_SETTLEMENTS together (the invitations' technique): the
 * cap is what bounds the balances' Query of a range. A change (PATCH) is one transaction
 * conditioned on the item's `version`.
 *
 * A payment is stored under the day it was paid, so a range of days is one Query; its id names
 * the day it was RECORDED under (its home key). A corrected day moves the item (its `id`
 * attribute kept) and leaves one pointer item at the home key naming the day it is under now:
 * a read by id is one GetItem, two for a moved payment. Range reads filter the pointers out.
 */
export class SettlementsRepository {
  constructor(
    private readonly store: ModuleStore,
    private readonly keys: BudgetsKeys,
  ) {}

  /** The payment an id names, wherever it is stored now (its home key, or where the pointer there says). */
  async get(budgetId: string, id: string): Promise<Settlement | null> {
    const home = homeOf(id);
    if (!home) return null;
    for (let read = 1; read <= POINTER_READS; read++) {
      const item = await this.store.get<SettlementItem | PointerItem>({ Key: this.keys.settlement(budgetId, home.paidOn, home.ulid), ConsistentRead: true });
      // `id` checked: a payment moved here from its own home is not also reachable by this key's name.
      if (!item) return null;
      if (item.kind !== POINTER_KIND) return item.id === id ? fromItem(item as SettlementItem) : null;
      const moved = await this.store.get<SettlementItem | PointerItem>({ Key: this.keys.settlement(budgetId, (item as PointerItem).movedTo, home.ulid), ConsistentRead: true });
      if (moved?.kind === KIND && moved.id === id) return fromItem(moved as SettlementItem);
      // Moved again (or deleted) between the two reads: the home key says which.
    }
    return null;
  }

  /**
   * A page of the payments paid in [from, to] (either optional), newest day first, then newest
   * recorded first. Pointers are filtered out (they still count against a Query's `Limit`), so
   * a page short of `limit + 1` payments with more to read queries on.
   */
  async page(budgetId: string, range: { from?: string; to?: string }, limit: number, startKey?: Record<string, unknown>): Promise<Page<Settlement>> {
    const lo = range.from ? this.keys.settlementRange(range.from, range.from).lo : this.keys.settlementSkPrefix;
    const hi = range.to ? this.keys.settlementRange(range.to, range.to).hi : `${this.keys.settlementSkPrefix}~`;
    const found: SettlementItem[] = [];
    let from = startKey;
    do {
      const { items, lastKey } = await this.store.query<SettlementItem>({
        KeyConditionExpression: 'pk = :pk AND sk BETWEEN :lo AND :hi',
        ...paymentsOnly,
        ExpressionAttributeValues: { ':pk': this.keys.settlementsPk(budgetId), ':lo': lo, ':hi': hi, ':payment': KIND },
        ScanIndexForward: false,
        ConsistentRead: true,
        Limit: limit + 1 - found.length,
        ExclusiveStartKey: from,
      });
      found.push(...items);
      from = lastKey;
    } while (from && found.length <= limit);
    return toPage(found, limit, ['pk', 'sk'], fromItem);
  }

  /**
   * Every payment paid in [from, to], only who/whom/how much projected: the balances' read. At
   * most MAX_SETTLEMENTS payments (the cap), about 400 bytes each (up to 600 with a long note),
   * plus a pointer of about 180 bytes per payment moved away from a day of the range (filtered
   * out, but read and billed): one Query page (1 MB) per about 2,500 of them. Strongly
   * consistent, so a payment recorded a moment ago counts at once (read units are counted on
   * whole items, projection or not).
   */
  async transfersBetween(budgetId: string, from: string, to: string): Promise<Transfer[]> {
    const { lo, hi } = this.keys.settlementRange(from, to);
    const items = await this.store.queryAll<Transfer & Record<string, unknown>>({
      KeyConditionExpression: 'pk = :pk AND sk BETWEEN :lo AND :hi',
      ...paymentsOnly,
      ExpressionAttributeValues: { ':pk': this.keys.settlementsPk(budgetId), ':lo': lo, ':hi': hi, ':payment': KIND },
      ProjectionExpression: 'fromUserId, toUserId, amount',
      ConsistentRead: true,
    });
    return items.map((t) => ({ fromUserId: t.fromUserId, toUserId: t.toUserId, amount: t.amount }));
  }

  /**
   * Records the payment, counted, in ONE transaction with `alsoWrite` (its event), only while
   * both people are members of the budget (their membership items exist: none does once the
   * budget is deleted, so this also holds the budget) and the budget has room. Their checks
   * also ask the budget not archived (every membership carries `archivedAt` while it is:
   * archive.repository.ts), closing the archive race at no item more; a failed one is then an
   * archive or a former member, which the service tells apart by reading access again.
   * The recorder (`recordedBy`) must still hold a writing role (WRITER): on their own
   * membership's check when they are the payer or payee (one item can be checked once), else
   * on a check of its own after the count; either failing is 'caller-refused'.
   */
  async create(settlement: Settlement, ulid: string, max: number, alsoWrite: TransactItem[]): Promise<RecordSettlementOutcome> {
    const { budgetId, fromUserId, toUserId, recordedBy } = settlement;
    const party = (userId: string) => ({ ConditionCheck: { Key: this.keys.member(budgetId, userId), ...(userId === recordedBy ? WRITER : ACTIVE_MEMBER) } });
    const caller = recordedBy === fromUserId || recordedBy === toUserId ? [] : [this.writer(budgetId, recordedBy)];
    try {
      await this.store.transactWrite([
        { Put: { Item: toItem(this.keys, settlement, ulid), ConditionExpression: 'attribute_not_exists(pk)' } },
        party(fromUserId),
        party(toUserId),
        takePlace({ Key: this.keys.settlementCount(budgetId), max, kind: COUNT_KIND }),
        ...caller,
        ...alsoWrite,
      ]);
      return 'created';
    } catch (err) {
      // A party's check that was the recorder's (WRITER) failed on the recorder's own right, not
      // on the party's membership: the service answers it as the caller's, never a 422 naming them.
      const [fromFailed, toFailed] = [conditionFailedAt(err, 1), conditionFailedAt(err, 2)];
      if (fromFailed && fromUserId === recordedBy) return 'caller-refused';
      // Both checks are evaluated: each party that is no member is said (both: one answer naming both).
      if (fromFailed && toFailed && toUserId !== recordedBy) return 'neither-member';
      if (fromFailed) return 'from-not-member';
      if (toFailed) return toUserId === recordedBy ? 'caller-refused' : 'to-not-member';
      if (capRefused(err, 3)) return 'full';
      if (caller.length > 0 && conditionFailedAt(err, 4)) return 'caller-refused';
      // After the payment's own items (the Put, the two memberships' checks, the count, the caller's).
      if (alsoWrite.some((_, n) => conditionFailedAt(err, 4 + caller.length + n))) return 'key-taken';
      throw err;
    }
  }

  /**
   * Writes `after` over `before` (as read; the same id) in ONE transaction with `alsoWrite`
   * (its event), only while the stored payment is still at `before.version` (and, for a moved
   * one, its pointer still names `before.paidOn`). When the day changed, the item moves to the
   * new day's key (so the balances' range Query finds it there), keeping its id; its home key
   * (the day the id names) then holds a pointer to the new day, or the payment itself when it
   * moves back home. Never a chain: leaving home puts the pointer, a second move rewrites it
   * and deletes the item at the day in between. The count does not move. Membership is not
   * checked again: who paid whom does not change. The caller's membership is checked for a
   * writing role, not archived (WRITER; 'archived' otherwise: an archive, a removal or a change
   * to viewer committed after the caller's access read).
   */
  async change(before: Settlement, after: Settlement, callerId: string, alsoWrite: TransactItem[]): Promise<ChangeSettlementOutcome> {
    const home = homeOf(before.id)!;
    const homeKey = this.keys.settlement(before.budgetId, home.paidOn, home.ulid);
    const item = toItem(this.keys, after, home.ulid);
    const pointer = (movedTo: string): PointerItem => ({ ...homeKey, kind: POINTER_KIND, id: before.id, movedTo });
    const away = { Delete: { Key: this.keys.settlement(before.budgetId, before.paidOn, home.ulid), ...atVersion(before.version) } };
    const fresh = { Put: { Item: item, ConditionExpression: 'attribute_not_exists(pk)' } };
    let writes: TransactItem[];
    if (after.paidOn === before.paidOn) writes = [{ Put: { Item: item, ...atVersion(before.version) } }];
    else if (before.paidOn === home.paidOn) writes = [{ Put: { Item: pointer(after.paidOn), ...atVersion(before.version) } }, fresh]; // leaves home
    else if (after.paidOn === home.paidOn) writes = [away, { Put: { Item: item, ...pointsTo(before.paidOn) } }]; // back home, over its pointer
    else writes = [away, fresh, { Put: { Item: pointer(after.paidOn), ...pointsTo(before.paidOn) } }]; // a second move
    try {
      await this.store.transactWrite([...writes, this.writer(before.budgetId, callerId), ...alsoWrite]);
      return 'changed';
    } catch (err) {
      if (conditionFailedAt(err, writes.length)) return 'archived';
      if (writes.some((_, i) => conditionFailedAt(err, i))) return 'stale';
      // After the payment's items and the caller's check.
      if (alsoWrite.some((_, n) => conditionFailedAt(err, writes.length + 1 + n))) return 'key-taken';
      throw err;
    }
  }

  /**
   * Deletes the payment if it is still stored where it was read (and, given `version`, still
   * at it), and its pointer when it had moved, uncounting it, with `alsoWrite` (its event).
   * 'stale' when it was gone, moved meanwhile or at another version; 'archived' when the
   * caller's membership is archived (or gone), as for change().
   */
  async remove(settlement: Settlement, callerId: string, alsoWrite: TransactItem[], version?: number): Promise<RemoveSettlementOutcome> {
    const home = homeOf(settlement.id)!;
    const writes: TransactItem[] = [
      { Delete: { Key: this.keys.settlement(settlement.budgetId, settlement.paidOn, home.ulid), ...(version === undefined ? isPayment() : atVersion(version)) } },
    ];
    if (settlement.paidOn !== home.paidOn) {
      writes.push({ Delete: { Key: this.keys.settlement(settlement.budgetId, home.paidOn, home.ulid), ...pointsTo(settlement.paidOn) } });
    }
    try {
      await this.store.transactWrite([
        ...writes,
        giveBackPlace({ Key: this.keys.settlementCount(settlement.budgetId), kind: COUNT_KIND }),
        this.writer(settlement.budgetId, callerId),
        ...alsoWrite,
      ]);
      return 'removed';
    } catch (err) {
      if (conditionFailedAt(err, writes.length + 1)) return 'archived';
      if (writes.some((_, i) => conditionFailedAt(err, i))) return 'stale';
      throw err;
    }
  }

  /**
   * The caller's membership still there with a writing role and not archived (WRITER): one
   * ConditionCheck, the item the archive marks (archive.repository.ts) and a removal or a role
   * change writes, so a write racing either fails in its own transaction.
   */
  private writer(budgetId: string, userId: string): TransactItem {
    return { ConditionCheck: { Key: this.keys.member(budgetId, userId), ...WRITER } };
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
