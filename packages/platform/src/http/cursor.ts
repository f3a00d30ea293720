import { createHmac, timingSafeEqual } from 'node:crypto';
import { z } from '@hono/zod-openapi';
import { problems, type FieldError } from './problem';

/**
 * Opaque, signed pagination cursors. A cursor carries DynamoDB's LastEvaluatedKey and is bound
 * to the list it came from (e.g. "expenses of budget X with filters F"): the binding is part of
 * the signed payload, so a cursor replayed against another budget or other filters, or edited by
 * hand, is a 400 - never a peek into someone else's data.
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

export function createCursorCodec(secret: string): CursorCodec {
  const sign = (payload: string) => createHmac('sha256', `cursor:${secret}`).update(payload).digest('base64url');
  return {
    encode(lastKey, binding) {
      if (!lastKey) return null;
      const payload = Buffer.from(JSON.stringify({ k: lastKey, b: binding })).toString('base64url');
      return `${payload}.${sign(payload)}`;
    },
    decode(cursor, binding, field = CURSOR_FIELD) {
      if (cursor === undefined) return undefined;
      const invalid = () =>
        problems.validation([field], field === CURSOR_FIELD ? 'The cursor is not valid for this list.' : `${field.path} is not valid here.`);
      const [payload, signature, extra] = cursor.split('.');
      if (!payload || !signature || extra !== undefined) throw invalid();
      const expected = Buffer.from(sign(payload));
      const given = Buffer.from(signature);
      if (expected.length !== given.length || !timingSafeEqual(expected, given)) throw invalid();
      let parsed: { k?: unknown; b?: unknown };
      try {
        parsed = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
      } catch {
        throw invalid();
      }
      if (parsed.b !== binding || !parsed.k || typeof parsed.k !== 'object') throw invalid();
      return parsed.k as Record<string, unknown>;
    },
  };
}

/** `?limit=` (1..100, default 50) and `?cursor=` as every list route accepts them. */
export const paginationQuery = {
  limit: z.coerce
    .number()
    .int()
    .min(1)
    .max(100)
    .default(50)
    .openapi({ param: { name: 'limit', in: 'query' }, example: 50, description: 'Page size, 1..100.' }),
  cursor: z
    .string()
    .min(1)
    .max(2048)
    .optional()
    .openapi({ param: { name: 'cursor', in: 'query' }, description: 'nextCursor of the previous page.' }),
};
