import { describe, expect, it } from 'vitest';
import { hashRefreshToken, newRefreshToken } from './refresh-tokens';
import { isTimeZone, normalizeTimeZone } from '@budgeting/platform';
import { normalizeEmail } from '../model';

describe('refresh tokens', () => {
  it('are 256-bit random base64url strings, never repeated', () => {
    const tokens = new Set(Array.from({ length: 200 }, () => newRefreshToken()));
    expect(tokens.size).toBe(200);
    for (const token of tokens) expect(token).toMatch(/^[\w-]{43}$/);
  });

  it('hash deterministically to SHA-256 (base64url) that differs from the token', () => {
    const token = newRefreshToken();
    expect(hashRefreshToken(token)).toBe(hashRefreshToken(token));
    expect(hashRefreshToken(token)).not.toBe(token);
    expect(hashRefreshToken('abc')).toBe('ungWv48Bz-pBQUDeXa4iI7ADYaOWF3qctBD_YfIAFa0');
  });
});

describe('time zones (normalizeTimeZone)', () => {
  it.each([
    ['UTC', 'UTC'],
    ['utc', 'UTC'],
    ['Europe/Berlin', 'Europe/Berlin'],
    ['america/new_york', 'America/New_York'],
    // Aliases stay as sent (ICU would turn Kolkata into the legacy "Asia/Calcutta").
    ['US/Eastern', 'US/Eastern'],
    ['Asia/Kolkata', 'Asia/Kolkata'],
    ['America/Argentina/Buenos_Aires', 'America/Argentina/Buenos_Aires'],
    ['Etc/GMT+5', 'Etc/GMT+5'],
    ['Europe/Kyiv', 'Europe/Kyiv'],
    ['GMT', 'GMT'],
    ['EST5EDT', 'EST5EDT'],
  ])('accepts %s as %s', (input, canonical) => {
    expect(normalizeTimeZone(input)).toBe(canonical);
  });

  it.each(['', 'Mars/Olympus_Mons', '+05:00', '-0300', 'Europe/', '/Berlin', 'Europe Berlin', 'a'.repeat(65)])(
    'refuses %j',
    (input) => {
      expect(isTimeZone(input)).toBe(false);
    },
  );
});

describe('email normalization', () => {
  it('trims and lower-cases', () => {
    expect(normalizeEmail('  Ada.Lovelace@Example.COM ')).toBe('ada.lovelace@example.com');
  });
});
