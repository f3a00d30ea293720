import { type PushMessage } from '@budgeting/platform';
import { localeMessages } from '@budgeting/platform/locale-messages';
import type { ExpenseCommentNotification } from '../model';

/**
 * What a comment's notification says on a device: the comment's first characters, under a
 * title in the recipient's language (`locale`, platform locale-messages.ts; English without
 * one: "New comment on an expense", as before locales). The excerpt is the author's own words.
 */
export function commentPush(n: ExpenseCommentNotification, deviceId: string, locale?: string | null): PushMessage {
  return {
    id: `comment-${n.id}-${deviceId}`,
    title: localeMessages(locale).fill('comment.title'),
    body: n.excerpt,
    data: { notificationId: n.id, kind: n.kind, budgetId: n.budgetId, expenseId: n.expenseId, commentId: n.commentId },
  };
}
