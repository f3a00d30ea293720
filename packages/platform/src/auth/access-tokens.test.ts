import { SignJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import { fixedClock } from '../clock';
import { AccessTokens } from './access-tokens';

const KEY = 'a-signing-key-that-is-long-enough-0123456789';

describe('AccessTokens.verify (verified tokens are remembered)', () => {
  it('keeps refusing an expired token it had accepted before', async () => {
    const clock = fixedClock('2026-11-30T10:00:00Z');
    const tokens = new AccessTokens(KEY, 900, clock);
    const token = await tokens.sign({ userId: 'u1' });
    expect(await tokens.verify(token)).toEqual({ userId: 'u1' });
    clock.advance(899_000);
    expect(await tokens.verify(token)).toEqual({ userId: 'u1' });
    clock.advance(1_000); // exp reached: jose refuses at exp <= now
    await expect(tokens.verify(token)).rejects.toMatchObject({ reason: 'expired' });
  });

  it('refuses a token whose signature differs from one it accepted', async () => {
    const clock = fixedClock('2026-11-30T10:00:00Z');
    const tokens = new AccessTokens(KEY, 900, clock);
    const token = await tokens.sign({ userId: 'u1' });
    await tokens.verify(token);
    const [header, payload, signature] = token.split('.');
    // One bit of the signature's last byte flipped: always another signature (swapping the last
    // characters for fixed ones may only touch base64's padding bits, which decode the same).
    const bytes = Buffer.from(signature!, 'base64url');
    bytes[bytes.length - 1]! ^= 1;
    const tampered = `${header}.${payload}.${bytes.toString('base64url')}`;
    await expect(tokens.verify(tampered)).rejects.toMatchObject({ reason: 'invalid' });
    const otherKey = await new AccessTokens('another-signing-key-that-is-long-enough-0123', 900, clock).sign({ userId: 'u1' });
    await expect(tokens.verify(otherKey)).rejects.toMatchObject({ reason: 'invalid' });
  });

  it('applies not-before on every use', async () => {
    const clock = fixedClock('2026-11-30T10:00:00Z');
    const tokens = new AccessTokens(KEY, 900, clock);
    const now = Math.floor(clock.now().getTime() / 1000);
    const early = await new SignJWT({})
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setSubject('u2')
      .setIssuer('budgeting')
      .setAudience('budgeting-api')
      .setIssuedAt(now)
      .setNotBefore(now)
      .setExpirationTime(now + 900)
      .sign(new TextEncoder().encode(KEY));
    expect(await tokens.verify(early)).toEqual({ userId: 'u2' });
    clock.set('2026-11-30T09:59:00Z'); // the clock steps back: the remembered token is not valid yet
    await expect(tokens.verify(early)).rejects.toMatchObject({ reason: 'invalid' });
  });
});

describe('AccessTokens.issue (a token that must not outlive its session)', () => {
  const exp = (token: string) => JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString('utf8')).exp as number;

  it('lives the TTL when the limit is later or absent, and only until the limit when it comes first', async () => {
    const clock = fixedClock('2026-11-30T10:00:00Z');
    const tokens = new AccessTokens(KEY, 900, clock);
    const now = Math.floor(clock.now().getTime() / 1000);
    const plain = await tokens.issue({ userId: 'u1' });
    expect([exp(plain.token), plain.expiresIn]).toEqual([now + 900, 900]);
    const later = await tokens.issue({ userId: 'u1' }, now + 901);
    expect([exp(later.token), later.expiresIn]).toEqual([now + 900, 900]);
    const capped = await tokens.issue({ userId: 'u1' }, now + 300);
    expect([exp(capped.token), capped.expiresIn]).toEqual([now + 300, 300]);
    clock.advance(299_000);
    expect(await tokens.verify(capped.token)).toEqual({ userId: 'u1' });
    clock.advance(1_000);
    await expect(tokens.verify(capped.token)).rejects.toMatchObject({ reason: 'expired' });
  });
});

describe('AccessTokens session id (claim sid)', () => {
  it('carries the session id it was signed with, also from the remembered entry', async () => {
    const tokens = new AccessTokens(KEY, 900, fixedClock('2026-11-30T10:00:00Z'));
    const token = await tokens.sign({ userId: 'u1', sessionId: 'fam1' });
    expect(await tokens.verify(token)).toEqual({ userId: 'u1', sessionId: 'fam1' });
    expect(await tokens.verify(token)).toEqual({ userId: 'u1', sessionId: 'fam1' });
  });

  it('still verifies a token without sid (signed before sessions were named): no session id', async () => {
    const clock = fixedClock('2026-11-30T10:00:00Z');
    const now = Math.floor(clock.now().getTime() / 1000);
    const legacy = await new SignJWT({})
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setSubject('u3')
      .setIssuer('budgeting')
      .setAudience('budgeting-api')
      .setIssuedAt(now)
      .setExpirationTime(now + 900)
      .sign(new TextEncoder().encode(KEY));
    const claims = await new AccessTokens(KEY, 900, clock).verify(legacy);
    expect(claims).toEqual({ userId: 'u3' });
    expect('sessionId' in claims).toBe(false);
  });
});

describe('AccessTokens across a signing key rotation', () => {
  const OLD = 'the-signing-key-before-the-rotation-0123456789';
  const clock = fixedClock('2026-11-30T10:00:00Z');

  it('verifies tokens of the previous key, signs only with the current one', async () => {
    const old = await new AccessTokens(OLD, 900, clock).sign({ userId: 'u1', sessionId: 's1' });
    const rotated = new AccessTokens(KEY, 900, clock, { previousSigningKey: OLD });
    expect(await rotated.verify(old)).toEqual({ userId: 'u1', sessionId: 's1' });
    const signed = await rotated.sign({ userId: 'u2' });
    expect(await new AccessTokens(KEY, 900, clock).verify(signed)).toEqual({ userId: 'u2' });
    await expect(new AccessTokens(OLD, 900, clock).verify(signed)).rejects.toMatchObject({ reason: 'invalid' });
  });

  it('refuses a token of neither key, and a previous-key token once the previous key is gone', async () => {
    const stranger = await new AccessTokens('a-key-nobody-configured-here-0123456789abc', 900, clock).sign({ userId: 'u1' });
    await expect(new AccessTokens(KEY, 900, clock, { previousSigningKey: OLD }).verify(stranger)).rejects.toMatchObject({ reason: 'invalid' });
    const old = await new AccessTokens(OLD, 900, clock).sign({ userId: 'u1' });
    await expect(new AccessTokens(KEY, 900, clock).verify(old)).rejects.toMatchObject({ reason: 'invalid' });
  });

  it('still reports an expired previous-key token as expired', async () => {
    const early = fixedClock('2026-11-30T09:00:00Z');
    const old = await new AccessTokens(OLD, 900, early).sign({ userId: 'u1' });
    await expect(new AccessTokens(KEY, 900, clock, { previousSigningKey: OLD }).verify(old)).rejects.toMatchObject({ reason: 'expired' });
  });
});

describe('the session epoch claim (sep)', () => {
  const clock = fixedClock('2026-11-30T10:00:00Z');

  it('round-trips, also from the verified-token memory, and reaches the account check', async () => {
    const asked: [string, number | undefined][] = [];
    const tokens = new AccessTokens(KEY, 900, clock, { accountExists: async (userId, epoch) => (asked.push([userId, epoch]), epoch === 2) });
    const token = await tokens.sign({ userId: 'u1', sessionId: 's1', sessionEpoch: 2 });
    expect(await tokens.verify(token)).toEqual({ userId: 'u1', sessionId: 's1', sessionEpoch: 2 });
    expect(await tokens.authenticate(token)).toEqual({ userId: 'u1', sessionId: 's1', sessionEpoch: 2 });
    const stale = await tokens.sign({ userId: 'u1', sessionEpoch: 1 });
    await expect(tokens.authenticate(stale)).rejects.toMatchObject({ reason: 'account-gone' });
    expect(asked).toEqual([['u1', 2], ['u1', 1]]);
  });

  it('is left out when absent or not a non-negative integer (treated as a token without it)', async () => {
    const tokens = new AccessTokens(KEY, 900, clock);
    expect(await tokens.verify(await tokens.sign({ userId: 'u1' }))).toEqual({ userId: 'u1' });
    for (const sep of [-1, 1.5, '2', null]) {
      const forged = await new SignJWT({ sep }).setProtectedHeader({ alg: 'HS256' }).setSubject('u1').setIssuer('budgeting').setAudience('budgeting-api').setIssuedAt(clock.now()).setExpirationTime(new Date(clock.now().getTime() + 60_000)).sign(new TextEncoder().encode(KEY));
      expect(await tokens.verify(forged)).toEqual({ userId: 'u1' });
    }
  });
});

describe('the sign-in time claim (auth_time)', () => {
  const clock = fixedClock('2026-11-30T10:00:00Z');

  it('is signed as auth_time and round-trips, also from the verified-token memory', async () => {
    const tokens = new AccessTokens(KEY, 900, clock);
    const token = await tokens.sign({ userId: 'u1', sessionId: 's1', sessionEpoch: 0, authTime: 1_796_000_000 });
    const payload = JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString('utf8'));
    expect(payload.auth_time).toBe(1_796_000_000);
    expect(await tokens.verify(token)).toEqual({ userId: 'u1', sessionId: 's1', sessionEpoch: 0, authTime: 1_796_000_000 });
    expect(await tokens.identify(token)).toEqual({ userId: 'u1', sessionId: 's1', sessionEpoch: 0, authTime: 1_796_000_000 });
  });

  it('is left out when absent or not a non-negative integer (a token without a known sign-in time)', async () => {
    const tokens = new AccessTokens(KEY, 900, clock);
    const plain = await tokens.sign({ userId: 'u1' });
    expect(JSON.parse(Buffer.from(plain.split('.')[1]!, 'base64url').toString('utf8'))).not.toHaveProperty('auth_time');
    for (const auth_time of [-1, 1.5, '1796000000', null]) {
      const odd = await new SignJWT({ auth_time }).setProtectedHeader({ alg: 'HS256' }).setSubject('u1').setIssuer('budgeting').setAudience('budgeting-api').setIssuedAt(clock.now()).setExpirationTime(new Date(clock.now().getTime() + 60_000)).sign(new TextEncoder().encode(KEY));
      expect(await tokens.verify(odd)).toEqual({ userId: 'u1' });
    }
  });
});

describe('AccessTokens.identify (sessions and personal access tokens)', () => {
  const clock = fixedClock('2026-11-30T10:00:00Z');

  it('verifies a JWT without asking the personal-token resolver', async () => {
    const asked: string[] = [];
    const tokens = new AccessTokens(KEY, 900, clock, { personalTokens: async (t) => (asked.push(t), 'invalid') });
    const jwt = await tokens.sign({ userId: 'u1', sessionId: 's1', sessionEpoch: 0 });
    expect(await tokens.identify(jwt)).toEqual({ userId: 'u1', sessionId: 's1', sessionEpoch: 0 });
    expect(asked).toEqual([]);
  });

  it('resolves a bgt_ token to its owner at the epoch it was made in, with no session', async () => {
    const tokens = new AccessTokens(KEY, 900, clock, {
      personalTokens: async (t) => (t === 'bgt_good' ? { userId: 'u1', tokenId: 't1', scope: 'read', sessionEpoch: 3 } : t === 'bgt_old' ? 'expired' : 'invalid'),
    });
    expect(await tokens.identify('bgt_good')).toEqual({ userId: 'u1', sessionEpoch: 3, personalToken: { id: 't1', scope: 'read' } });
    await expect(tokens.identify('bgt_old')).rejects.toMatchObject({ reason: 'personal-expired' });
    await expect(tokens.identify('bgt_bad')).rejects.toMatchObject({ reason: 'personal-invalid' });
  });

  it('refuses every bgt_ token when no resolver is wired', async () => {
    await expect(new AccessTokens(KEY, 900, clock).identify('bgt_anything')).rejects.toMatchObject({ reason: 'personal-invalid' });
  });
});

describe('AccessTokens.verify (what a token signed with the right key must still carry)', () => {
  const clock = fixedClock('2026-11-30T10:00:00Z');
  const now = Math.floor(clock.now().getTime() / 1000);
  const key = new TextEncoder().encode(KEY);
  /** A token signed with the real key, its header and claims as given (defaults: what sign() makes). */
  const forged = (options: { alg?: string; iss?: string | null; aud?: string | null; exp?: number | null }) => {
    let jwt = new SignJWT({}).setProtectedHeader({ alg: options.alg ?? 'HS256', typ: 'JWT' }).setSubject('u1').setIssuedAt(now);
    if (options.iss !== null) jwt = jwt.setIssuer(options.iss ?? 'budgeting');
    if (options.aud !== null) jwt = jwt.setAudience(options.aud ?? 'budgeting-api');
    if (options.exp !== null) jwt = jwt.setExpirationTime(options.exp ?? now + 900);
    return jwt.sign(key);
  };

  it('accepts the control token (so the refusals below are about the one claim each changes)', async () => {
    expect(await new AccessTokens(KEY, 900, clock).verify(await forged({}))).toEqual({ userId: 'u1' });
  });

  it.each([
    ['another HMAC algorithm (HS512) with the same key', { alg: 'HS512' }],
    ['another issuer', { iss: 'someone-else' }],
    ['no issuer', { iss: null }],
    ['another audience', { aud: 'another-api' }],
    ['no audience', { aud: null }],
    ['no expiry', { exp: null }],
  ])('refuses %s', async (_label, options) => {
    await expect(new AccessTokens(KEY, 900, clock).verify(await forged(options))).rejects.toMatchObject({ reason: 'invalid' });
  });

  it('allows no clock skew: a token is expired at its exp, to the second', async () => {
    const tokens = new AccessTokens(KEY, 900, clock);
    await expect(tokens.verify(await forged({ exp: now }))).rejects.toMatchObject({ reason: 'expired' });
  });
});
