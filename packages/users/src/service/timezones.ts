/**
 * IANA time zone validation with the runtime's own tz database (Intl), so budgets computed in
 * that zone later use exactly the zones accepted here. Names are returned in canonical form
 * ("utc" -> "UTC", "US/Eastern" -> "America/New_York").
 *
 * The shape check keeps out what newer runtimes also accept as a "time zone" but is not an
 * IANA name, such as offsets ("+05:00").
 */
const NAME_SHAPE = /^[A-Za-z][A-Za-z0-9_+-]*(\/[A-Za-z0-9_+-]+){0,2}$/;
const canonical = new Map<string, string>();

export function canonicalTimeZone(name: string): string | null {
  if (name.length > 64 || !NAME_SHAPE.test(name)) return null;
  const known = canonical.get(name);
  if (known) return known;
  try {
    const resolved = new Intl.DateTimeFormat('en-US', { timeZone: name }).resolvedOptions().timeZone;
    canonical.set(name, resolved);
    return resolved;
  } catch {
    return null;
  }
}

export function isTimeZone(name: string): boolean {
  return canonicalTimeZone(name) !== null;
}
