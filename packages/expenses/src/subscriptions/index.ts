import { withInbox, type Clock, type ModuleStore, type Subscription, type WorkQueue } from '@budgeting/platform';
import { budgetDeleted, budgetMemberRemoved, type BudgetDeletedData, type BudgetMemberRemovedData } from '@budgeting/budgets';
import { expenseDeleted, type ExpenseDeletedData } from '../events';
import type { ResweepUnit } from '../jobs/attachments-resweep';
import { BUDGET_DATA_CLEANUP } from '../jobs/names';
import { queueResweep } from '../jobs/queue-resweep';
import type { AttachmentsService } from '../service/attachments.service';
import type { CalendarFeedsService } from '../service/calendar-feeds.service';
import type { CommentsService } from '../service/comments.service';

/**
 * The expenses module's reactions to events (one Subscription per publisher, each one row of
 * the app's subscription table).
 *
 * budget.deleted: every expense and running total of the budget goes. The budget itself is
 * gone at once (DELETE /v1/budgets/{id}, or its owner's account deletion); its expenses follow
 * when this event is delivered, so the HTTP request never pays for a budget's whole history.
 * The subscriber only queues the cleanup (service/budget-data-cleanup.ts), which runs in as
 * many invocations as the budget's size needs (attachments' files included: by the budget's
 * object prefix, 1,000 a request). Queueing twice (a redelivery before the inbox was written)
 * is harmless: the cleanup is idempotent. With it goes the receipts' second pass over the
 * budget's prefix, held until no upload ticket issued before the deletion can still land
 * (jobs/attachments-resweep.ts).
 *
 * expense.deleted (the module's own event): the expense's attachments go, items and files. At
 * most 10 per expense, so it is done right here (one Query, one DeleteObjects of their files by
 * key when there are any, one TransactWriteItems of their items and count), no queue; idempotent, so
 * no inbox either (a redelivery finds nothing left to delete). An expense that had attachments
 * also gets the second pass over its prefix (AttachmentsService.purgeExpense says when).
 *
 * budget.member_removed (a member left, was removed, or their account was deleted: the budgets
 * module's user.deleted cascade removes each membership with this event, and deletes the
 * account's own budgets with budget.deleted): the member's calendar feeds of the budget go. At
 * most 5, so done right here (one Query, one BatchWriteItem, none when they had no feed);
 * idempotent, so no inbox. Their feed URLs already answered 404 from the removal on, since
 * every feed read asks the budgets facade for the membership; this removes what is stored.
 *
 * expense.deleted, again: the expense's comments go (at most 200: one Query, a TransactWriteItems
 * per 99 with their count; CommentsRepository.purge), those made up to the deletion only, so a
 * restored expense's new comments stay, counted. No inbox: a redelivery finds nothing left. No expense.comment_deleted for
 * them: the expense's deletion says it (the activity log shows the expense deleted).
 */
export const EXPENSES_ON_BUDGETS = 'expenses-on-budgets';
export const ATTACHMENTS_ON_EXPENSES = 'attachments-on-expenses';
export const CALENDAR_FEEDS_ON_MEMBERS = 'calendar-feeds-on-members';
export const COMMENTS_ON_EXPENSES = 'comments-on-expenses';

export function expensesSubscriptions(d: {
  store: ModuleStore;
  clock: Clock;
  work: WorkQueue;
  attachments: () => Promise<Pick<AttachmentsService, 'purgeExpense'>>;
  calendarFeeds: () => Promise<Pick<CalendarFeedsService, 'removeMemberFeeds'>>;
  comments: () => Promise<Pick<CommentsService, 'purgeExpense'>>;
}): Subscription[] {
  /** The receipts' second pass over a deleted expense's or budget's prefix, once late uploads are impossible. */
  const resweep = (unit: ResweepUnit) => queueResweep(d.work, d.clock.now(), unit);
  return [
    {
      name: EXPENSES_ON_BUDGETS,
      events: [budgetDeleted],
      handle: withInbox(d.store, EXPENSES_ON_BUDGETS, d.clock, async (event) => {
        const { budgetId } = event.data as BudgetDeletedData;
        await d.work.enqueue(BUDGET_DATA_CLEANUP, [{ budgetId }], d.clock.now());
        await resweep({ budgetId });
      }),
    },
    {
      name: ATTACHMENTS_ON_EXPENSES,
      events: [expenseDeleted],
      handle: async (event, ctx) => {
        const { budgetId, expenseId } = event.data as ExpenseDeletedData;
        const files = await (await d.attachments()).purgeExpense(budgetId, expenseId, event.occurredAt, () => resweep({ budgetId, expenseId }));
        if (files > 0) ctx.logger.info('attachments deleted with their expense', { budgetId, expenseId, files });
      },
    },
    {
      name: CALENDAR_FEEDS_ON_MEMBERS,
      events: [budgetMemberRemoved],
      handle: async (event, ctx) => {
        const { budgetId, userId } = event.data as BudgetMemberRemovedData;
        const feeds = await (await d.calendarFeeds()).removeMemberFeeds(budgetId, userId, event.occurredAt);
        if (feeds > 0) ctx.logger.info('calendar feeds deleted with the membership', { budgetId, userId, feeds });
      },
    },
    {
      name: COMMENTS_ON_EXPENSES,
      events: [expenseDeleted],
      handle: async (event, ctx) => {
        const { budgetId, expenseId } = event.data as ExpenseDeletedData;
        const comments = await (await d.comments()).purgeExpense(budgetId, expenseId, event.occurredAt);
        if (comments > 0) ctx.logger.info('comments deleted with their expense', { budgetId, expenseId, comments });
      },
    },
  ];
}
