import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { formatPersonalToken, hashPersonalTokenSecret, lastUsedIsStale, newPersonalTokenSecret, parsePersonalToken, secretMatches } from './personal-token';

const USER = '01JDQ40M2XKX3G9T5N7B8C6D4E';
const TOKEN = '01JDQ7T0K3N5P7R9S1V3X5Z7B9';

describe('personal access tokens as text', () => {
  it('round-trips through format and parse, also when the secret holds _ and -', () => {
    for (let i = 0; i < 50; i++) {
      const secret = newPersonalTokenSecret();
      expect(secret).toMatch(/^[A-Za-z0-9_-]{42}[AEIMQUYcgkosw048]$/);
      expect(parsePersonalToken(formatPersonalToken(USER, TOKEN, secret))).toEqual({ userId: USER, tokenId: TOKEN, secret });
    }
    const tricky = `_-${'a'.repeat(39)}-A`;
    expect(parsePersonalToken(formatPersonalToken(USER, TOKEN, tricky))).toEqual({ userId: USER, tokenId: TOKEN, secret: tricky });
  });

  it('parses nothing else', () => {
    const secret = 'A'.repeat(43);
    for (const bad of [
      '',
      'bgt_',
      `bgt_${USER}_${TOKEN}`,
      `bgt_${USER}_${TOKEN}_${secret}A`,
      `bgt_${USER}_${TOKEN}_${secret.slice(1)}`,
      `bgt_${USER.toLowerCase()}_${TOKEN}_${secret}`,
      `bgt_${USER}_${TOKEN}_${secret.slice(1)}=`,
      `BGT_${USER}_${TOKEN}_${secret}`,
      `bgt_${USER}_${TOKEN}_${secret}\n`,
      `bgt_${USER.slice(0, 25)}I_${TOKEN}_${secret}`,
      // 32 bytes never end in a character with either of its two low bits set.
      `bgt_${USER}_${TOKEN}_${secret.slice(1)}B`,
      `bgt_${USER}_${TOKEN}_${secret.slice(1)}-`,
      // A ULID's first character is 0..7 (48 bits of time).
      `bgt_8${USER.slice(1)}_${TOKEN}_${secret}`,
      `bgt_${USER}_Z${TOKEN.slice(1)}_${secret}`,
    ]) {
      expect(parsePersonalToken(bad), bad).toBeNull();
    }
  });

  it('stores SHA-256 of the secret and compares it in constant time', () => {
    const secret = newPersonalTokenSecret();
    const stored = hashPersonalTokenSecret(secret);
    expect(stored).toBe(createHash('sha256').update(secret).digest('base64url'));
    expect(stored).not.toContain(secret);
    expect(secretMatches(secret, stored)).toBe(true);
    expect(secretMatches(newPersonalTokenSecret(), stored)).toBe(false);
    expect(secretMatches(secret, undefined)).toBe(false);
    expect(secretMatches(secret, 'short')).toBe(false);
  });

  it('lets lastUsedAt be written at most once an hour', () => {
    const now = new Date('2026-11-24T13:00:00.000Z');
    expect(lastUsedIsStale(undefined, now)).toBe(true);
    expect(lastUsedIsStale(null, now)).toBe(true);
    expect(lastUsedIsStale('2026-11-24T12:00:00.001Z', now)).toBe(false);
    expect(lastUsedIsStale('2026-11-24T12:00:00.000Z', now)).toBe(true);
    expect(lastUsedIsStale('not a date', now)).toBe(true);
  });
});
