import { createHmac, hkdfSync, timingSafeEqual } from 'node:crypto';

/**
 * The optional mails a one-click unsubscribe (RFC 8058) turns off, each the profile switch it
 * clears: `reports` -> notifications.email.reports, `budget-alerts` -> notifications.email.budgetAlerts.
 */
export const UNSUBSCRIBE_KINDS = ['reports', 'budget-alerts'] as const;
export type UnsubscribeKind = (typeof UNSUBSCRIBE_KINDS)[number];

/**
 * The token of an unsubscribe URL: `<userId>.<kind>.<mac>`, the MAC a truncated HMAC-SHA256 of
 * both under a key derived from the token signing key (HKDF, its own label: a MAC of this kind
 * is no other token's). No expiry: a mail's header is used whenever the mail is read (RFC 8058
 * expects the URI to keep working), and the worst a leaked one does is turn one kind of mail off.
 */
export function unsubscribeToken(userId: string, kind: UnsubscribeKind, signingKey: string): string {
  return `${userId}.${kind}.${mac(userId, kind, signingKey)}`;
}

/** Whose and which mail a token turns off; null for anything not made by unsubscribeToken under one of `signingKeys` (the current, then the previous). */
export function readUnsubscribeToken(token: string, signingKeys: (string | undefined)[]): { userId: string; kind: UnsubscribeKind } | null {
  const parts = /^([0-9A-Za-z]{1,64})\.([a-z-]{1,20})\.([A-Za-z0-9_-]{22})$/.exec(token);
  if (!parts) return null;
  const [userId, kind, given] = [parts[1]!, parts[2]!, parts[3]!];
  if (!isKind(kind)) return null;
  const matches = signingKeys.some((key) => key !== undefined && timingSafeEqual(Buffer.from(mac(userId, kind, key)), Buffer.from(given)));
  return matches ? { userId, kind } : null;
}

const isKind = (kind: string): kind is UnsubscribeKind => (UNSUBSCRIBE_KINDS as readonly string[]).includes(kind);

function mac(userId: string, kind: string, signingKey: string): string {
  const key = Buffer.from(hkdfSync('sha256', signingKey, '', 'users-unsubscribe-hmac-sha256', 32));
  return createHmac('sha256', key).update(`${userId}\n${kind}`, 'utf8').digest().subarray(0, 16).toString('base64url');
}
