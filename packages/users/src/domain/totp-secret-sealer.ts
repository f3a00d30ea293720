import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';

/**
 * Seals a user's TOTP secret at rest: AES-256-GCM, a random 12-byte IV per seal, the user's id
 * as additional authenticated data (a sealed secret copied onto another user's item does not
 * open). Stored as `<version>.<iv>.<ciphertext>.<tag>` (base64url parts); the version names the
 * secret the key comes from, so an operator can tell the old seals apart.
 *
 * - `v2` (every seal now): the key is derived (HKDF-SHA-256, a label of its own) from
 *   MFA_SECRETS_KEY, the users module's own secret, so no other module's key opens it and a
 *   rotation of another module's key never touches it. While MFA_SECRETS_KEY is being rotated
 *   (packages/users/docs/two-factor-sign-in.md, "Rotating MFA_SECRETS_KEY"), a `v2` value the current key does
 *   not open (GCM's authentication fails) is tried with MFA_SECRETS_KEY_PREVIOUS: the tag
 *   tells which key sealed it, so the version stays `v2` and nothing has to be migrated first.
 * - `v1` (read only): sealed before MFA had its own key, under the same label derived from
 *   WEBHOOK_SECRETS_KEY. Still opened with that key.
 *
 * A value opened with any key but the current one is `stale`: the next accepted code reseals
 * it under the current key (service/mfa-codes.ts), so the enrolments of deployed stages keep
 * working and move over as their users sign in; the operator job `users-mfa-reseal`
 * (jobs/mfa-reseal-job.ts) moves the rest, so the old key can be dropped.
 *
 * Not TOKEN_SIGNING_KEY: the signing key is rotated (root README, "Rotating the token signing key")
 * and its previous value dropped after a while, which would make every enrolled authenticator
 * unreadable; a TOTP secret lives as long as the enrolment.
 */
const CURRENT = 'v2';
const LEGACY = 'v1';
const LABEL = 'users-totp-secret-aes-256-gcm';
const IV_BYTES = 12;
const TAG_BYTES = 16;

const derive = (base64Key: string) => Buffer.from(hkdfSync('sha256', Buffer.from(base64Key, 'base64'), Buffer.alloc(0), LABEL, 32));

/** An opened secret; `stale`: it was sealed under a key other than the current one (reseal it). */
export interface OpenedSecret {
  secret: string;
  stale: boolean;
}

/** Thrown when a sealed secret opens with none of the configured keys: a message for the log, never the value. */
export class UnopenableSecretError extends Error {
  override readonly name = 'UnopenableSecretError';
}

export class TotpSecretSealer {
  private readonly current: Buffer;
  private readonly previous: Buffer | undefined;
  private readonly legacy: Buffer | undefined;

  /**
   * `mfaSecretsKey`: MFA_SECRETS_KEY, base64 of 32 bytes (checked by loadConfig).
   * `legacySecretsKey`: WEBHOOK_SECRETS_KEY, only to open `v1` values; absent, they do not open.
   * `previousMfaSecretsKey`: MFA_SECRETS_KEY_PREVIOUS, only to open `v2` values sealed before the
   * last rotation; absent, they do not open.
   */
  constructor(mfaSecretsKey: string, legacySecretsKey?: string, previousMfaSecretsKey?: string) {
    this.current = derive(mfaSecretsKey);
    this.legacy = legacySecretsKey ? derive(legacySecretsKey) : undefined;
    this.previous = previousMfaSecretsKey ? derive(previousMfaSecretsKey) : undefined;
  }

  seal(secret: string, userId: string): string {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.current, iv, { authTagLength: TAG_BYTES });
    cipher.setAAD(Buffer.from(userId, 'utf8'));
    const ciphertext = Buffer.concat([cipher.update(secret, 'utf8'), cipher.final()]);
    return [CURRENT, iv, ciphertext, cipher.getAuthTag()].map((p) => (typeof p === 'string' ? p : p.toString('base64url'))).join('.');
  }

  /** The secret; throws (never echoing the value: errors reach logs) when it does not open for this user with any configured key. */
  open(sealed: string, userId: string): string {
    return this.unseal(sealed, userId).secret;
  }

  /**
   * The secret and whether it should be resealed. A `v2` value is opened with the current key,
   * and only when that fails authentication with the previous one (each key is tried once, the
   * GCM tag deciding: no key is guessed from the value).
   */
  unseal(sealed: string, userId: string): OpenedSecret {
    const parts = sealed.split('.');
    if (parts.length !== 4 || (parts[0] !== CURRENT && parts[0] !== LEGACY)) throw new Error('Not a sealed TOTP secret (expected v2.<iv>.<ciphertext>.<tag>, or v1)');
    const [, iv, ciphertext, tag] = parts.map((p) => Buffer.from(p, 'base64url')) as [Buffer, Buffer, Buffer, Buffer];
    const attempt = (key: Buffer) => decrypt(key, iv, ciphertext, tag, userId);
    if (parts[0] === LEGACY) {
      if (!this.legacy) throw new UnopenableSecretError(`The sealed TOTP secret of user ${userId} is v1 (WEBHOOK_SECRETS_KEY) and no such key was given`);
      const secret = attempt(this.legacy);
      if (secret === undefined) throw new UnopenableSecretError(`The sealed TOTP secret of user ${userId} does not open (tampered with, another user's, or another key)`);
      return { secret, stale: true };
    }
    const secret = attempt(this.current);
    if (secret !== undefined) return { secret, stale: false };
    const old = this.previous ? attempt(this.previous) : undefined;
    if (old !== undefined) return { secret: old, stale: true };
    throw new UnopenableSecretError(
      `The sealed TOTP secret of user ${userId} does not open with MFA_SECRETS_KEY${this.previous ? ' or MFA_SECRETS_KEY_PREVIOUS' : ''} (tampered with, another user's, or sealed under a key no longer configured: was MFA_SECRETS_KEY changed without setting MFA_SECRETS_KEY_PREVIOUS to the old one?)`,
    );
  }
}

/** The plain text, or undefined when the tag does not authenticate (another key, another user, or tampered with). */
function decrypt(key: Buffer, iv: Buffer, ciphertext: Buffer, tag: Buffer, userId: string): string | undefined {
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_BYTES });
    decipher.setAAD(Buffer.from(userId, 'utf8'));
    decipher.setAuthTag(tag);
    return Buffer.concat([decipher.update(ciphertext), decipher.final()]).toString('utf8');
  } catch {
    return undefined;
  }
}
