import { describe, expect, it } from 'vitest';
import {
  formatInvitationToken,
  hashInvitationSecret,
  invitationEmailKey,
  newInvitationSecret,
  normalizeInviteEmail,
  parseInvitationToken,
  secretMatches,
} from './invitation-token';

describe('invitation tokens', () => {
  it('makes 32-byte base64url secrets, different each time', () => {
    const a = newInvitationSecret();
    const b = newInvitationSecret();
    expect(a).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(Buffer.from(a, 'base64url')).toHaveLength(32);
    expect(a).not.toBe(b);
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
