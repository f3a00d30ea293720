/**
 * IANA time zones, the same for every module: validation, the spelling to store, and the
 * calendar date of an instant in a zone. The runtime's own tz database (Intl) is the authority,
 * so a zone accepted here is one every later computation in it can use.
 *
 * The name is kept as the client sent it; only its letter case is fixed when the runtime lists
 * the zone ("europe/berlin" -> "Europe/Berlin"). Names the runtime knows but does not list
 * (aliases such as "Asia/Kolkata" or "US/Eastern") are kept exactly as sent. Intl's resolved
 * name is NOT used: ICU resolves to CLDR's legacy names (Asia/Kolkata -> "Asia/Calcutta",
 * Europe/Kyiv -> "Europe/Kiev"), and that mapping differs between Node versions.
 *
 * The shape check keeps out what newer runtimes also accept as a "time zone" but is not an
 * IANA name, such as UTC offsets ("+05:00"): a fixed offset ignores daylight saving, so
 * periods would drift by an hour twice a year.
 */
const NAME_SHAPE = /^[A-Za-z][A-Za-z0-9_+-]*(\/[A-Za-z0-9_+-]+){0,2}$/;
const MAX_LENGTH = 64;

let listedByLowerCase: Map<string, string> | undefined;
function listed(): Map<string, string> {
  listedByLowerCase ??= new Map(['UTC', ...Intl.supportedValuesOf('timeZone')].map((z) => [z.toLowerCase(), z]));
  return listedByLowerCase;
}

/**
 * Formatters by zone, bounded: a formatter costs tens of KB of native memory, and the names
 * come from clients. Listed zones are cached under their canonical spelling (so the 2^n case
 * variants of one zone share one entry); aliases under their spelling, in the same bounded,
 * least-recently-used map.
 */
const MAX_FORMATTERS = 600; // every listed zone (~420) and room for aliases
const dateFormatters = new Map<string, Intl.DateTimeFormat>();

/** en-CA formats as YYYY-MM-DD; null when the runtime does not know the zone. */
function dateFormatter(name: string): Intl.DateTimeFormat | null {
  const timeZone = spellingFor(name);
  if (timeZone === null) return null;
  const cached = dateFormatters.get(timeZone);
  if (cached) {
    dateFormatters.delete(timeZone); // refresh its place: the least recently used goes first
    dateFormatters.set(timeZone, cached);
    return cached;
  }
  const created = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' });
  dateFormatters.set(timeZone, created);
  if (dateFormatters.size > MAX_FORMATTERS) dateFormatters.delete(dateFormatters.keys().next().value!);
  return created;
}

/**
 * Aliases the runtime resolves but does not list, by lower case: the verdict (the spelling
 * first seen, or null for unknown) is computed once per letter-case-insensitive name and
 * bounded like the formatters. ICU keeps memory for every distinct zone string it is handed,
 * so Intl only ever sees one spelling per name.
 */
const MAX_ALIASES = 1000;
const aliasVerdicts = new Map<string, string | null>();

/** The spelling Intl is handed for a zone name: the listed one, the alias's first-seen one, or null. */
function spellingFor(name: string): string | null {
  if (name.length > MAX_LENGTH || !NAME_SHAPE.test(name)) return null;
  const lower = name.toLowerCase();
  const canonical = listed().get(lower);
  if (canonical) return canonical;
  if (aliasVerdicts.has(lower)) return aliasVerdicts.get(lower)!;
  let verdict: string | null = name;
  try {
    new Intl.DateTimeFormat('en-CA', { timeZone: name });
  } catch {
    verdict = null;
  }
  aliasVerdicts.set(lower, verdict);
  if (aliasVerdicts.size > MAX_ALIASES) aliasVerdicts.delete(aliasVerdicts.keys().next().value!);
  return verdict;
}

/**
 * The zone name to store, or null when it is not a time zone this runtime knows: the listed
 * spelling of a listed zone, whatever the letter case sent; an alias as sent.
 */
export function normalizeTimeZone(name: string): string | null {
  const spelling = spellingFor(name);
  if (spelling === null) return null;
  return listed().has(name.toLowerCase()) ? spelling : name;
}

export function isTimeZone(name: string): boolean {
  return normalizeTimeZone(name) !== null;
}

/** The calendar date (YYYY-MM-DD) of an instant on a wall clock in `timeZone`. */
export function dateInTimeZone(instant: Date, timeZone: string): string {
  // The default zone needs no ICU: a process's first Intl.DateTimeFormat costs ~20 ms, which
  // a cold start would otherwise pay on its first request about a UTC budget.
  if (timeZone === 'UTC') return instant.toISOString().slice(0, 10);
  const f = dateFormatter(timeZone);
  if (!f) throw new RangeError(`Unknown time zone ${timeZone}`);
  const parts = Object.fromEntries(f.formatToParts(instant).map((p) => [p.type, p.value]));
  return `${parts.year}-${parts.month}-${parts.day}`;
}
