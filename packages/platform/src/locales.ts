/**
 * BCP 47 language tags ("de-DE", "en-GB", "fr"): a user's locale, the one their period reports
 * and notifications are formatted in (locale-format.ts). The runtime's Intl is the authority,
 * as for time zones: a tag accepted here is one Intl.NumberFormat and Intl.DateTimeFormat can
 * format for, so every later formatting in it works. Nothing is computed at module load (cold start: see timezones.ts).
 */
const MAX_LENGTH = 64;

/**
 * The tag's canonical spelling (Intl.getCanonicalLocales: "EN-gb" -> "en-GB"), or null when it
 * is not a well-formed tag, the runtime has no number formats for it
 * (Intl.NumberFormat.supportedLocalesOf; "xx" and "und" are not served at all), or its region
 * is not a real one (knownRegion: "en-ZZ", which supportedLocalesOf would serve by falling back
 * to "en").
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
  const region = new Intl.Locale(canonical).region;
  if (region !== undefined && !knownRegion(region)) return null;
  return Intl.NumberFormat.supportedLocalesOf([canonical]).length === 1 ? canonical : null;
}

/**
 * ISO 3166-1 user-assigned (private-use) codes: AA, QM to QZ, XA to XZ, ZZ. CLDR names some of
 * them ("ZZ" Unknown Region, "QO" Outlying Oceania, "XA" Pseudo-Accents), so the names alone do
 * not refuse them. XK (Kosovo) is the exception: CLDR has real locales for it (sq-XK, sr-XK).
 */
const PRIVATE_USE_REGION = /^(AA|Q[M-Z]|X[A-JL-Z]|ZZ)$/;
let regionNames: Intl.DisplayNames | undefined;

/**
 * A region subtag that names a real place: not a private-use code, and one the runtime's CLDR
 * has a name for (`Intl.DisplayNames` with `fallback: 'none'` answers undefined for an unknown
 * one such as "QU" or "999"). UN M.49 areas count ("es-419" Latin America, "en-150" Europe).
 * The formatter is made on first use (cold start).
 */
function knownRegion(region: string): boolean {
  if (PRIVATE_USE_REGION.test(region)) return false;
  regionNames ??= new Intl.DisplayNames(['en'], { type: 'region', fallback: 'none' });
  try {
    return regionNames.of(region) !== undefined;
  } catch {
    return false; // RangeError: not a region code at all
  }
}

export function isLocale(tag: string): boolean {
  return canonicalLocale(tag) !== null;
}
