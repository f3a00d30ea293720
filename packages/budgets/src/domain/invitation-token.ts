import { createHash, createHmac, createSecretKey, hkdfSync, timingSafeEqual, type KeyObject } from 'node:crypto';

/**
 * Budget invitation tokens: `<budgetId>.<invitationId>.<secret>`. The secret is 32 bytes
 * (base64url, 43 characters) that only a holder of the token signing key can make (below);
 * only its SHA-256 is stored, on the invitation item, so a copy of the table cannot accept
 * anything. The ids only say where to look (the budget's invitations partition, then the
 * invitation): possession of the secret is the proof. A plain SHA-256 suffices (no salt, no
 * slow hash): the secret has 256 bits of entropy, so there is no dictionary to run against
 * the stored hash.
 */
const SECRET = /^[A-Za-z0-9_-]{43}$/;
const ID = /^[A-Za-z0-9_-]{1,64}$/;

export interface InvitationToken {
  budgetId: string;
  invitationId: string;
  secret: string;
}

/** The HKDF label of the invitation secrets' key: never the key that signs access tokens or seals cursors. */
export const INVITATION_SECRET_LABEL = 'budgets-invitation-secret-hmac-sha256';

/** The key invitation secrets are made with, derived (HKDF-SHA-256) from the token signing key. */
export function invitationSecretKey(signingKey: string): KeyObject {
  return createSecretKey(Buffer.from(hkdfSync('sha256', signingKey, 'budgeting', INVITATION_SECRET_LABEL, 32)));
}

/**
 * The secret of one (re-)invite: HMAC-SHA-256 of the budget, the invitation and the invite's
 * nonce under the derived key (base64url, 43 characters), as the users module rebuilds its
 * reset codes from a resetId. So the mail job's redelivered unit (a send that failed, or a
 * crash after it) mails the SAME code again instead of a new one that voids the first mail's;
 * a re-invite has a new nonce, so a new secret. The secret is still never stored or queued:
 * only the nonce is, and without the key nobody who reads the table or the queue can make it.
 * A rotated signing key makes a redelivery's secret differ: its hash then replaces the stored
 * one, and the earlier mail's code stops working (the invitee has the new mail).
 */
export function invitationSecretFor(key: KeyObject, invite: { budgetId: string; invitationId: string; nonce: string }): string {
  return createHmac('sha256', key).update(`${invite.budgetId}.${invite.invitationId}.${invite.nonce}`, 'utf8').digest('base64url');
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
