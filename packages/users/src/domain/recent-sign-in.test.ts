import { describe, expect, it } from 'vitest';
import { RECENT_SIGN_IN_SECONDS, signedInRecently } from './recent-sign-in';

describe('signedInRecently', () => {
  const now = 1_796_000_000;

  it('is ten minutes', () => {
    expect(RECENT_SIGN_IN_SECONDS).toBe(600);
  });

  it.each([
    ['just now', now, true],
    ['9 minutes ago', now - 540, true],
    ['exactly 10 minutes ago', now - 600, true],
    ['10 minutes and 1 second ago', now - 601, false],
    ['11 minutes ago', now - 660, false],
    ['a day ago', now - 86_400, false],
    ['2 seconds ahead (another clock)', now + 2, true],
    ['unknown (a token without auth_time)', undefined, false],
  ])('signed in %s -> %s', (_, authTime, recent) => {
    expect(signedInRecently(authTime, now)).toBe(recent);
  });
});
