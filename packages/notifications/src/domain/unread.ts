import type { ReadAllMark } from '../model';

/**
 * The unread count of the home overview (GET /v1/me/overview), kept bounded: only the newest
 * UNREAD_WINDOW notifications are looked at (one Query, whatever the user's history), and the
 * count stops at UNREAD_CAP with `more` for "99+". A notification is unread when it was
 * neither marked read itself nor covered by the read-all mark (model.ts withReadAll).
 * Older notifications than the window are not counted: a badge does not need them, and
 * counting them all would read a history that grows without bound for a user who reads
 * notifications one by one and never marks all read.
 */
export const UNREAD_WINDOW = 100;
export const UNREAD_CAP = 99;

export interface UnreadCount {
  count: number;
  more: boolean;
}

/** `newest`: the user's notifications newest first (at least the first UNREAD_WINDOW of them, or all). */
export function unreadAmong(newest: readonly { id: string; readAt: string | null }[], mark: ReadAllMark | undefined): UnreadCount {
  const unread = newest
    .slice(0, UNREAD_WINDOW)
    .filter((n) => n.readAt === null && (!mark || n.id > mark.upToId)).length;
  return { count: Math.min(unread, UNREAD_CAP), more: unread > UNREAD_CAP };
}
