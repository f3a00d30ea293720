import { createHmac, createSecretKey, hkdfSync, randomBytes, timingSafeEqual, type KeyObject } from 'node:crypto';

/** 128 random bits: ids cannot be guessed or enumerated (they are not secret, the HMAC is). */
const RESET_ID_BYTES = 16;
/** base64url of 16 bytes. */
const RESET_ID = /^[A-Za-z0-9_-]{22}$/;
/** base64url of an HMAC-SHA-256 (32 bytes). */
const MAC = /^[A-Za-z0-9_-]{43}$/;

/**
 * Password-reset tokens: `<resetId>.<base64url HMAC-SHA-256(key, resetId)>`. The key is derived
 * (HKDF-SHA-256) from the token signing key with a label of its own, so it is never the key
 * that signs access tokens or seals cursors. Only the resetId is ever stored (the reset item)
 * or queued (the mail job's unit): the job rebuilds the token from it, and without the key
 * nobody who reads the table or the queue can. Codes made under the signing key before a
 * rotation (`previousSigningKey`) still verify; new ones are made under the current key only.
 *
 * `label` separates the uses of this one code shape: the email-change codes
 * (service/email-change.service.ts) are made under their own label, so a password-reset code
 * is never a valid email-change code or the other way round.
 */
export class ResetTokens {
  private readonly key: KeyObject;
  private readonly previousKey?: KeyObject;

  constructor(signingKey: string, previousSigningKey?: string, label: string = RESET_TOKEN_LABEL) {
    this.key = macKey(signingKey, label);
    if (previousSigningKey && previousSigningKey !== signingKey) this.previousKey = macKey(previousSigningKey, label);
  }

  static newResetId(): string {
    return randomBytes(RESET_ID_BYTES).toString('base64url');
  }

  static isResetId(value: unknown): value is string {
    return typeof value === 'string' && RESET_ID.test(value);
  }

  tokenFor(resetId: string): string {
    return `${resetId}.${this.mac(resetId).toString('base64url')}`;
  }

  /**
   * The resetId a token names, or null when the token is malformed or its MAC is not ours.
   * Compared in constant time, and without any read: a forged token costs one HMAC.
   */
  resetIdOf(token: string): string | null {
    const dot = token.indexOf('.');
    if (dot < 0) return null;
    const resetId = token.slice(0, dot);
    const mac = token.slice(dot + 1);
    if (!RESET_ID.test(resetId) || !MAC.test(mac)) return null;
    const presented = Buffer.from(mac, 'base64url');
    const matches = (key: KeyObject) => {
      const expected = this.mac(resetId, key);
      return presented.length === expected.length && timingSafeEqual(presented, expected);
    };
    return matches(this.key) || (this.previousKey !== undefined && matches(this.previousKey)) ? resetId : null;
  }

  private mac(resetId: string, key = this.key): Buffer {
    return createHmac('sha256', key).update(resetId, 'utf8').digest();
  }
}

/** The HKDF label of the password-reset codes' MAC key. */
export const RESET_TOKEN_LABEL = 'users-password-reset-token-hmac-sha256';

const macKey = (signingKey: string, label: string) => createSecretKey(Buffer.from(hkdfSync('sha256', signingKey, 'budgeting', label, 32)));
