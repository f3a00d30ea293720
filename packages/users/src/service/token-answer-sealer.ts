import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';
import type { AnswerSealer } from '@budgeting/platform';

/**
 * The stored Idempotency-Key answers of POST /v1/me/tokens carry the token's secret (shown
 * once), so they are sealed at rest (platform IdempotencyOptions.sealer, as the webhooks
 * module seals its signing secrets' answers): AES-256-GCM under a key derived by HKDF-SHA-256
 * from TOKEN_SIGNING_KEY under its own label, bound to the key's record id (AAD), so the table
 * never holds a usable token in clear for the record's 24 h, and a sealed answer copied onto
 * another record does not open. An answer sealed before a signing-key rotation still opens
 * with the previous key.
 */
const LABEL = 'users-personal-token-answer-aes-256-gcm';

export function personalTokenAnswerSealer(signingKey: string, previousSigningKey?: string): AnswerSealer {
  return labelledSealer(LABEL, 'personal-token answer', signingKey, previousSigningKey);
}

/**
 * The same sealing under another HKDF label (one key per use): AES-256-GCM, bound to `recordId`
 * (AAD), opening with the previous signing key during a rotation. Also seals the address in a
 * password-reset mail unit (service/password-reset.service.ts), which sits in the table a day.
 */
export function labelledSealer(label: string, what: string, signingKey: string, previousSigningKey?: string): AnswerSealer {
  const current = derive(signingKey, label);
  const previous = previousSigningKey && previousSigningKey !== signingKey ? derive(previousSigningKey, label) : undefined;
  return {
    seal(body, recordId) {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', current, iv);
      cipher.setAAD(Buffer.from(recordId, 'utf8'));
      const sealed = Buffer.concat([cipher.update(body, 'utf8'), cipher.final()]);
      return Buffer.concat([iv, sealed, cipher.getAuthTag()]).toString('base64url');
    },
    open(sealed, recordId) {
      for (const key of previous ? [current, previous] : [current]) {
        const body = openWith(key, sealed, recordId);
        if (body !== null) return body;
      }
      throw new Error(`A sealed ${what} does not open (tampered with, sealed for another record, or under an older key)`);
    },
  };
}

function derive(signingKey: string, label: string): Buffer {
  return Buffer.from(hkdfSync('sha256', Buffer.from(signingKey, 'utf8'), Buffer.alloc(0), label, 32));
}

function openWith(key: Buffer, sealed: string, recordId: string): string | null {
  try {
    const bytes = Buffer.from(sealed, 'base64url');
    const decipher = createDecipheriv('aes-256-gcm', key, bytes.subarray(0, 12));
    decipher.setAAD(Buffer.from(recordId, 'utf8'));
    decipher.setAuthTag(bytes.subarray(bytes.length - 16));
    return Buffer.concat([decipher.update(bytes.subarray(12, bytes.length - 16)), decipher.final()]).toString('utf8');
  } catch {
    return null;
  }
}
