import { z } from '@hono/zod-openapi';

/** Digits only, at most 16 of them (every bound here is below 2^53). */
const DIGITS = /^\d{1,16}$/;

/**
 * A whole number in a query string, spelled as plain decimal digits and within [min, max].
 * `z.coerce.number()` took anything `Number()` does: `?minAmount=` (empty) became 0,
 * `?limit=0x10` 16, `?limit=1e1` 10 and ` 5` 5. A client that sends those has a bug; it
 * gets a 400 naming the parameter instead of an answer to a question it did not mean to ask.
 * The OpenAPI schema stays `type: integer` (what the parameter means, not how it travels).
 */
export function queryInteger(bounds: { min: number; max: number; error?: string }) {
  const error = bounds.error ?? `Must be a whole number from ${bounds.min} to ${bounds.max}`;
  return z
    .string()
    .regex(DIGITS, { error })
    .transform(Number)
    .pipe(z.number().int().min(bounds.min, { error }).max(bounds.max, { error }))
    .openapi({ type: 'integer', minimum: bounds.min, maximum: bounds.max });
}
