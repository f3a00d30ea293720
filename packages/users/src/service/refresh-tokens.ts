import { createHash, randomBytes } from 'node:crypto';

/**
 * Refresh tokens are 256 random bits, base64url: opaque to clients and unguessable, so a fast
 * hash is enough to store them (no salt or slow hash needed, unlike passwords). The table
 * only ever sees the hash: a leaked table cannot be replayed as sessions.
 */
export function newRefreshToken(): string {
  return randomBytes(32).toString('base64url');
}

export function hashRefreshToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('base64url');
}
