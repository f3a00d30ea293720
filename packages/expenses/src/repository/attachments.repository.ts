import { attr, conditionFailedAt, type Item, type ModuleStore } from '@budgeting/platform';
import { ATTACHMENT_CONTENT_TYPES, MAX_ATTACHMENTS_PER_EXPENSE } from '../domain/attachments';
import type { Attachment } from '../model';
import { CappedCollection, countOf, type CappedCreateOutcome } from './capped-collection';
import type { WriterGuard } from './writer-guard';
import { attachmentKeys } from './keys';
import { expenseSatellites } from './expense-satellites';

const ATTACHMENT_KIND = 'attachment';
const ATTACHMENT_COUNT_KIND = 'attachment-count';

/** The attachment was deleted (or confirmed) since it was read. */
export class AttachmentChangedError extends Error {
  constructor() {
    super('The attachment changed concurrently');
    this.name = 'AttachmentChangedError';
  }
}

/**
 * An expense's attachments (their metadata; the bytes are objects in storage), in the budget's
 * expense partition, with a count per expense moved in each create's and delete's transaction
 * (CappedCollection, as recurring definitions and rules are capped per budget): concurrent
 * creates cannot pass the cap together, and the create checks the budget's closed marker, so no
 * attachment is written behind the budget.deleted cleanup. No TTL on pending items: a TTL
 * would also delete the item of an upload that succeeded but was never confirmed, orphaning its
 * object, and leave the count wrong; abandoned ones are removed when next seen (service).
 */
export class AttachmentsRepository {
  private readonly keys: ReturnType<typeof attachmentKeys>;
  private readonly expense: ReturnType<typeof expenseSatellites>;

  constructor(
    private readonly store: ModuleStore,
    /** Tests lower it; production passes nothing. */
    readonly maxPerExpense = MAX_ATTACHMENTS_PER_EXPENSE,
  ) {
    this.keys = attachmentKeys(store);
    this.expense = expenseSatellites(store);
  }

  private capped(expenseId: string): CappedCollection {
    return new CappedCollection(this.store, (budgetId) => this.keys.count(budgetId, expenseId), ATTACHMENT_COUNT_KIND, this.maxPerExpense);
  }

  async get(budgetId: string, expenseId: string, id: string): Promise<Attachment | undefined> {
    const item = await this.store.get({ Key: this.keys.attachment(budgetId, expenseId, id), ConsistentRead: true });
    return item ? toAttachment(item) : undefined;
  }

  /** Every attachment of the expense, oldest first: one Query (the cap keeps it one small page). */
  async ofExpense(budgetId: string, expenseId: string): Promise<Attachment[]> {
    return (await this.itemsOf(budgetId, expenseId)).filter((i) => i.kind === ATTACHMENT_KIND).map(toAttachment);
  }

  /**
   * A page of the budget's attachments, every expense's (the data export): ONE strongly
   * consistent Query of the attachment prefix, at most `limit` items read (the counts among them
   * dropped, so a page may hold fewer), in expense then attachment order; `lastKey` while more
   * may follow.
   */
  async pageOfBudget(budgetId: string, limit: number, startKey?: Record<string, unknown>): Promise<{ items: Attachment[]; lastKey?: Record<string, unknown> }> {
    const page = await this.store.query({
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: { ':pk': this.keys.budgetPk(budgetId), ':prefix': this.keys.budgetPrefix },
      ConsistentRead: true,
      Limit: limit,
      ExclusiveStartKey: startKey,
    });
    return { items: page.items.filter((i) => i.kind === ATTACHMENT_KIND).map(toAttachment), ...(page.lastKey ? { lastKey: page.lastKey } : {}) };
  }

  /** Whether the expense has (or had: its count) any attachment item: one Query of at most one item. */
  async any(budgetId: string, expenseId: string): Promise<boolean> {
    const page = await this.store.query({
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: { ':pk': this.keys.budgetPk(budgetId), ':prefix': this.keys.expensePrefix(expenseId) },
      Limit: 1,
    });
    return page.items.length > 0;
  }

  /** Its attachments and its count, as stored (the count sorts after every attachment). */
  private itemsOf(budgetId: string, expenseId: string): Promise<Item[]> {
    return this.store.queryAll({
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: { ':pk': this.keys.budgetPk(budgetId), ':prefix': this.keys.expensePrefix(expenseId) },
      ConsistentRead: true,
    });
  }

  /**
   * Writes the attachment with its count, in one transaction that also checks the expense is
   * still there ('no-expense' otherwise): once an expense's deletion has committed, no attachment
   * can be added to it, so its expense.deleted cleanup, which runs after, finds them all.
   * `guard`: the writer's (writer-guard.ts), in the same transaction. `also`: items of the same
   * transaction (a keyed create's lease completion); 'key-taken' when one's condition failed (its
   * lease taken over by its retry), nothing written.
   */
  async create(a: Attachment, guard?: WriterGuard, also: Parameters<ModuleStore['transactWrite']>[0] = []): Promise<CappedCreateOutcome | 'no-expense' | 'key-taken'> {
    try {
      const outcome = await this.capped(a.expenseId).createWith(a.budgetId, a.id, this.toItem(a), {
        check: this.expense.liveCheck(a.budgetId, a.expenseId),
        alsoWrite: also,
        ...(guard ? { guard } : {}),
      });
      return outcome === 'check-failed' ? 'no-expense' : outcome;
    } catch (err) {
      // After the capped create's own three items (attachment, closed budget's check, count) and the expense's check.
      if (also.some((_, n) => conditionFailedAt(err, 4 + n))) return 'key-taken';
      throw err;
    }
  }

  /** pending -> uploaded, once (a conditional update); false when it was not pending any more. */
  async markUploaded(a: Attachment, at: string): Promise<boolean> {
    return this.store.updateIf({
      Key: this.keys.attachment(a.budgetId, a.expenseId, a.id),
      UpdateExpression: 'SET #status = :uploaded, uploadedAt = :at',
      ConditionExpression: '#status = :pending',
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: { ':uploaded': 'uploaded', ':pending': 'pending', ':at': at },
    });
  }

  /**
   * Deletes the attachment (still in the status it was read in) and gives its place back.
   * `guard`: a member's DELETE carries theirs (writer-guard.ts); removing an abandoned upload
   * seen by a reader does not (it is cleanup, allowed on an archived budget too).
   */
  async remove(a: Attachment, guard?: WriterGuard): Promise<void> {
    await this.capped(a.expenseId).remove(
      a.budgetId,
      this.keys.attachment(a.budgetId, a.expenseId, a.id),
      {
        ConditionExpression: '#status = :status',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':status': a.status },
      },
      () => new AttachmentChangedError(),
      [],
      guard,
    );
  }

  /**
   * The expense was deleted at `deletedAt`: its attachments made up to then go (and, while it is
   * still deleted, every one: expenseSatellites' ofDeletion), taken off the count (the count
   * item goes with the last of them when none is left); those made later belong to the expense
   * restored meanwhile and stay, counted (CappedCollection.purge: exact whatever is written
   * meanwhile). `beforeDelete` is given the attachments about to go after each read,
   * before their items are deleted (their files: a failure in between is retried whole). One
   * Query per read; idempotent. How many attachments were deleted.
   */
  async purge(budgetId: string, expenseId: string, deletedAt: string, beforeDelete: (gone: Attachment[]) => Promise<void>): Promise<number> {
    return this.capped(expenseId).purge(budgetId, async () => {
      const items = await this.itemsOf(budgetId, expenseId);
      const all = items.filter((i) => i.kind === ATTACHMENT_KIND).map(toAttachment);
      const gone = await this.expense.ofDeletion(all, budgetId, expenseId, deletedAt);
      if (gone.length > 0) await beforeDelete(gone);
      return { gone: gone.map((a) => this.keys.attachment(budgetId, expenseId, a.id)), kept: all.length - gone.length, count: countOf(items.find((i) => i.kind === ATTACHMENT_COUNT_KIND)) };
    });
  }

  private toItem(a: Attachment): Item {
    return { ...this.keys.attachment(a.budgetId, a.expenseId, a.id), kind: ATTACHMENT_KIND, ...a };
  }
}

function toAttachment(item: Item): Attachment {
  const fileName = attr.optionalStr(item, 'fileName');
  const uploadedAt = attr.optionalStr(item, 'uploadedAt');
  return {
    ...attr.fields(item, { id: attr.str, budgetId: attr.str, expenseId: attr.str, status: attr.among(['pending', 'uploaded'] as const) }),
    ...attr.fields(item, { contentType: attr.among(ATTACHMENT_CONTENT_TYPES), size: attr.num }),
    ...(fileName === undefined ? {} : { fileName }),
    ...attr.fields(item, { createdBy: attr.str, createdAt: attr.str, uploadExpiresAt: attr.str }),
    ...(uploadedAt === undefined ? {} : { uploadedAt }),
  };
}
