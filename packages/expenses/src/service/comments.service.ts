import { createEvent, keyInUse, newId, outboxPut, problems, type Clock, type CursorCodec, type KeyCompletion, type ModuleStore } from '@budgeting/platform';
import { budgetArchived, type BudgetsFacade } from '@budgeting/budgets';
import { expenseCommentAdded, expenseCommentDeleted } from '../events';
import type { ExpenseComment } from '../model';
import type { CommentsRepository } from '../repository/comments.repository';
import type { ListCommentsInput } from '../schemas/comments.schemas';
import { authorize } from './access';
import { guardedWrite } from './guarded-write';

export interface CommentsServiceDeps {
  repository: CommentsRepository;
  store: ModuleStore;
  budgets: BudgetsFacade;
  clock: Clock;
  cursors: CursorCodec;
}

/**
 * Comments on an expense. Written by whoever may change the expense (owners and editors:
 * a viewer reads the budget but writes nothing in it, here as everywhere); listed by every
 * member, oldest first; deleted by their author (while still a member, whatever their role
 * now) or by the budget's owner, who moderates the budget. A stranger gets 404 as everywhere.
 *
 * Each write commits with its event's outbox item (expense.comment_added / _deleted) in one
 * transaction, so the activity log, notifications and webhooks hear of exactly what committed.
 */
export class CommentsService {
  constructor(private readonly deps: CommentsServiceDeps) {}

  async create(budgetId: string, userId: string, expenseId: string, text: string, reservedId?: string, completeKey?: KeyCompletion<ExpenseComment>): Promise<ExpenseComment> {
    await authorize(this.deps.budgets, budgetId, userId, 'write');
    const now = this.deps.clock.now();
    const comment: ExpenseComment = { id: reservedId ?? newId(now.getTime()), budgetId, expenseId, authorId: userId, text, createdAt: now.toISOString() };
    // The expense's creator and earlier commenters (for the event), and an early 409 when full:
    // one BatchGetItem. The transaction checks both again.
    const context = await this.deps.repository.context(budgetId, expenseId);
    if (!context) throw problems.notFound('Expense not found.');
    if (context.count >= this.deps.repository.maxPerExpense && !reservedId) throw this.full();
    const event = await createEvent(
      expenseCommentAdded,
      { budgetId, expenseId, commentId: comment.id, authorId: userId, text, expenseCreatedBy: context.expenseCreatedBy, earlierCommenters: context.participants },
      this.deps.clock,
    );
    // The guard (guarded-write.ts) fails the write when the budget was archived after the access read.
    const outcome = await guardedWrite(this.deps.budgets, budgetId, userId, 'write', (guard) =>
      this.deps.repository.create(comment, outboxPut(this.deps.store, expenseCommentAdded, event), guard, completeKey ? [completeKey.item(comment)] : []),
    );
    if (outcome === 'key-taken') throw keyInUse();
    if (outcome === 'created') {
      completeKey?.committed();
      return comment;
    }
    if (outcome === 'budget-closed') throw problems.notFound('Budget not found.');
    if (outcome === 'no-expense') throw problems.notFound('Expense not found.');
    if (outcome === 'full') throw this.full();
    // 'exists': the Idempotency-Key's earlier attempt committed; answer what it wrote.
    const existing = await this.deps.repository.get(budgetId, expenseId, comment.id);
    if (!existing || existing.authorId !== userId) throw problems.conflict('This Idempotency-Key already created a resource that is no longer available.');
    return existing;
  }

  async list(budgetId: string, userId: string, expenseId: string, query: ListCommentsInput) {
    await authorize(this.deps.budgets, budgetId, userId, 'read');
    const binding = JSON.stringify(['expense-comments', budgetId, expenseId]);
    const startKey = this.deps.cursors.decode(query.cursor, binding);
    const [exists, page] = await Promise.all([
      this.deps.repository.expenseExists(budgetId, expenseId),
      this.deps.repository.page(budgetId, expenseId, query.limit, startKey),
    ]);
    if (!exists) throw problems.notFound('Expense not found.');
    return { items: page.items, nextCursor: this.deps.cursors.encode(page.lastKey, binding) };
  }

  /** One comment, for any member (as the list); a deleted expense's are a 404 at once, as its list, before the cleanup removes them. */
  async get(budgetId: string, userId: string, expenseId: string, commentId: string): Promise<ExpenseComment> {
    await authorize(this.deps.budgets, budgetId, userId, 'read');
    const [exists, comment] = await Promise.all([this.deps.repository.expenseExists(budgetId, expenseId), this.deps.repository.get(budgetId, expenseId, commentId)]);
    if (!exists) throw problems.notFound('Expense not found.');
    if (!comment) throw problems.notFound('Comment not found.');
    return comment;
  }

  async remove(budgetId: string, userId: string, expenseId: string, commentId: string): Promise<void> {
    // Membership first ('read': any member), then who may delete this comment, then the archive:
    // as every write answers, a member the rule refuses gets its 403 on an archived budget too,
    // never the 409 that says unarchiving would let them ('own' checks the archive at once).
    const access = await authorize(this.deps.budgets, budgetId, userId, 'read');
    const comment = await this.deps.repository.get(budgetId, expenseId, commentId);
    if (!comment) throw problems.notFound('Comment not found.');
    if (comment.authorId !== userId && access.role !== 'owner') {
      throw problems.forbidden(`Only the comment's author or the budget's owner can delete it. Your role is ${access.role}.`);
    }
    if (access.budget.archivedAt !== undefined) throw budgetArchived(budgetId);
    const { text, authorId } = comment;
    const event = await createEvent(expenseCommentDeleted, { budgetId, expenseId, commentId, authorId, text, deletedBy: userId }, this.deps.clock);
    // false: deleted meanwhile (another DELETE): gone is what was asked, as a DELETE retried.
    // Any member may delete their own comment, so its guard asks membership, not a writing role.
    await guardedWrite(this.deps.budgets, budgetId, userId, 'own', (guard) => this.deps.repository.remove(comment, outboxPut(this.deps.store, expenseCommentDeleted, event), guard));
  }

  /** expense.deleted: the comments made up to the deletion go (CommentsRepository.purge). */
  purgeExpense(budgetId: string, expenseId: string, deletedAt: string): Promise<number> {
    return this.deps.repository.purge(budgetId, expenseId, deletedAt);
  }

  private full() {
    const max = this.deps.repository.maxPerExpense;
    return problems.limitReached('comments', max, `An expense can have at most ${max} comments (the limit); delete one first.`);
  }
}
