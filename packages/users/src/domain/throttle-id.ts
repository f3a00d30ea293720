import { createHmac, hkdfSync } from 'node:crypto';

/**
 * What the sign-in throttle's keys hold instead of an email or a client address: a keyed hash
 * (docs/throttling.md "Throttling", "What the keys hold"). The key is HKDF-SHA-256 of the token signing key
 * under a label of its own (never the key that signs tokens, nor the places' key), so the table
 * holds no address and no email in a throttle key, and nobody without the signing key can test
 * an address against it (an unkeyed hash of an IPv4 address is undone by trying all 2^32).
 */
export const THROTTLE_ID_LABEL = 'users-throttle-id-hmac-sha256';

export function throttleIdKey(signingKey: string): Buffer {
  return Buffer.from(hkdfSync('sha256', signingKey, '', THROTTLE_ID_LABEL, 32));
}

/**
 * The first 12 bytes (96 bits) of HMAC-SHA-256 over the parts joined by newlines, base64url
 * (16 characters). The first part names what is hashed (`email`, `client`, `address`), so one
 * value never hashes alike in two roles. 96 bits: two emails sharing one counter partition
 * among a billion has odds of about 2^-37, and the key stays short in every counter item.
 */
export function throttleId(key: Buffer, ...parts: string[]): string {
  return createHmac('sha256', key).update(parts.join('\n'), 'utf8').digest().subarray(0, 12).toString('base64url');
}
