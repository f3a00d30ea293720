import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';

/**
 * Seals a user's TOTP secret at rest: AES-256-GCM, a random 12-byte IV per seal, the user's id
 * as additional authenticated data (a sealed secret copied onto another user's item does not
 * open). Stored as `<version>.<iv>.<ciphertext>.<tag>` (base64url parts); the version names the
 * key, so a value is opened with exactly one key and an operator can tell the old seals apart.
 *
 * - `v2` (every seal now): the key is derived (HKDF-SHA-256, a label of its own) from
 *   MFA_SECRETS_KEY, the users module's own secret, so no other module's key opens it and a
 *   rotation of another module's key never touches it.
 * - `v1` (read only): sealed before MFA had its own key, under the same label derived from
 *   WEBHOOK_SECRETS_KEY. Still opened with that key, and resealed as `v2` by the next accepted
 *   code (service/mfa-codes.ts), so the enrolments of deployed stages keep working.
 *
 * Not TOKEN_SIGNING_KEY: the signing key is rotated (README, "Rotating the token signing key")
 * and its previous value dropped after a while, which would make every enrolled authenticator
 * unreadable; a TOTP secret lives as long as the enrolment.
 */
const CURRENT = 'v2';
const LEGACY = 'v1';
const LABEL = 'users-totp-secret-aes-256-gcm';
const IV_BYTES = 12;
const TAG_BYTES = 16;

const derive = (base64Key: string) => Buffer.from(hkdfSync('sha256', Buffer.from(base64Key, 'base64'), Buffer.alloc(0), LABEL, 32));

export class TotpSecretSealer {
  private readonly keys: Record<string, Buffer>;

  /**
   * `mfaSecretsKey`: MFA_SECRETS_KEY, base64 of 32 bytes (checked by loadConfig).
   * `legacySecretsKey`: WEBHOOK_SECRETS_KEY, only to open `v1` values; absent, they do not open.
   */
  constructor(mfaSecretsKey: string, legacySecretsKey?: string) {
    this.keys = { [CURRENT]: derive(mfaSecretsKey), ...(legacySecretsKey ? { [LEGACY]: derive(legacySecretsKey) } : {}) };
  }

  /** True for a value sealed under the current key; false: reseal it (a `v1` value). */
  static isCurrent(sealed: string): boolean {
    return sealed.startsWith(`${CURRENT}.`);
  }

  seal(secret: string, userId: string): string {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.keys[CURRENT]!, iv, { authTagLength: TAG_BYTES });
    cipher.setAAD(Buffer.from(userId, 'utf8'));
    const ciphertext = Buffer.concat([cipher.update(secret, 'utf8'), cipher.final()]);
    return [CURRENT, iv, ciphertext, cipher.getAuthTag()].map((p) => (typeof p === 'string' ? p : p.toString('base64url'))).join('.');
  }

  /** The secret; throws (never echoing the value: errors reach logs) when it does not open for this user and key. */
  open(sealed: string, userId: string): string {
    const parts = sealed.split('.');
    const key = parts.length === 4 ? this.keys[parts[0]!] : undefined;
    if (parts.length !== 4 || (parts[0] !== CURRENT && parts[0] !== LEGACY)) throw new Error('Not a sealed TOTP secret (expected v2.<iv>.<ciphertext>.<tag>, or v1)');
    if (!key) throw new Error(`The sealed TOTP secret of user ${userId} is v1 (WEBHOOK_SECRETS_KEY) and no such key was given`);
    const [, iv, ciphertext, tag] = parts.map((p) => Buffer.from(p, 'base64url')) as [Buffer, Buffer, Buffer, Buffer];
    try {
      const decipher = createDecipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_BYTES });
      decipher.setAAD(Buffer.from(userId, 'utf8'));
      decipher.setAuthTag(tag);
      return Buffer.concat([decipher.update(ciphertext), decipher.final()]).toString('utf8');
    } catch {
      throw new Error(`The sealed TOTP secret of user ${userId} does not open (tampered with, another user's, or another key)`);
    }
  }
}
