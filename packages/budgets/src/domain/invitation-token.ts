import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * Budget invitation tokens: `<budgetId>.<invitationId>.<secret>`. The secret is 32 random
 * bytes (base64url, 43 characters); only its SHA-256 is stored, on the invitation item, so a
 * copy of the table cannot accept anything. The ids only say where to look (the budget's
 * invitations partition, then the invitation): possession of the secret is the proof.
 * A plain SHA-256 suffices (no salt, no slow hash): the secret has 256 bits of entropy, so
 * there is no dictionary to run against the stored hash.
 */
const SECRET_BYTES = 32;
const SECRET = /^[A-Za-z0-9_-]{43}$/;
const ID = /^[A-Za-z0-9_-]{1,64}$/;

export interface InvitationToken {
  budgetId: string;
  invitationId: string;
  secret: string;
}

/** A fresh secret (base64url of 32 random bytes). */
export function newInvitationSecret(): string {
  return randomBytes(SECRET_BYTES).toString('base64url');
}

/** What is stored of a secret: base64url SHA-256. */
export function hashInvitationSecret(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('base64url');
}

export function formatInvitationToken(token: InvitationToken): string {
  return `${token.budgetId}.${token.invitationId}.${token.secret}`;
}

/** The parts of a token, or null when it cannot be one (then nothing is read). */
export function parseInvitationToken(token: string): InvitationToken | null {
  const parts = token.trim().split('.');
  if (parts.length !== 3) return null;
  const [budgetId, invitationId, secret] = parts as [string, string, string];
  if (!ID.test(budgetId) || !ID.test(invitationId) || !SECRET.test(secret)) return null;
  return { budgetId, invitationId, secret };
}

/**
 * Whether `secret` is the one whose hash is `storedHash`, compared in constant time (hashes of
 * equal length; a missing hash, i.e. an invitation whose mail has not been sent yet, never matches).
 */
export function secretMatches(secret: string, storedHash: string | undefined): boolean {
  if (!storedHash) return false;
  const presented = Buffer.from(hashInvitationSecret(secret), 'base64url');
  const stored = Buffer.from(storedHash, 'base64url');
  return presented.length === stored.length && timingSafeEqual(presented, stored);
}

/**
 * The sort-key part of an invitation: the SHA-256 of the normalized email (base64url), so one
 * budget holds at most one invitation per email (a re-invite meets the same key and replaces
 * its secret) and the key does not spell the address.
 */
export function invitationEmailKey(normalizedEmail: string): string {
  return createHash('sha256').update(normalizedEmail, 'utf8').digest('base64url');
}

/** Emails are the same account regardless of case and surrounding spaces (as the users module compares them). */
export const normalizeInviteEmail = (email: string) => email.trim().toLowerCase();
