import { describe, expect, it } from 'vitest';
import { TotpSecretSealer } from './totp-secret-sealer';

const KEY = Buffer.alloc(32, 7).toString('base64');
const SECRET = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP';

describe('TotpSecretSealer', () => {
  const sealer = new TotpSecretSealer(KEY);

  it('seals so that only the same key and user open it, with a fresh IV each time', () => {
    const sealed = sealer.seal(SECRET, 'user-1');
    expect(sealed).toMatch(/^v1\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/);
    expect(sealed).not.toContain(SECRET);
    expect(sealer.seal(SECRET, 'user-1')).not.toBe(sealed);
    expect(sealer.open(sealed, 'user-1')).toBe(SECRET);
  });

  it('refuses another user, another key, a tampered value and a malformed one, never echoing the secret', () => {
    const sealed = sealer.seal(SECRET, 'user-1');
    expect(() => sealer.open(sealed, 'user-2')).toThrow(/does not open/);
    expect(() => new TotpSecretSealer(Buffer.alloc(32, 8).toString('base64')).open(sealed, 'user-1')).toThrow(/does not open/);
    const parts = sealed.split('.');
    const flipped = Buffer.from(parts[2]!, 'base64url');
    flipped[0] = flipped[0]! ^ 1;
    parts[2] = flipped.toString('base64url');
    expect(() => sealer.open(parts.join('.'), 'user-1')).toThrow(/does not open/);
    expect(() => sealer.open('plain', 'user-1')).toThrow(/Not a sealed TOTP secret/);
    try {
      sealer.open(sealed, 'user-2');
    } catch (err) {
      expect(String(err)).not.toContain(SECRET);
    }
  });

  it('derives its own key: not the configured key itself (a value sealed with that does not open)', async () => {
    const { createCipheriv, randomBytes } = await import('node:crypto');
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', Buffer.from(KEY, 'base64'), iv);
    cipher.setAAD(Buffer.from('user-1'));
    const body = Buffer.concat([cipher.update(SECRET, 'utf8'), cipher.final()]);
    const raw = ['v1', iv, body, cipher.getAuthTag()].map((p) => (typeof p === 'string' ? p : p.toString('base64url'))).join('.');
    expect(() => sealer.open(raw, 'user-1')).toThrow(/does not open/);
  });
});
