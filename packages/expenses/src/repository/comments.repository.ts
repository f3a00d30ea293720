import { attr, conditionFailedAt, giveBackPlace, limitPage, type Item, type ModuleStore } from '@budgeting/platform';
import { MAX_COMMENTS_PER_EXPENSE } from '../domain/comments';
import type { ExpenseComment } from '../model';
import { commentKeys } from './keys';
import { expenseSatellites } from './expense-satellites';
import { CappedCollection, countOf } from './capped-collection';
import { transactGuarded, type WriterGuard } from './writer-guard';

const COMMENT_KIND = 'comment';
const COMMENT_COUNT_KIND = 'comment-count';

/** A transaction item to write along (the event's outbox item). */
type AlsoWrite = Parameters<ModuleStore['transactWrite']>[0][number];

/** How a create ended: written, id taken (an Idempotency-Key retry), budget data deleted, expense gone, or at the cap. */
export type CommentCreateOutcome = 'created' | 'exists' | 'budget-closed' | 'no-expense' | 'full' | 'key-taken';

/** What a new comment's write needs to know first: whether the expense is there, its creator, the count. */
export interface CommentContext {
  expenseCreatedBy: string;
  count: number;
  /** Everyone who ever commented on the expense (the count item's set). */
  participants: string[];
}

/**
 * An expense's comments, in the budget's expense partition (keys.ts commentKeys), with a count
 * item per expense moved in each create's and delete's transaction (as attachments are capped):
 * concurrent creates cannot pass the cap together. The create also checks the budget's closed
 * marker (nothing outlives the budget.deleted cleanup) and that the expense is still there (no
 * comment is added behind its expense.deleted cascade), and writes the event's outbox item:
 * one TransactWriteItems of 5 items. The expense item itself is never written, so a comment
 * costs the expense's own writes (and delta sync) nothing.
 */
export class CommentsRepository {
  private readonly keys: ReturnType<typeof commentKeys>;
  private readonly expense: ReturnType<typeof expenseSatellites>;

  constructor(
    private readonly store: ModuleStore,
    /** Tests lower it; production passes nothing. */
    readonly maxPerExpense = MAX_COMMENTS_PER_EXPENSE,
  ) {
    this.keys = commentKeys(store);
    this.expense = expenseSatellites(store);
  }

  /** The expense (live: kind expense) and its comment count, in ONE BatchGetItem; undefined when there is no such expense. */
  async context(budgetId: string, expenseId: string): Promise<CommentContext | undefined> {
    const expenseKey = this.expense.expenseKey(budgetId, expenseId);
    const items = await this.store.batchGet([expenseKey, this.keys.count(budgetId, expenseId)], true);
    const expense = items.find((i) => i.sk === expenseKey.sk && i.kind === 'expense');
    if (!expense) return undefined;
    const count = items.find((i) => i.kind === COMMENT_COUNT_KIND);
    return {
      expenseCreatedBy: attr.str(expense, 'createdBy'),
      count: count ? attr.num(count, 'count') : 0,
      participants: count ? participantsOf(count) : [],
    };
  }

  /** Whether the expense is there (live), strongly consistent. */
  expenseExists(budgetId: string, expenseId: string): Promise<boolean> {
    return this.expense.isLive(budgetId, expenseId);
  }

  async get(budgetId: string, expenseId: string, id: string): Promise<ExpenseComment | undefined> {
    const item = await this.store.get({ Key: this.keys.comment(budgetId, expenseId, id), ConsistentRead: true });
    return item ? toComment(item) : undefined;
  }

  /**
   * One page of the expense's comments, oldest first; `lastKey` when there are more. The count
   * item sorts after every comment, so it can only be the last item read: dropped, it ends the list.
   * A page DynamoDB cut short at 1 MB keeps its LastEvaluatedKey (limitPage).
   */
  async page(budgetId: string, expenseId: string, limit: number, startKey?: Record<string, unknown>) {
    const read = await this.store.query({
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: { ':pk': this.keys.budgetPk(budgetId), ':prefix': this.keys.expensePrefix(expenseId) },
      ConsistentRead: true,
      Limit: limit + 1,
      ExclusiveStartKey: startKey,
    });
    const comments = read.items.filter((i) => i.kind === COMMENT_KIND);
    // The count item read: nothing follows it, whatever DynamoDB's LastEvaluatedKey says.
    const ended = comments.length < read.items.length;
    const { items, lastKey } = limitPage(comments, limit, ended ? undefined : read.lastKey, ['pk', 'sk']);
    return { items: items.map(toComment), ...(lastKey ? { lastKey } : {}) };
  }

  /**
   * One page of the comments `authorId` wrote anywhere in the budget (the data export): a Query
   * of the budget's comments (`limit` items read, every author's and the counts), filtered to
   * theirs. `lastKey` while there is more to read; a page may hold none of theirs.
   */
  async byAuthorPage(budgetId: string, authorId: string, limit: number, startKey?: Record<string, unknown>) {
    const { items, lastKey } = await this.store.query({
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      FilterExpression: '#kind = :comment AND authorId = :author',
      ExpressionAttributeNames: { '#kind': 'kind' },
      ExpressionAttributeValues: { ':pk': this.keys.budgetPk(budgetId), ':prefix': this.keys.budgetPrefix, ':comment': COMMENT_KIND, ':author': authorId },
      ConsistentRead: true,
      Limit: limit,
      ExclusiveStartKey: startKey,
    });
    return { items: items.map(toComment), ...(lastKey ? { lastKey } : {}) };
  }

  /** Every comment of the expense and its count item, as stored (the cap bounds them: one or two Query pages). */
  private itemsOf(budgetId: string, expenseId: string): Promise<Item[]> {
    return this.store.queryAll({
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: { ':pk': this.keys.budgetPk(budgetId), ':prefix': this.keys.expensePrefix(expenseId) },
      ConsistentRead: true,
    });
  }

  /**
   * Writes the comment, moves the count (adding its author to the participants), checks budget
   * and expense, and writes `event`: one transaction (CappedCollection). `also`: items of the same
   * transaction (a keyed create's lease completion); 'key-taken' when one's condition failed (its
   * lease taken over by its retry), nothing written.
   */
  async create(c: ExpenseComment, event: AlsoWrite, guard?: WriterGuard, also: AlsoWrite[] = []): Promise<CommentCreateOutcome> {
    const capped = this.capped(c.expenseId);
    try {
      const outcome = await capped.createWith(c.budgetId, c.expenseId, { ...this.keys.comment(c.budgetId, c.expenseId, c.id), kind: COMMENT_KIND, ...c }, {
        countAdds: { clause: 'participants :author', values: { ':author': new Set([c.authorId]) } },
        check: this.expense.liveCheck(c.budgetId, c.expenseId),
        alsoWrite: [event, ...also],
        ...(guard ? { guard } : {}),
      });
      return outcome === 'check-failed' ? 'no-expense' : outcome;
    } catch (err) {
      // After the capped create's own three items (comment, closed budget's check, count), the expense's check and the event.
      if (also.some((_, n) => conditionFailedAt(err, 5 + n))) return 'key-taken';
      throw err;
    }
  }

  /** Deletes the comment (false when it is gone already), gives its place back and writes `event`: one transaction. */
  async remove(c: ExpenseComment, event: AlsoWrite, guard?: WriterGuard): Promise<boolean> {
    try {
      await transactGuarded(this.store, [
        { Delete: { Key: this.keys.comment(c.budgetId, c.expenseId, c.id), ConditionExpression: 'attribute_exists(pk)' } },
        giveBackPlace({ Key: this.keys.count(c.budgetId, c.expenseId), kind: COMMENT_COUNT_KIND }),
        event,
      ], guard);
      return true;
    } catch (err) {
      if (conditionFailedAt(err, 0)) return false;
      throw err;
    }
  }

  /**
   * The expense was deleted at `deletedAt`: its comments made up to then go (and, while it is
   * still deleted, every one: expenseSatellites' ofDeletion), taken off the count (the count
   * item goes with the last of them when none is left). Comments made later belong to the
   * expense restored meanwhile (POST .../restore) and stay, counted. One Query when the expense
   * never had a comment. Exact whatever is written meanwhile, a comment on the
   * restored expense included (CappedCollection.purge); idempotent (a redelivery finds nothing
   * more to delete). How many comments were deleted.
   */
  async purge(budgetId: string, expenseId: string, deletedAt: string): Promise<number> {
    return this.capped(expenseId).purge(budgetId, async () => {
      const items = await this.itemsOf(budgetId, expenseId);
      const comments = items.filter((i) => i.kind === COMMENT_KIND).map(toComment);
      const gone = await this.expense.ofDeletion(comments, budgetId, expenseId, deletedAt);
      return { gone: gone.map((c) => this.keys.comment(budgetId, expenseId, c.id)), kept: comments.length - gone.length, count: countOf(items.find((i) => i.kind === COMMENT_COUNT_KIND)) };
    });
  }

  private capped(expenseId: string): CappedCollection {
    return new CappedCollection(this.store, (budgetId) => this.keys.count(budgetId, expenseId), COMMENT_COUNT_KIND, this.maxPerExpense);
  }
}

/** The count item's `participants`, a DynamoDB string set (a JS Set once read). */
function participantsOf(item: Item): string[] {
  const set = item.participants;
  return set instanceof Set ? [...set].filter((v): v is string => typeof v === 'string') : [];
}

function toComment(item: Item): ExpenseComment {
  return attr.fields(item, { id: attr.str, budgetId: attr.str, expenseId: attr.str, authorId: attr.str, text: attr.str, createdAt: attr.str });
}
