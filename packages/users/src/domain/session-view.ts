/** A session as GET /v1/me/sessions shows it. */
export interface SessionView {
  id: string;
  createdAt: string;
  /** The last refresh; the sign-in itself until the first one. */
  lastUsedAt: string;
  /** True only when the caller's access token names this session (tokens without `sid` never do). */
  current: boolean;
  /**
   * Its absolute end: no refresh is accepted after it (unused for 30 days, it ends sooner).
   * Null for a session from before absolute lifetimes until its next refresh sets it.
   */
  expiresAt: string | null;
}

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/**
 * Every session item has been written with `createdAt` and `lastRotatedAt`; should one lack
 * them, `createdAt` falls back to the last refresh, then to the time in the family id (a
 * ULID's first 10 characters), and `lastUsedAt` to `createdAt`.
 */
export function sessionView(
  session: { familyId: string; createdAt?: string; lastRotatedAt?: string; sessionExpiresAt?: number },
  currentSessionId: string | undefined,
): SessionView {
  const createdAt = session.createdAt ?? session.lastRotatedAt ?? ulidTime(session.familyId);
  return {
    id: session.familyId,
    createdAt,
    lastUsedAt: session.lastRotatedAt ?? createdAt,
    current: currentSessionId !== undefined && currentSessionId === session.familyId,
    expiresAt: session.sessionExpiresAt !== undefined ? new Date(session.sessionExpiresAt * 1000).toISOString() : null,
  };
}

/** The creation time a ULID carries (48-bit milliseconds, Crockford base32); the epoch if it is none. */
export function ulidTime(id: string): string {
  let ms = 0;
  for (const char of id.slice(0, 10).toUpperCase()) {
    const digit = CROCKFORD.indexOf(char);
    if (digit < 0 || id.length < 10) return new Date(0).toISOString();
    ms = ms * 32 + digit;
  }
  return ms <= 8_640_000_000_000_000 ? new Date(ms).toISOString() : new Date(0).toISOString();
}
