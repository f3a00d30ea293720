import { createCipheriv, createDecipheriv, createSecretKey, hkdfSync, randomBytes } from 'node:crypto';
import { problems, type FieldError } from './problem';

/**
 * Opaque pagination cursors. A cursor carries DynamoDB's LastEvaluatedKey and is bound to the
 * list it came from (e.g. "expenses of budget X with filters F"). It is ENCRYPTED, not only
 * signed: AES-256-GCM with a key derived (HKDF) from the signing key, a fresh 96-bit nonce per
 * cursor, and the binding as additional authenticated data. So a client learns nothing of the
 * key layout, and a cursor replayed against another budget or other filters, or edited by
 * hand, fails authentication: a 400, never a peek into someone else's data.
 *
 * Format: base64url(nonce[12] | ciphertext | tag[16]). Node's crypto is used rather than jose's
 * JWE because it is synchronous, like every caller of the codec.
 */
export interface CursorCodec {
  encode(lastKey: Record<string, unknown> | undefined, binding: string): string | null;
  /** `field`: what a 400 names when the cursor is refused (default: `query.cursor`). */
  decode(cursor: string | undefined, binding: string, field?: FieldError): Record<string, unknown> | undefined;
}

const CURSOR_FIELD: FieldError = {
  path: 'query.cursor',
  message: 'Invalid cursor: use the nextCursor of the same list and filters',
};
const NONCE_BYTES = 12;
const TAG_BYTES = 16;

export function createCursorCodec(secret: string): CursorCodec {
  // A KeyObject made once: given raw bytes, every cipher would import the key again.
  const key = createSecretKey(Buffer.from(hkdfSync('sha256', secret, 'budgeting', 'pagination-cursor-aes-256-gcm', 32)));
  return {
    encode(lastKey, binding) {
      if (!lastKey) return null;
      const nonce = randomBytes(NONCE_BYTES);
      const cipher = createCipheriv('aes-256-gcm', key, nonce, { authTagLength: TAG_BYTES });
      cipher.setAAD(Buffer.from(binding, 'utf8'));
      const sealed = Buffer.concat([cipher.update(JSON.stringify(lastKey), 'utf8'), cipher.final()]);
      return Buffer.concat([nonce, sealed, cipher.getAuthTag()]).toString('base64url');
    },
    decode(cursor, binding, field = CURSOR_FIELD) {
      if (cursor === undefined) return undefined;
      const invalid = () =>
        problems.validation([field], field === CURSOR_FIELD ? 'The cursor is not valid for this list.' : `${field.path} is not valid here.`);
      if (!/^[A-Za-z0-9_-]+$/.test(cursor)) throw invalid();
      const raw = Buffer.from(cursor, 'base64url');
      if (raw.length <= NONCE_BYTES + TAG_BYTES) throw invalid();
      let parsed: unknown;
      try {
        const decipher = createDecipheriv('aes-256-gcm', key, raw.subarray(0, NONCE_BYTES), { authTagLength: TAG_BYTES });
        decipher.setAAD(Buffer.from(binding, 'utf8'));
        decipher.setAuthTag(raw.subarray(raw.length - TAG_BYTES));
        const plain = Buffer.concat([decipher.update(raw.subarray(NONCE_BYTES, raw.length - TAG_BYTES)), decipher.final()]);
        parsed = JSON.parse(plain.toString('utf8'));
      } catch {
        throw invalid();
      }
      if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw invalid();
      return parsed as Record<string, unknown>;
    },
  };
}
