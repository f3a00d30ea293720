/**
 * IANA time zone validation with the runtime's own tz database (Intl), so budgets computed in
 * that zone later use exactly the zones accepted here.
 *
 * The name is kept as the client sent it, only its letter case is fixed when the runtime
 * lists the zone ("europe/berlin" -> "Europe/Berlin"). Intl's own resolved name is NOT used:
 * ICU resolves to CLDR's legacy names (Asia/Kolkata -> "Asia/Calcutta", Europe/Kyiv ->
 * "Europe/Kiev") and that mapping differs between Node versions.
 *
 * The shape check keeps out what newer runtimes also accept as a "time zone" but is not an
 * IANA name, such as UTC offsets ("+05:00").
 */
const NAME_SHAPE = /^[A-Za-z][A-Za-z0-9_+-]*(\/[A-Za-z0-9_+-]+){0,2}$/;

let listedByLowerCase: Map<string, string> | undefined;
function listed(): Map<string, string> {
  listedByLowerCase ??= new Map(['UTC', ...Intl.supportedValuesOf('timeZone')].map((z) => [z.toLowerCase(), z]));
  return listedByLowerCase;
}

/** The zone name to store, or null when it is not a time zone this runtime knows. */
export function normalizeTimeZone(name: string): string | null {
  if (name.length > 64 || !NAME_SHAPE.test(name)) return null;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: name });
  } catch {
    return null;
  }
  return listed().get(name.toLowerCase()) ?? name;
}

export function isTimeZone(name: string): boolean {
  return normalizeTimeZone(name) !== null;
}
