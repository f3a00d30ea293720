/**
 * What a log line keeps of a job unit (runner.ts, a unit that failed): enough to find it among
 * the dead letters (its job, kind, ids, segment, dates), never personal data. Some units carry
 * addresses: the email change's `changed` notice (both addresses, from its event), a password
 * reset's mail unit queued before its address was sealed. A field is kept as it is when it is a
 * number, a boolean or null, or a string that holds no `@` under a name that says nothing of an
 * email, a secret, a token, a password or a code; anything else is `<redacted>`. Nested objects
 * and lists are judged the same way, field by field.
 */
const REDACTED = '<redacted>';
const PERSONAL_NAME = /e-?mail|secret|token|password|passcode|code$|iban/i;

export function loggedUnit(unit: unknown): unknown {
  return keep(unit, undefined, 0);
}

function keep(value: unknown, name: string | undefined, depth: number): unknown {
  if (value === null || typeof value === 'number' || typeof value === 'boolean' || value === undefined) return value;
  if (name !== undefined && PERSONAL_NAME.test(name)) return REDACTED;
  if (typeof value === 'string') return value.includes('@') ? REDACTED : value;
  // A unit is a small record; past a few levels nothing is worth the line.
  if (typeof value !== 'object' || depth >= 4) return REDACTED;
  if (Array.isArray(value)) return value.map((item) => keep(item, name, depth + 1));
  return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, keep(item, key, depth + 1)]));
}
