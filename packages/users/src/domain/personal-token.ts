import { PERSONAL_TOKEN_PREFIX, SECRET_BYTES, hashSecret, newSecret, secretMatchesHash } from '@budgeting/platform';

/**
 * Personal access tokens as text (pure: no table, no clock).
 *
 * `bgt_<userId>_<tokenId>_<secret>`: the owner's and the token's ids (ULIDs) say which item to
 * read (the token lives in its owner's partition, so the owner's list is one strongly
 * consistent Query and account deletion finds the tokens with the sessions), and the secret is
 * 32 random bytes in base64url (43 characters; it may itself contain `_`, hence the fixed
 * lengths of the ids). Only SHA-256 of the secret is stored, compared in constant time: the
 * platform's secret-hash.ts (shared with the calendar feeds' URLs), which says why a fast hash
 * is right.
 */
export const PERSONAL_TOKEN_SECRET_BYTES = SECRET_BYTES;

/** A ULID: its 48-bit time makes the first of its 26 Crockford base32 characters 0..7. */
const ULID = '[0-7][0-9A-HJKMNP-TV-Z]{25}';
/**
 * 32 bytes in unpadded base64url: 42 characters of 6 bits and a 43rd carrying the last 4 bits
 * and two zero bits, so only 16 letters can end a secret we made. Checked here, before any
 * read, with every other character, so no made-up text of a near shape costs a GetItem.
 */
const SECRET = '[A-Za-z0-9_-]{42}[AEIMQUYcgkosw048]';
const SHAPE = new RegExp(`^${PERSONAL_TOKEN_PREFIX}(${ULID})_(${ULID})_(${SECRET})$`);

export interface ParsedPersonalToken {
  userId: string;
  tokenId: string;
  secret: string;
}

/** The parts of a token, or null when it is not one (any other text, however close). */
export function parsePersonalToken(token: string): ParsedPersonalToken | null {
  const match = SHAPE.exec(token);
  if (!match) return null;
  return { userId: match[1]!, tokenId: match[2]!, secret: match[3]! };
}

/** A new secret (32 random bytes, base64url). */
export function newPersonalTokenSecret(): string {
  return newSecret();
}

/** The token as shown once to its owner. */
export function formatPersonalToken(userId: string, tokenId: string, secret: string): string {
  return `${PERSONAL_TOKEN_PREFIX}${userId}_${tokenId}_${secret}`;
}

/** What is stored of a secret: its SHA-256, base64url. */
export function hashPersonalTokenSecret(secret: string): string {
  return hashSecret(secret);
}

/** Whether `secret` hashes to `storedHash`, compared in constant time (equal-length digests). */
export function secretMatches(secret: string, storedHash: unknown): boolean {
  return secretMatchesHash(secret, storedHash);
}

/** `lastUsedAt` is written at most once an hour per token: a use within this of the last one writes nothing. */
export const LAST_USED_RESOLUTION_MS = 60 * 60 * 1000;

/**
 * Whether a token valid until `expiresAt` is dead at `now`: from that instant on its use is a 401
 * (PersonalTokenAuth) and its listing says `expired` (PersonalTokensService), the same boundary.
 */
export function personalTokenExpired(expiresAt: string, now: Date): boolean {
  return now.getTime() >= Date.parse(expiresAt);
}

/** Whether a use at `now` should record itself, given the stored `lastUsedAt` (absent: never used). */
export function lastUsedIsStale(lastUsedAt: unknown, now: Date): boolean {
  if (typeof lastUsedAt !== 'string') return true;
  const last = Date.parse(lastUsedAt);
  return !Number.isFinite(last) || now.getTime() - last >= LAST_USED_RESOLUTION_MS;
}
