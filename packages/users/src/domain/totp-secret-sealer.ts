import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';

/**
 * Seals a user's TOTP secret at rest: AES-256-GCM, a random 12-byte IV per seal, the user's id
 * as additional authenticated data (a sealed secret copied onto another user's item does not
 * open). Stored as `v1.<iv>.<ciphertext>.<tag>` (base64url parts).
 *
 * The key is derived (HKDF-SHA-256, a label of its own) from WEBHOOK_SECRETS_KEY, the
 * platform's key for secrets sealed at rest, not from TOKEN_SIGNING_KEY: the signing key is
 * rotated (README, "Rotating the token signing key") and its previous value dropped after a
 * while, which would make every enrolled authenticator unreadable; a TOTP secret lives as long
 * as the enrolment. The label keeps the derived key distinct from the webhooks' own use of the
 * key, so neither module's sealed values open as the other's.
 */
const VERSION = 'v1';
const LABEL = 'users-totp-secret-aes-256-gcm';
const IV_BYTES = 12;
const TAG_BYTES = 16;

export class TotpSecretSealer {
  private readonly key: Buffer;

  /** `secretsKey`: the configured key, base64 of 32 bytes (checked by loadConfig). */
  constructor(secretsKey: string) {
    this.key = Buffer.from(hkdfSync('sha256', Buffer.from(secretsKey, 'base64'), Buffer.alloc(0), LABEL, 32));
  }

  seal(secret: string, userId: string): string {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv, { authTagLength: TAG_BYTES });
    cipher.setAAD(Buffer.from(userId, 'utf8'));
    const ciphertext = Buffer.concat([cipher.update(secret, 'utf8'), cipher.final()]);
    return [VERSION, iv, ciphertext, cipher.getAuthTag()].map((p) => (typeof p === 'string' ? p : p.toString('base64url'))).join('.');
  }

  /** The secret; throws (never echoing the value: errors reach logs) when it does not open for this user and key. */
  open(sealed: string, userId: string): string {
    const parts = sealed.split('.');
    if (parts.length !== 4 || parts[0] !== VERSION) throw new Error('Not a sealed TOTP secret (expected v1.<iv>.<ciphertext>.<tag>)');
    const [, iv, ciphertext, tag] = parts.map((p) => Buffer.from(p, 'base64url')) as [Buffer, Buffer, Buffer, Buffer];
    try {
      const decipher = createDecipheriv('aes-256-gcm', this.key, iv, { authTagLength: TAG_BYTES });
      decipher.setAAD(Buffer.from(userId, 'utf8'));
      decipher.setAuthTag(tag);
      return Buffer.concat([decipher.update(ciphertext), decipher.final()]).toString('utf8');
    } catch {
      throw new Error(`The sealed TOTP secret of user ${userId} does not open (tampered with, another user's, or another key)`);
    }
  }
}
