import { describe, expect, it } from 'vitest';
import { UNREAD_CAP, UNREAD_WINDOW, unreadAmong } from './unread';

/** `count` notifications newest first, ids n<count-1> .. n000 (ULIDs sort by time; these by their number). */
const newestFirst = (count: number, readAt: (i: number) => string | null = () => null) =>
  Array.from({ length: count }, (_, k) => count - 1 - k).map((i) => ({ id: `n${String(i).padStart(3, '0')}`, readAt: readAt(i) }));

describe('unreadAmong', () => {
  it('counts those neither read themselves nor covered by the read-all mark', () => {
    const list = newestFirst(10, (i) => (i === 8 ? '2026-11-24T12:00:00Z' : null));
    expect(unreadAmong(list, undefined)).toEqual({ count: 9, more: false });
    // The mark covers n000..n004; n008 was read on its own: n005, n006, n007, n009.
    expect(unreadAmong(list, { upToId: 'n004', at: '2026-11-24T11:00:00Z' })).toEqual({ count: 4, more: false });
    expect(unreadAmong([], undefined)).toEqual({ count: 0, more: false });
  });

  it(`stops at ${UNREAD_CAP} with more (99+), and looks at the newest ${UNREAD_WINDOW} only`, () => {
    expect(unreadAmong(newestFirst(UNREAD_CAP), undefined)).toEqual({ count: UNREAD_CAP, more: false });
    expect(unreadAmong(newestFirst(UNREAD_CAP + 1), undefined)).toEqual({ count: UNREAD_CAP, more: true });
    // 150 notifications, the newest 100 all read: the 50 older unread ones are not counted.
    const list = newestFirst(150, (i) => (i >= 50 ? '2026-11-24T12:00:00Z' : null));
    expect(unreadAmong(list, undefined)).toEqual({ count: 0, more: false });
  });
});
