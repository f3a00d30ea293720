import { createCipheriv, hkdfSync, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { TotpSecretSealer } from './totp-secret-sealer';

const KEY = Buffer.alloc(32, 7).toString('base64');
/** WEBHOOK_SECRETS_KEY: what the secrets sealed before MFA had its own key (v1) were sealed under. */
const LEGACY_KEY = Buffer.alloc(32, 9).toString('base64');
const SECRET = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP';

/** A value sealed as the earlier code did: v1, the key derived under the same label from `base64Key`. */
function legacySeal(base64Key: string, secret: string, userId: string): string {
  const key = Buffer.from(hkdfSync('sha256', Buffer.from(base64Key, 'base64'), Buffer.alloc(0), 'users-totp-secret-aes-256-gcm', 32));
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(Buffer.from(userId));
  const body = Buffer.concat([cipher.update(secret, 'utf8'), cipher.final()]);
  return ['v1', iv, body, cipher.getAuthTag()].map((p) => (typeof p === 'string' ? p : p.toString('base64url'))).join('.');
}

describe('TotpSecretSealer', () => {
  const sealer = new TotpSecretSealer(KEY, LEGACY_KEY);

  it('seals (v2) so that only the same key and user open it, with a fresh IV each time', () => {
    const sealed = sealer.seal(SECRET, 'user-1');
    expect(sealed).toMatch(/^v2\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/);
    expect(sealer.unseal(sealed, 'user-1')).toEqual({ secret: SECRET, stale: false });
    expect(sealed).not.toContain(SECRET);
    expect(sealer.seal(SECRET, 'user-1')).not.toBe(sealed);
    expect(sealer.open(sealed, 'user-1')).toBe(SECRET);
  });

  it('refuses another user, another key, a tampered value and a malformed one, never echoing the secret', () => {
    const sealed = sealer.seal(SECRET, 'user-1');
    expect(() => sealer.open(sealed, 'user-2')).toThrow(/does not open/);
    expect(() => new TotpSecretSealer(Buffer.alloc(32, 8).toString('base64'), LEGACY_KEY).open(sealed, 'user-1')).toThrow(/does not open/);
    const parts = sealed.split('.');
    const flipped = Buffer.from(parts[2]!, 'base64url');
    flipped[0] = flipped[0]! ^ 1;
    parts[2] = flipped.toString('base64url');
    expect(() => sealer.open(parts.join('.'), 'user-1')).toThrow(/does not open/);
    expect(() => sealer.open('plain', 'user-1')).toThrow(/Not a sealed TOTP secret/);
    expect(() => sealer.open(sealed.replace(/^v2/, 'v3'), 'user-1')).toThrow(/Not a sealed TOTP secret/);
    try {
      sealer.open(sealed, 'user-2');
    } catch (err) {
      expect(String(err)).not.toContain(SECRET);
    }
  });

  it('derives its own key: not the configured key itself (a value sealed with that does not open)', () => {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', Buffer.from(KEY, 'base64'), iv);
    cipher.setAAD(Buffer.from('user-1'));
    const body = Buffer.concat([cipher.update(SECRET, 'utf8'), cipher.final()]);
    const raw = ['v2', iv, body, cipher.getAuthTag()].map((p) => (typeof p === 'string' ? p : p.toString('base64url'))).join('.');
    expect(() => sealer.open(raw, 'user-1')).toThrow(/does not open/);
  });

  it('seals under MFA_SECRETS_KEY only: the webhooks key (as the old derivation) does not open a new seal', () => {
    const sealed = sealer.seal(SECRET, 'user-1');
    // The same value relabelled v1 is tried with the legacy key, and fails.
    expect(() => sealer.open(sealed.replace(/^v2/, 'v1'), 'user-1')).toThrow(/does not open/);
    // A sealer whose MFA key is the webhooks key does not open it either.
    expect(() => new TotpSecretSealer(LEGACY_KEY).open(sealed, 'user-1')).toThrow(/does not open/);
  });

  it('still opens a v1 value sealed before MFA had its own key, with the legacy key only', () => {
    const old = legacySeal(LEGACY_KEY, SECRET, 'user-1');
    expect(sealer.unseal(old, 'user-1')).toEqual({ secret: SECRET, stale: true });
    expect(sealer.open(old, 'user-1')).toBe(SECRET);
    expect(() => sealer.open(old, 'user-2')).toThrow(/does not open/);
    expect(() => new TotpSecretSealer(KEY).open(old, 'user-1')).toThrow(/no such key/);
    expect(() => new TotpSecretSealer(KEY, Buffer.alloc(32, 8).toString('base64')).open(old, 'user-1')).toThrow(/does not open/);
  });
});

describe('TotpSecretSealer while MFA_SECRETS_KEY is rotated (MFA_SECRETS_KEY_PREVIOUS)', () => {
  const OLD = Buffer.alloc(32, 0xa1).toString('base64');
  const NEW = Buffer.alloc(32, 0xb2).toString('base64');
  const underOld = new TotpSecretSealer(OLD, LEGACY_KEY).seal(SECRET, 'user-1');

  it('opens a v2 value sealed under the previous key, as stale; seals under the current key only', () => {
    const rotating = new TotpSecretSealer(NEW, LEGACY_KEY, OLD);
    expect(rotating.unseal(underOld, 'user-1')).toEqual({ secret: SECRET, stale: true });
    const resealed = rotating.seal(SECRET, 'user-1');
    expect(resealed).toMatch(/^v2\./);
    expect(rotating.unseal(resealed, 'user-1')).toEqual({ secret: SECRET, stale: false });
    // The new seal is the new key's: the old key alone does not open it, the new one alone does.
    expect(() => new TotpSecretSealer(OLD).open(resealed, 'user-1')).toThrow(/does not open/);
    expect(new TotpSecretSealer(NEW).open(resealed, 'user-1')).toBe(SECRET);
    // v1 values keep opening (stale) beside the previous key.
    expect(rotating.unseal(legacySeal(LEGACY_KEY, SECRET, 'user-1'), 'user-1')).toEqual({ secret: SECRET, stale: true });
  });

  it('does not open an old seal without the previous key, nor with a wrong one, nor for another user', () => {
    expect(() => new TotpSecretSealer(NEW, LEGACY_KEY).open(underOld, 'user-1')).toThrow(/does not open with MFA_SECRETS_KEY \(.*MFA_SECRETS_KEY_PREVIOUS/);
    expect(() => new TotpSecretSealer(NEW, LEGACY_KEY, Buffer.alloc(32, 0xc3).toString('base64')).open(underOld, 'user-1')).toThrow(
      /does not open with MFA_SECRETS_KEY or MFA_SECRETS_KEY_PREVIOUS/,
    );
    // The webhooks' key is no previous MFA key: a v2 value is never tried with it.
    expect(() => new TotpSecretSealer(NEW, OLD).open(underOld, 'user-1')).toThrow(/does not open/);
    expect(() => new TotpSecretSealer(NEW, LEGACY_KEY, OLD).open(underOld, 'user-2')).toThrow(/does not open/);
    try {
      new TotpSecretSealer(NEW).open(underOld, 'user-1');
    } catch (err) {
      expect(String(err)).not.toContain(SECRET);
    }
  });

  it('tries the current key first: a value sealed under it is not stale when a previous key is also set', () => {
    const current = new TotpSecretSealer(NEW).seal(SECRET, 'user-1');
    expect(new TotpSecretSealer(NEW, LEGACY_KEY, OLD).unseal(current, 'user-1')).toEqual({ secret: SECRET, stale: false });
  });
});
