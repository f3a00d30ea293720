import type { PushMessage } from '@budgeting/platform';
import type { ExpenseCommentNotification } from '../model';

/** What a comment's notification says on a device: the comment's first characters. */
export function commentPush(n: ExpenseCommentNotification, deviceId: string): PushMessage {
  return {
    id: `comment-${n.id}-${deviceId}`,
    title: 'New comment on an expense',
    body: n.excerpt,
    data: { notificationId: n.id, kind: n.kind, budgetId: n.budgetId, expenseId: n.expenseId, commentId: n.commentId },
  };
}
