import { randomBytes } from 'node:crypto';

/** Standard Webhooks secrets carry this prefix before their base64 key (see signature.ts). */
export const SECRET_PREFIX = 'whsec_';

/** A new signing secret: 32 random bytes (the spec asks for 24 to 64). */
export function newSecret(): string {
  return `${SECRET_PREFIX}${randomBytes(32).toString('base64')}`;
}
