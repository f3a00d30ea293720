import { TABLE, attr, type Item, type Key, type ModuleStore } from '@budgeting/platform';
import type { Expense } from '../model';
import { expenseKeys, type ExpenseKeys } from './keys';

/**
 * What a deleted expense leaves for undo (POST .../expenses/{expenseId}/restore): one item in
 * the budget's expense partition (keys.ts, "Deleted expense"), written by the delete's own
 * transaction (ExpensesRepository.remove) and removed by the restore's. It holds the expense's
 * full stored content (the same attributes as the expense item, so the same reader gives the
 * same expense back: splits and foreign amounts included), the Idempotency-Key record the
 * expense item held (so a restored expense still replays its create's answer), who deleted it
 * and when, and its TTL: DynamoDB removes it RESTORE_WINDOW_SECONDS after the deletion.
 *
 * Not kept: the expense's list index entries (gsi1/gsi2 of an expense, gsi3, the review
 * inbox's, and gsi4, a bill's payments: a deleted expense is in no expense list, inbox or
 * payment history; its own gsi1 entry lists it under the budget's deleted partition instead; a
 * restore writes the item again, with its gsi3 entry if it still needs review and its gsi4
 * entry if a recurring expense recorded it)
 * and its attachments (deleted with their files by the expense.deleted cascade).
 */
export const RESTORE_WINDOW_SECONDS = 30 * 24 * 60 * 60;
export const DELETED_KIND = 'expense-deleted';

export interface DeletedExpense {
  expense: Expense;
  deletedAt: string;
  deletedBy: string;
  /** When the table's TTL removes it (epoch seconds). */
  expiresAt: number;
}

export class DeletedExpenses {
  private readonly keys: ExpenseKeys;

  constructor(
    private readonly store: ModuleStore,
    /** The expense item's reader (ExpensesRepository's, which also keeps the held Idempotency-Key record): the copy is read the same way. */
    private readonly read: (item: Item) => Expense,
  ) {
    this.keys = expenseKeys(store);
  }

  key(budgetId: string, expenseId: string): Key {
    return { pk: this.keys.budgetPk(budgetId), sk: this.keys.deletedSk(expenseId) };
  }

  /**
   * The item a delete puts: `stored` is the expense item as it would be written (toItem, with
   * the Idempotency-Key record it holds while that lives), of which everything but its keys and
   * index attributes is kept.
   */
  item(stored: Item, d: { deletedAt: string; deletedBy: string }): Item {
    const { pk: _pk, sk: _sk, gsi1pk: _g1, gsi1sk: _g1s, gsi2pk: _g2, gsi2sk: _g2s, gsi3pk: _g3, gsi3sk: _g3s, gsi4pk: _g4, gsi4sk: _g4s, kind: _kind, ...content } = stored;
    const budgetId = attr.str(stored, 'budgetId');
    const id = attr.str(stored, 'id');
    return {
      ...content,
      ...this.key(budgetId, id),
      kind: DELETED_KIND,
      gsi1pk: this.keys.deletedListPk(budgetId),
      gsi1sk: this.keys.deletedListSk(d.deletedAt, id),
      deletedAt: d.deletedAt,
      deletedBy: d.deletedBy,
      [TABLE.ttlAttribute]: Math.floor(Date.parse(d.deletedAt) / 1000) + RESTORE_WINDOW_SECONDS,
    };
  }

  /**
   * A ConditionCheck that `expenseId` has no restorable copy at `now`: none, or one past its
   * window that the TTL has not removed yet (gone, as `get` reads it). An offline push's create
   * of a client id carries it (ExpensesService.createWithId): the resend tombstone lives only
   * until createdAt + 24 h, the copy 30 days from the deletion, so a create resent after an
   * expense deleted more than 24 h after its creation would otherwise record it again.
   */
  absentCheck(budgetId: string, expenseId: string, now: Date): Parameters<ModuleStore['transactWrite']>[0][number] {
    return {
      ConditionCheck: {
        Key: this.key(budgetId, expenseId),
        ConditionExpression: 'attribute_not_exists(pk) OR #expiresAt <= :now',
        ExpressionAttributeNames: { '#expiresAt': TABLE.ttlAttribute },
        ExpressionAttributeValues: { ':now': Math.floor(now.getTime() / 1000) },
      },
    };
  }

  /**
   * The restorable copy of a deleted expense, strongly consistent; undefined when there is none
   * (never deleted, restored since, or past its window: an item the TTL has not removed yet
   * counts as gone, DynamoDB may take a while to remove it).
   */
  async get(budgetId: string, expenseId: string, now: Date): Promise<DeletedExpense | undefined> {
    const item = await this.store.get({ Key: this.key(budgetId, expenseId), ConsistentRead: true });
    if (!item || item.kind !== DELETED_KIND) return undefined;
    const deleted = this.toDeleted(item);
    return deleted.expiresAt > Math.floor(now.getTime() / 1000) ? deleted : undefined;
  }

  /** A page of a budget's deleted expenses, newest deletion first, through gsi1 (eventually consistent in AWS). */
  async page(budgetId: string, limit: number, startKey: Record<string, unknown> | undefined, now: Date) {
    const { items, lastKey } = await this.store.query({
      IndexName: 'gsi1',
      KeyConditionExpression: 'gsi1pk = :pk',
      // Past the window but not yet removed by the TTL: not restorable, not listed.
      FilterExpression: '#expires > :now',
      ExpressionAttributeNames: { '#expires': TABLE.ttlAttribute },
      ExpressionAttributeValues: { ':pk': this.keys.deletedListPk(budgetId), ':now': Math.floor(now.getTime() / 1000) },
      ScanIndexForward: false,
      Limit: limit,
      ExclusiveStartKey: startKey,
    });
    return { items: items.map((i) => this.toDeleted(i)), lastKey };
  }

  private toDeleted(item: Item): DeletedExpense {
    return {
      expense: this.read(item),
      deletedAt: attr.str(item, 'deletedAt'),
      deletedBy: attr.str(item, 'deletedBy'),
      expiresAt: attr.num(item, TABLE.ttlAttribute),
    };
  }
}
