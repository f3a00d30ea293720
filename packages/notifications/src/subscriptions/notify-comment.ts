import { newId } from '@budgeting/platform';
import { commentExcerpt, type ExpenseCommentAddedData } from '@budgeting/expenses';
import { commentPush } from '../domain/comment-message';
import type { ExpenseCommentNotification } from '../model';
import { pushSettled, type CommentKey } from '../repository/notifications.repository';
import type { LoadedDeps } from './index';
import { pushOnce, quietHoursSkip } from './push-once';
import { memberCheck } from './member-check';

/**
 * Whom a new comment concerns: the expense's creator and everyone who commented on it before
 * (as the event names them), never its author, and only those still members of the budget
 * (a member who left, or a deleted account, gets nothing).
 */
export function commentRecipients(data: ExpenseCommentAddedData, members: readonly string[]): string[] {
  const current = new Set(members);
  return [...new Set([data.expenseCreatedBy, ...data.earlierCommenters])].filter((id) => id !== data.authorId && current.has(id)).sort();
}

/**
 * One recipient's notification of a comment, once per (recipient, comment): created with its
 * guard item in one transaction (as a data export's), so a redelivered event creates nothing;
 * then a push to each of their devices, recorded on the guard (a failed push fails the event,
 * whose redelivery pushes again, never a second notification). No email: comments are
 * conversation, not alerts, and no email preference covers them. The push obeys the
 * recipient's `notifications.push.comments` (PATCH /v1/me); muted, the notification is still
 * written (the list is the history) and the push is marked done without being sent.
 */
export async function notifyComment(d: LoadedDeps, data: ExpenseCommentAddedData, userId: string): Promise<void> {
  const now = d.clock.now();
  const key: CommentKey = { userId, commentId: data.commentId };
  const fresh: ExpenseCommentNotification = {
    id: newId(now.getTime()),
    userId,
    kind: 'expense.comment',
    budgetId: data.budgetId,
    expenseId: data.expenseId,
    commentId: data.commentId,
    authorId: data.authorId,
    excerpt: commentExcerpt(data.text),
    createdAt: now.toISOString(),
    readAt: null,
  };
  const once = await d.repository.createOnce(key, fresh, d.users.accountCheck(key.userId), memberCheck(d.budgets, data.budgetId, key.userId));
  // Deleted meanwhile, or removed from the budget since the members were read: nothing to tell, nothing left of it.
  if (once === 'account-gone' || once === 'not-member') return;
  const { created, guard } = once;
  if (pushSettled(guard)) return;
  const stored = created ? fresh : await d.repository.get(userId, guard.notificationId);
  if (!stored || stored.kind !== 'expense.comment') return;
  const notification = stored;
  const { devices, skip, locale } = await pushableDevices(d, userId, now);
  await pushOnce(d, { key, guard }, devices, (deviceId) => commentPush(notification, deviceId, locale), skip);
}

/**
 * The recipient's devices, or none when they muted comment pushes (or the account is gone),
 * whether their quiet hours hold at `at`, and their `locale` (the push's title is in its
 * language: comment-message.ts). The preferences cost one read of the profile (users facade),
 * asked only when there is a device to push to: a recipient without devices costs what they
 * did before (and has no push to word); the quiet hours and the locale come with the switch,
 * no read of their own.
 */
async function pushableDevices(d: LoadedDeps, userId: string, at: Date) {
  const devices = await d.devices.devices(userId);
  if (devices.length === 0) return { devices, skip: undefined, locale: null };
  const user = await d.users.getById(userId);
  return { devices: user?.notifications.push.comments ? devices : [], skip: quietHoursSkip(user, at), locale: user?.locale };
}
