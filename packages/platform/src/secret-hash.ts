import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * Secrets that travel as bearer credentials (personal access tokens, calendar feed URLs): 32
 * random bytes in base64url, and only their SHA-256 (base64url) stored. The secret has 256 bits
 * of entropy, so a fast hash is right (a slow password hash would only cost CPU per request;
 * there is no dictionary to run against the stored hash), and a stolen table yields no usable
 * secret. A presented secret is compared with the stored hash in constant time.
 */
export const SECRET_BYTES = 32;

/** A new secret: 32 random bytes, unpadded base64url (43 characters). */
export function newSecret(): string {
  return randomBytes(SECRET_BYTES).toString('base64url');
}

/** What is stored of a secret: its SHA-256, base64url. */
export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('base64url');
}

/** Whether `secret` hashes to `storedHash`, compared in constant time (equal-length digests); a missing hash never matches. */
export function secretMatchesHash(secret: string, storedHash: unknown): boolean {
  if (typeof storedHash !== 'string') return false;
  const expected = Buffer.from(storedHash, 'base64url');
  const actual = createHash('sha256').update(secret, 'utf8').digest();
  return expected.length === actual.length && timingSafeEqual(expected, actual);
}
