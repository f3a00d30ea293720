/**
 * Import profiles: a budget's saved column mappings for bank CSV files (Firefly III's saved
 * import configurations, Actual's remembered mappings). A profile is a name and a mapping (the
 * import's mapping query parameters as an object: layout.ts CsvMapping); the import takes
 * `?profile=<id>` and the parameters it is given explicitly override the profile's fields one by
 * one (mergeMapping). Pure: the repository stores them, the import service reads one.
 */

/** The most profiles one budget holds (409 past it): a budget imports from a handful of banks, and the list stays one small Query page. */
export const MAX_IMPORT_PROFILES_PER_BUDGET = 20;
/** A profile's name: 1..100 characters, name-normalized, unique per budget by nameKey. */
export const PROFILE_NAME_MAX = 100;

/**
 * A profile's mapping with the fields given explicitly put over it, field by field, and the
 * parameters that still come from the profile (so a problem with one of them names `profile`:
 * the request did not send it). Explicit fields that are undefined do not count as given.
 */
export function mergeMapping<M extends object>(profile: M, explicit: M): { mapping: M; fromProfile: Set<string> } {
  const given = Object.fromEntries(Object.entries(explicit).filter(([, value]) => value !== undefined));
  const fromProfile = new Set(Object.keys(profile).filter((parameter) => !(parameter in given)));
  return { mapping: { ...profile, ...given }, fromProfile };
}
