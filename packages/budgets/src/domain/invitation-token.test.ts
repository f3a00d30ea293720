import { createHash, createHmac, hkdfSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  formatInvitationToken,
  hashInvitationSecret,
  invitationEmailKey,
  invitationSecretFor,
  invitationSecretKey,
  normalizeInviteEmail,
  parseInvitationToken,
  secretMatches,
} from './invitation-token';

describe('invitation tokens', () => {
  const key = invitationSecretKey('signing-key-of-the-test-0123456789abcdef');
  const invite = { budgetId: '01JBUDGET', invitationId: '01JINVITE', nonce: '01JNONCE0000000000000000AA' };
  const newInvitationSecret = () => invitationSecretFor(key, { ...invite, nonce: createHash('sha256').update(String(Math.random())).digest('hex').slice(0, 26) });

  it('makes 32-byte base64url secrets: the same for one invite (a redelivered mail), another for any other invite or key', () => {
    const a = invitationSecretFor(key, invite);
    expect(a).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(Buffer.from(a, 'base64url')).toHaveLength(32);
    expect(invitationSecretFor(key, { ...invite })).toBe(a);
    const others = [
      invitationSecretFor(key, { ...invite, nonce: '01JNONCE0000000000000000AB' }),
      invitationSecretFor(key, { ...invite, invitationId: '01JINVITF' }),
      invitationSecretFor(key, { ...invite, budgetId: '01JBUDGEU' }),
      invitationSecretFor(invitationSecretKey('another-signing-key-0123456789abcdef'), invite),
    ];
    expect(new Set([a, ...others]).size).toBe(5);
  });

  it('derives its key from the signing key under its own label: HMAC-SHA-256 of "<budgetId>.<invitationId>.<nonce>"', () => {
    const derived = Buffer.from(hkdfSync('sha256', 'signing-key-of-the-test-0123456789abcdef', 'budgeting', 'budgets-invitation-secret-hmac-sha256', 32));
    const expected = createHmac('sha256', derived).update('01JBUDGET.01JINVITE.01JNONCE0000000000000000AA').digest('base64url');
    expect(invitationSecretFor(key, invite)).toBe(expected);
    // Not the signing key itself.
    expect(invitationSecretFor(key, invite)).not.toBe(createHmac('sha256', 'signing-key-of-the-test-0123456789abcdef').update('01JBUDGET.01JINVITE.01JNONCE0000000000000000AA').digest('base64url'));
  });

  it('round-trips a token and refuses malformed ones', () => {
    const secret = newInvitationSecret();
    const token = formatInvitationToken({ budgetId: '01JBUDGET', invitationId: '01JINVITE', secret });
    expect(parseInvitationToken(token)).toEqual({ budgetId: '01JBUDGET', invitationId: '01JINVITE', secret });
    expect(parseInvitationToken(` ${token} `)).toEqual({ budgetId: '01JBUDGET', invitationId: '01JINVITE', secret });
    for (const bad of ['', 'a.b', `a.b.${secret}.d`, `a.b.${secret.slice(1)}`, `a/b.c.${secret}`, `.b.${secret}`, `a.b.${secret.slice(1)}=`]) {
      expect(parseInvitationToken(bad), bad).toBeNull();
    }
  });

  it('matches a secret only against its own hash', () => {
    const secret = newInvitationSecret();
    const hash = hashInvitationSecret(secret);
    expect(hash).not.toContain(secret);
    expect(secretMatches(secret, hash)).toBe(true);
    expect(secretMatches(newInvitationSecret(), hash)).toBe(false);
    expect(secretMatches(secret, undefined)).toBe(false);
    expect(secretMatches(secret, 'short')).toBe(false);
  });

  it('keys an email by its normalized hash', () => {
    expect(invitationEmailKey(normalizeInviteEmail(' Sam@Example.COM '))).toBe(invitationEmailKey('sam@example.com'));
    expect(invitationEmailKey('sam@example.com')).not.toBe(invitationEmailKey('kim@example.com'));
    expect(invitationEmailKey('sam@example.com')).not.toContain('sam');
  });
});
