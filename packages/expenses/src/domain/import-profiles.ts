/**
 * Import profiles: a budget's saved column mappings for bank CSV files (Firefly III's saved
 * import configurations, Actual's remembered mappings). A profile is a name and a mapping (the
 * import's mapping query parameters as an object: layout.ts CsvMapping); the import takes
 * `?profile=<id>` and the parameters it is given explicitly override the profile's fields one by
 * one (mergeMapping), or `?profile=auto` and the import picks the profile whose columns the
 * file's header has (pickProfile). Pure: the repository stores them, the import service reads them.
 */
import { columnKey } from './csv/bank-csv';
import { COLUMN_NAME_PARAMETERS, type CsvMapping } from './csv/layout';
import { cutAt } from './quoted-text';

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

/** The `profile` value that asks the import to pick the budget's profile whose columns the file's header has. */
export const AUTO_PROFILE = 'auto';


/**
 * The header columns a mapping needs (columnKey, no repeats): every column it names
 * (`dateColumn`, `amountColumn` or `debitColumn` and `creditColumn`, the category, description
 * and merchant columns), and the date and the amount by their own names (`date`, `amount`) when
 * it does not name them, since that is where the reader then looks for them (a file without
 * them cannot be read with this mapping).
 */
export function columnsNeeded(mapping: CsvMapping): string[] {
  const named = COLUMN_NAME_PARAMETERS.flatMap((parameter) => (mapping[parameter] === undefined ? [] : [mapping[parameter]!]));
  const fallbacks = [
    ...(mapping.dateColumn === undefined ? ['date'] : []),
    ...(mapping.amountColumn === undefined && mapping.debitColumn === undefined && mapping.creditColumn === undefined ? ['amount'] : []),
  ];
  return [...new Set([...named, ...fallbacks].map(columnKey))];
}

/** What `pickProfile` needs of a profile: its mapping (as the import would use it) and when it last changed. */
export interface ProfileCandidate {
  id: string;
  mapping: CsvMapping;
  updatedAt: string;
  /** Columns the header must also have, beyond the mapping's (a built-in preset's signature: import-presets.ts). */
  alsoNeeds?: readonly string[];
}

/**
 * `?profile=auto`: the candidate whose needed columns (columnsNeeded) are all in the file's
 * header row as that candidate reads it (`headerOf`: the header after ITS skipLines and
 * delimiter, undefined when there is none to read), preferring the one needing the most columns
 * (the most specific: a "Date, Amount" mapping fits many files, a bank's seven columns one), ties
 * broken by the most recently updated, then by the greater id (so the answer never depends on
 * the list's order). Undefined when none fits. Pure: the service reads the header.
 */
export function pickProfile<P extends ProfileCandidate>(candidates: readonly P[], headerOf: (candidate: P) => readonly string[] | undefined): P | undefined {
  let best: { candidate: P; columns: number } | undefined;
  for (const candidate of candidates) {
    const header = headerOf(candidate);
    if (header === undefined) continue;
    const present = new Set(header.map(columnKey));
    const needed = [...new Set([...columnsNeeded(candidate.mapping), ...(candidate.alsoNeeds ?? []).map(columnKey)])];
    if (!needed.every((column) => present.has(column))) continue;
    if (!best || better({ candidate, columns: needed.length }, best)) best = { candidate, columns: needed.length };
  }
  return best?.candidate;
}

function better<P extends ProfileCandidate>(a: { candidate: P; columns: number }, b: { candidate: P; columns: number }): boolean {
  if (a.columns !== b.columns) return a.columns > b.columns;
  if (a.candidate.updatedAt !== b.candidate.updatedAt) return a.candidate.updatedAt > b.candidate.updatedAt;
  return a.candidate.id > b.candidate.id;
}

/** The header's columns for a problem's message: the first 10, each clipped to 40 characters, and how many more. */
export function headerSummary(header: readonly string[]): string {
  const shown = header.slice(0, 10).map((name) => {
    const trimmed = name.replace(/^\uFEFF/, '').trim();
    return JSON.stringify(trimmed.length > 40 ? `${cutAt(trimmed, 39)}…` : trimmed);
  });
  return header.length > 10 ? `${shown.join(', ')} and ${header.length - 10} more` : shown.join(', ');
}
