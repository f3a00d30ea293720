/**
 * BCP 47 language tags ("de-DE", "en-GB", "fr"): a user's locale, the one their period reports
 * and notifications are formatted in (locale-format.ts). The runtime's Intl is the authority,
 * as for time zones: a tag accepted here is one Intl.NumberFormat and Intl.DateTimeFormat can
 * format for, so every later formatting in it works. Nothing is computed at module load (cold start: see timezones.ts).
 */
const MAX_LENGTH = 64;

/**
 * The tag's canonical spelling (Intl.getCanonicalLocales: "EN-gb" -> "en-GB"), or null when it
 * is not a well-formed tag or the runtime has no number formats for it
 * (Intl.NumberFormat.supportedLocalesOf, which falls back along the tag: "en-ZZ" is served by
 * "en"; "xx" and "und" are not served at all).
 */
export function canonicalLocale(tag: string): string | null {
  if (tag.length === 0 || tag.length > MAX_LENGTH) return null;
  let canonical: string | undefined;
  try {
    canonical = Intl.getCanonicalLocales(tag)[0];
  } catch {
    return null; // RangeError: not a well-formed BCP 47 tag
  }
  if (canonical === undefined) return null;
  return Intl.NumberFormat.supportedLocalesOf([canonical]).length === 1 ? canonical : null;
}

export function isLocale(tag: string): boolean {
  return canonicalLocale(tag) !== null;
}
