import { describe, expect, it } from 'vitest';
import {
  accessTokensOver,
  isRevoked,
  NO_REVOKED_SESSIONS,
  planRevocation,
  REVOKED_SESSIONS_CLOCK_SLACK_SECONDS,
  REVOKED_SESSIONS_PER_WINDOW,
  windowAt,
  windowSeconds,
  type RevokedSessions,
} from './revoked-sessions';

const TTL = 900;
const W = windowSeconds(TTL);
/** A moment `offset` seconds into window `w`. */
const at = (w: number, offset = 0) => w * W + offset;
const revoked = (s0: { window?: number; ids: string[] }, s1: { window?: number; ids: string[] }): RevokedSessions => ({
  slots: [
    { ...(s0.window !== undefined ? { window: s0.window } : {}), ids: new Set(s0.ids) },
    { ...(s1.window !== undefined ? { window: s1.window } : {}), ids: new Set(s1.ids) },
  ],
});

describe('windows', () => {
  it('are an access token lifetime plus the clock slack long, and alternate between the two slots', () => {
    expect(W).toBe(TTL + REVOKED_SESSIONS_CLOCK_SLACK_SECONDS);
    expect(windowAt(at(100), TTL)).toEqual({ window: 100, slot: 0 });
    expect(windowAt(at(100, W - 1), TTL)).toEqual({ window: 100, slot: 0 });
    expect(windowAt(at(101), TTL)).toEqual({ window: 101, slot: 1 });
    expect(windowAt(at(102), TTL)).toEqual({ window: 102, slot: 0 });
  });

  it('keep every id until its tokens expired: a slot is next written two windows later, after the latest token of its window expired', () => {
    // The latest moment of window w, and the last token of a session ended then: it expires
    // TTL later, before the first moment slot w % 2 is written again (window w + 2).
    for (const w of [0, 1, 7, 20_000]) {
      const lastEnd = at(w, W - 1);
      const nextWrite = at(w + 2);
      expect(lastEnd + TTL + REVOKED_SESSIONS_CLOCK_SLACK_SECONDS).toBeLessThanOrEqual(nextWrite);
      expect(windowAt(nextWrite, TTL).slot).toBe(windowAt(lastEnd, TTL).slot);
    }
  });
});

describe('planRevocation (the pruning)', () => {
  it('replaces a slot that holds an older window, or nothing: its ids are all expired', () => {
    expect(planRevocation(NO_REVOKED_SESSIONS, at(100, 5), TTL)).toEqual({ kind: 'replace', window: 100, slot: 0 });
    expect(planRevocation(revoked({ window: 98, ids: ['OLD'] }, { window: 99, ids: ['PREV'] }), at(100, 5), TTL)).toEqual({ kind: 'replace', window: 100, slot: 0 });
    expect(planRevocation(revoked({ window: 98, ids: ['OLD'] }, { window: 99, ids: ['PREV'] }), at(101, 5), TTL)).toEqual({ kind: 'replace', window: 101, slot: 1 });
  });

  it('guesses "replace" when the profile was not read', () => {
    expect(planRevocation(undefined, at(7), TTL)).toEqual({ kind: 'replace', window: 7, slot: 1 });
  });

  it('adds to the slot of the current window while it has room', () => {
    expect(planRevocation(revoked({ window: 100, ids: ['A'] }, { ids: [] }), at(100, 500), TTL)).toEqual({ kind: 'add', window: 100, slot: 0 });
    const almost = Array.from({ length: REVOKED_SESSIONS_PER_WINDOW - 1 }, (_, i) => `S${i}`);
    expect(planRevocation(revoked({ window: 100, ids: almost }, { ids: [] }), at(100, 500), TTL)).toEqual({ kind: 'add', window: 100, slot: 0 });
  });

  it('is full once the current window holds PER_WINDOW ids (whatever the other slot holds)', () => {
    const full = Array.from({ length: REVOKED_SESSIONS_PER_WINDOW }, (_, i) => `S${i}`);
    expect(planRevocation(revoked({ window: 100, ids: full }, { window: 99, ids: full }), at(100, 1), TTL)).toEqual({ kind: 'full' });
    // The next window writes the other slot: room again.
    expect(planRevocation(revoked({ window: 100, ids: full }, { window: 99, ids: full }), at(101, 1), TTL)).toEqual({ kind: 'replace', window: 101, slot: 1 });
  });
});

describe('isRevoked', () => {
  const state = revoked({ window: 100, ids: ['A', 'B'] }, { window: 97, ids: ['C'] });

  it('finds an id in either slot, stale or not (an ended session stays ended)', () => {
    expect(isRevoked(state, 'A')).toBe(true);
    expect(isRevoked(state, 'C')).toBe(true);
    expect(isRevoked(state, 'D')).toBe(false);
    expect(isRevoked(NO_REVOKED_SESSIONS, 'A')).toBe(false);
  });
});

describe('accessTokensOver: whether no access token of a session can still verify anywhere', () => {
  const issued = 1_000_000;
  it('idle: its current refresh token was issued longer ago than an access token lives plus the 60 s clock slack', () => {
    expect(accessTokensOver({ currentIssuedAt: issued }, issued + 900 + 59, TTL)).toBeNull();
    expect(accessTokensOver({ currentIssuedAt: issued }, issued + 960, TTL)).toBe('idle');
  });

  it('past-end: its absolute end passed by the slack, however recent its current token', () => {
    expect(accessTokensOver({ currentIssuedAt: issued, sessionExpiresAt: issued + 300 }, issued + 359, TTL)).toBeNull();
    expect(accessTokensOver({ currentIssuedAt: issued, sessionExpiresAt: issued + 300 }, issued + 360, TTL)).toBe('past-end');
  });

  it('knows nothing without either time: one may be live', () => {
    expect(accessTokensOver({}, issued * 10, TTL)).toBeNull();
  });
});
