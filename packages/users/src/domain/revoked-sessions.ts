/**
 * Ended sessions whose access tokens may still be live. Ending a session (sign out a device,
 * logout, refresh-token reuse) stops its refreshes at once, but the access tokens it already
 * handed out are signed JWTs that verify until they expire (the access-token lifetime, 15
 * minutes). So the profile item also keeps the ids of the sessions ended in the last such
 * lifetime, and the account check every protected request already makes (on the profile
 * item) requires the token's `sid` not to be among them.
 *
 * Shape: two slots, each a set of session ids and the time window it belongs to. Windows are
 * an access token's lifetime plus clock slack long (windowSeconds), numbered from the epoch;
 * window `w` writes slot `w % 2`. An id written in window `w` must be kept until its session's
 * last token expires, before the end of window `w + 1`; slot `w % 2` is next written in window
 * `w + 2`, and that write replaces its content (pruning): so everything in a slot tagged
 * with an older window than the current one of its parity is expired, and nothing live is
 * ever pruned. Why this shape rather than one map of id -> expiry: every write is ONE blind,
 * atomic update (ADD to the current window's set, or replace a stale slot), so concurrent
 * revocations never lose one another without reading first, and the check is two
 * `contains` terms with values only (no attribute-name placeholders).
 *
 * Bound: at most PER_WINDOW ids per slot (two slots: at most 2 x PER_WINDOW ids, 26
 * bytes each). A window that would take more ends every session instead (the session epoch
 * moves, as on a password change, and the slots are cleared): only the account holder can end
 * its sessions, so that many sign-outs in one window is a script or someone holding the
 * password, and signing everything out is the safe answer.
 */
export const REVOKED_SESSIONS_PER_WINDOW = 50;

/** Clock difference between instances allowed for: a window is this much longer than a token's lifetime. */
export const REVOKED_SESSIONS_CLOCK_SLACK_SECONDS = 60;

export type Slot = 0 | 1;

/** What the profile holds: per slot, its window and its session ids (absent: never written or cleared). */
export interface RevokedSessions {
  slots: [SlotState, SlotState];
}
export interface SlotState {
  window?: number;
  ids: ReadonlySet<string>;
}

export const NO_REVOKED_SESSIONS: RevokedSessions = { slots: [{ ids: new Set() }, { ids: new Set() }] };

/** The window length for access tokens living `accessTtlSeconds`. */
export function windowSeconds(accessTtlSeconds: number): number {
  return accessTtlSeconds + REVOKED_SESSIONS_CLOCK_SLACK_SECONDS;
}

/** The window `nowSeconds` falls in, and the slot it writes. */
export function windowAt(nowSeconds: number, accessTtlSeconds: number): { window: number; slot: Slot } {
  const window = Math.floor(nowSeconds / windowSeconds(accessTtlSeconds));
  return { window, slot: (window % 2) as Slot };
}

/**
 * How to record one more ended session at `nowSeconds`:
 * - 'replace': the slot holds an older window (or nothing): its content is expired; it becomes
 *   this window's with the one id (the pruning);
 * - 'add': the slot is this window's and has room: the id joins it;
 * - 'full': this window already holds PER_WINDOW ids: end every session instead.
 * `seen` undefined (the profile was not read): 'replace' is the guess, right unless another
 * session ended in this window; the write's condition refuses a wrong guess.
 */
export type RevocationPlan = { kind: 'replace' | 'add'; window: number; slot: Slot } | { kind: 'full' };

export function planRevocation(seen: RevokedSessions | undefined, nowSeconds: number, accessTtlSeconds: number): RevocationPlan {
  const { window, slot } = windowAt(nowSeconds, accessTtlSeconds);
  const state = seen?.slots[slot];
  if (!state || state.window !== window) return { kind: 'replace', window, slot };
  if (state.ids.size >= REVOKED_SESSIONS_PER_WINDOW) return { kind: 'full' };
  return { kind: 'add', window, slot };
}

/** Whether `sessionId` is among the ended sessions (both slots: a stale id is an ended session too). */
export function isRevoked(revoked: RevokedSessions, sessionId: string): boolean {
  return revoked.slots.some((s) => s.ids.has(sessionId));
}

/**
 * Whether no access token of a session can still verify on any instance at `nowSeconds`, from
 * what its items say: every access token's `exp` is at most its session's absolute end
 * (`sessionExpiresAt`), and at most the issue of the refresh token it was handed out with, plus
 * the access-token lifetime (SessionService caps it so, however late the token is signed). The
 * newest one came with the session's current refresh token (`currentIssuedAt`, seconds: the
 * family's `lastRotatedAt`, or the current token's own `issuedAt`). Past either line by the
 * clock slack, none can be live: 'past-end' or 'idle'. null: one may be.
 */
export function accessTokensOver(
  session: { sessionExpiresAt?: number | undefined; currentIssuedAt?: number | undefined },
  nowSeconds: number,
  accessTtlSeconds: number,
): 'past-end' | 'idle' | null {
  if (session.sessionExpiresAt !== undefined && session.sessionExpiresAt + REVOKED_SESSIONS_CLOCK_SLACK_SECONDS <= nowSeconds) return 'past-end';
  if (session.currentIssuedAt !== undefined && session.currentIssuedAt + accessTtlSeconds + REVOKED_SESSIONS_CLOCK_SLACK_SECONDS <= nowSeconds) return 'idle';
  return null;
}
