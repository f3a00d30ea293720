import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import type { AnswerSealer } from '@budgeting/platform';

const VERSION = 'v1';
const ALGORITHM = 'aes-256-gcm';
const IV_BYTES = 12;
const TAG_BYTES = 16;
const KEY_BYTES = 32;

/**
 * Seals webhook signing secrets at rest: AES-256-GCM with a random 12-byte IV per seal and the
 * webhook's id as additional authenticated data, so a sealed secret copied onto another
 * webhook's item does not open. Stored as one string:
 *
 *   v1.<keyId>.<iv b64url>.<ciphertext b64url>.<tag b64url>
 *
 * keyId is derived from the key (the first 8 bytes of its SHA-256, base64url): it names which
 * key sealed a value without revealing it. Rotation (not implemented): configure the new key as
 * WEBHOOK_SECRETS_KEY and keep the old one in a list of previous keys; this class would take them
 * all, seal with the current key and open with whichever key the stored keyId names; a one-off job
 * reseals every webhook item, after which the old key can be dropped.
 */
export class SecretSealer {
  private readonly keyId: string;

  constructor(private readonly key: Buffer) {
    if (key.length !== KEY_BYTES) throw new Error(`The webhook secrets key must be ${KEY_BYTES} bytes, got ${key.length}`);
    this.keyId = keyIdOf(key);
  }

  seal(secret: string, webhookId: string): string {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv(ALGORITHM, this.key, iv, { authTagLength: TAG_BYTES });
    cipher.setAAD(Buffer.from(webhookId, 'utf8'));
    const ciphertext = Buffer.concat([cipher.update(secret, 'utf8'), cipher.final()]);
    return [VERSION, this.keyId, iv, ciphertext, cipher.getAuthTag()].map((p) => (typeof p === 'string' ? p : p.toString('base64url'))).join('.');
  }

  /** Was `sealed` sealed with this sealer's key (judged by its keyId, without opening it)? */
  sealedWithThisKey(sealed: string): boolean {
    return sealed.split('.')[1] === this.keyId;
  }

  /** The secret sealed for `webhookId`; throws when the value is malformed, tampered with, sealed for another webhook or with another key. */
  open(sealed: string, webhookId: string): string {
    const parts = sealed.split('.');
    if (parts.length !== 5 || parts[0] !== VERSION) throw new Error('Not a sealed webhook secret (expected v1.<keyId>.<iv>.<ciphertext>.<tag>)');
    const [, keyId, iv, ciphertext, tag] = parts as [string, string, string, string, string];
    // Never echo the value itself: errors end up in logs.
    if (keyId !== this.keyId) throw new Error(`Webhook secret sealed with key ${keyId}, which is not configured`);
    const ivBytes = Buffer.from(iv, 'base64url');
    const tagBytes = Buffer.from(tag, 'base64url');
    if (ivBytes.length !== IV_BYTES || tagBytes.length !== TAG_BYTES) throw new Error('Sealed webhook secret has a malformed IV or tag');
    const decipher = createDecipheriv(ALGORITHM, this.key, ivBytes, { authTagLength: TAG_BYTES });
    decipher.setAAD(Buffer.from(webhookId, 'utf8'));
    decipher.setAuthTag(tagBytes);
    try {
      return Buffer.concat([decipher.update(Buffer.from(ciphertext, 'base64url')), decipher.final()]).toString('utf8');
    } catch {
      throw new Error(`Sealed webhook secret does not open for ${webhookId} (tampered with, or sealed for another webhook or record)`);
    }
  }
}

/** Prefix of the AAD of sealed answers: no webhook id starts with it, so an answer never opens as a secret nor the other way round. */
const ANSWER_AAD_PREFIX = 'idempotency-answer:';

/**
 * The stored Idempotency-Key answers of the routes that show a secret (creation, rotation),
 * sealed with the same key as the secrets: bound to the key's record (its id in the AAD), so
 * the record holds no plain `whsec_` value and a sealed answer copied to another record does
 * not open (platform http/idempotency.ts replays it opened).
 */
export function answerSealer(sealer: SecretSealer): AnswerSealer {
  return {
    seal: (body, recordId) => sealer.seal(body, ANSWER_AAD_PREFIX + recordId),
    open: (sealed, recordId) => sealer.open(sealed, ANSWER_AAD_PREFIX + recordId),
  };
}

/** The configured key (base64, already checked to be 32 bytes by loadConfig). */
export function sealerFromBase64(key: string): SecretSealer {
  return new SecretSealer(Buffer.from(key, 'base64'));
}

function keyIdOf(key: Buffer): string {
  return createHash('sha256').update(key).digest().subarray(0, 8).toString('base64url');
}
