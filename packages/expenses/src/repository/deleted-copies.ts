import { TABLE, attr, limitPage, type Item, type Key, type ModuleStore } from '@budgeting/platform';

/** Where a kind's restorable copies sit: by key in the budget's partition, listed through gsi1 newest deletion first. */
export interface DeletedCopyKeys {
  budgetPk: (budgetId: string) => string;
  copySk: (id: string) => string;
  listPk: (budgetId: string) => string;
  listSk: (deletedAt: string, id: string) => string;
}

/** How long a deleted item's copy is kept for undo (its TTL): 30 days from the deletion. */
export const RESTORE_WINDOW_SECONDS = 30 * 24 * 60 * 60;

/** Who deleted a copy's item, when, and when the table's TTL removes the copy (epoch seconds). */
export interface Deletion {
  deletedAt: string;
  deletedBy: string;
  expiresAt: number;
}

/**
 * What a deleted item leaves for undo (packages/expenses/docs/bulk-edit-and-restore.md "Restoring a deleted expense", and an
 * income entry's the same way): ONE item in the budget's partition, written by the delete's own
 * transaction and removed by the restore's, holding the item's full stored content (so the item's
 * own reader gives it back), who deleted it and when, and its TTL (RESTORE_WINDOW_SECONDS after
 * the deletion). Not kept: its list index entries (the copy's own gsi1 entry lists it under the
 * budget's deleted partition of its kind instead, never a list the item appears in).
 * DeletedExpenses (expenses) and IncomeRepository.deleted (income entries) are its two kinds.
 */
export class DeletedCopies<D extends Deletion> {
  constructor(
    private readonly keys: DeletedCopyKeys,
    /** The copies' `kind` attribute: no reader of the live items takes a copy for one. */
    private readonly kind: string,
    private readonly store: ModuleStore,
    /** A copy read back: the item's reader (the same attributes as the live item) and its deletion. */
    private readonly toDeleted: (item: Item, deletion: Deletion) => D,
  ) {}

  key(budgetId: string, id: string): Key {
    return { pk: this.keys.budgetPk(budgetId), sk: this.keys.copySk(id) };
  }

  /**
   * The item a delete puts: `stored` is the live item as it would be written, of which
   * everything but its keys and index attributes is kept.
   */
  item(stored: Item, d: { deletedAt: string; deletedBy: string }): Item {
    const { pk: _pk, sk: _sk, gsi1pk: _g1, gsi1sk: _g1s, gsi2pk: _g2, gsi2sk: _g2s, gsi3pk: _g3, gsi3sk: _g3s, gsi4pk: _g4, gsi4sk: _g4s, kind: _kind, ...content } = stored;
    const budgetId = attr.str(stored, 'budgetId');
    const id = attr.str(stored, 'id');
    return {
      ...content,
      ...this.key(budgetId, id),
      kind: this.kind,
      gsi1pk: this.keys.listPk(budgetId),
      gsi1sk: this.keys.listSk(d.deletedAt, id),
      deletedAt: d.deletedAt,
      deletedBy: d.deletedBy,
      [TABLE.ttlAttribute]: Math.floor(Date.parse(d.deletedAt) / 1000) + RESTORE_WINDOW_SECONDS,
    };
  }

  /**
   * A ConditionCheck that `id` has no restorable copy at `now`: none, or one past its window
   * that the TTL has not removed yet (gone, as `get` reads it). An offline push's create of a
   * client id carries it: the resend tombstone lives only until createdAt + 24 h, the copy 30
   * days from the deletion, so a create resent after an item deleted more than 24 h after its
   * creation would otherwise record it again.
   */
  absentCheck(budgetId: string, id: string, now: Date): Parameters<ModuleStore['transactWrite']>[0][number] {
    return {
      ConditionCheck: {
        Key: this.key(budgetId, id),
        ConditionExpression: 'attribute_not_exists(pk) OR #expiresAt <= :now',
        ExpressionAttributeNames: { '#expiresAt': TABLE.ttlAttribute },
        ExpressionAttributeValues: { ':now': Math.floor(now.getTime() / 1000) },
      },
    };
  }

  /**
   * The restore's Delete of the copy it read: conditioned on its `deletedAt`, so of concurrent
   * restores exactly one commits (and a copy a later deletion replaced is not taken for it).
   */
  takeBack(budgetId: string, id: string, deletedAt: string) {
    return {
      Delete: {
        Key: this.key(budgetId, id),
        ConditionExpression: '#deletedAt = :deletedAt',
        ExpressionAttributeNames: { '#deletedAt': 'deletedAt' },
        ExpressionAttributeValues: { ':deletedAt': deletedAt },
      },
    };
  }

  /**
   * The restorable copy of a deleted item, strongly consistent; undefined when there is none
   * (never deleted, restored since, or past its window: an item the TTL has not removed yet
   * counts as gone, DynamoDB may take a while to remove it).
   */
  async get(budgetId: string, id: string, now: Date): Promise<D | undefined> {
    const item = await this.store.get({ Key: this.key(budgetId, id), ConsistentRead: true });
    if (!item || item.kind !== this.kind) return undefined;
    const deleted = this.read(item);
    return deleted.expiresAt > Math.floor(now.getTime() / 1000) ? deleted : undefined;
  }

  /**
   * A page of a budget's copies, newest deletion first, through gsi1 (eventually consistent in AWS).
   * Only copies still in their window are read: a copy's window ends RESTORE_WINDOW_SECONDS after
   * its deletion, and the list is sorted by deletion time, so those past it (not yet removed by the
   * TTL, which can take days) are the list's tail, cut off by the key condition rather than read and
   * filtered out into pages of nothing. One more is read than the page holds (limitPage): the page
   * that holds the last copy has no resume key. A cursor whose position has since left the window
   * (the client paged slowly) is the end: nothing older is listed.
   */
  async page(budgetId: string, limit: number, startKey: Record<string, unknown> | undefined, now: Date) {
    const nowSeconds = Math.floor(now.getTime() / 1000);
    // Listed while floor(deletedAt) + window > now: deleted at or after this instant.
    const windowStart = this.keys.listSk(new Date((nowSeconds - RESTORE_WINDOW_SECONDS + 1) * 1000).toISOString(), '');
    if (startKey && typeof startKey.gsi1sk === 'string' && startKey.gsi1sk < windowStart) return { items: [] as D[] };
    const read = await this.store.query({
      IndexName: 'gsi1',
      KeyConditionExpression: 'gsi1pk = :pk AND gsi1sk >= :windowStart',
      // The same test by the copy's own expiry (what `get` and a restore go by).
      FilterExpression: '#expires > :now',
      ExpressionAttributeNames: { '#expires': TABLE.ttlAttribute },
      ExpressionAttributeValues: { ':pk': this.keys.listPk(budgetId), ':windowStart': windowStart, ':now': nowSeconds },
      ScanIndexForward: false,
      Limit: limit + 1,
      ExclusiveStartKey: startKey,
    });
    const { items, lastKey } = limitPage(read.items, limit, read.lastKey, ['pk', 'sk', 'gsi1pk', 'gsi1sk']);
    return { items: items.map((i) => this.read(i)), ...(lastKey ? { lastKey } : {}) };
  }

  private read(item: Item): D {
    return this.toDeleted(item, { deletedAt: attr.str(item, 'deletedAt'), deletedBy: attr.str(item, 'deletedBy'), expiresAt: attr.num(item, TABLE.ttlAttribute) });
  }
}
