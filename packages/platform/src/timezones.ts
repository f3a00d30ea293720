import { calendarDateOf } from './dates';

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

/**
 * en-CA formats as YYYY-MM-DD (and the 24-hour time, for timeInTimeZone: one formatter per
 * zone serves both); null when the runtime does not know the zone.
 */
function dateFormatter(name: string): Intl.DateTimeFormat | null {
  const timeZone = spellingFor(name);
  if (timeZone === null) return null;
  const cached = dateFormatters.get(timeZone);
  if (cached) {
    dateFormatters.delete(timeZone); // refresh its place: the least recently used goes first
    dateFormatters.set(timeZone, cached);
    return cached;
  }
  const created = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
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

/**
 * Ids ICU (and so Intl) takes that the IANA tz database does not have: Java's legacy
 * three-letter ids, which ICU maps to zones their letters rarely mean to a reader ("BST" is
 * Bangladesh, not British Summer Time; "SST" the Solomon Islands, not Samoa; "IST" India, "AST"
 * Anchorage), and the SystemV zones; and the names the tz database removed that ICU still takes
 * (US/Pacific-New in 2020b, Canada/East-Saskatchewan in 2017c). No IANA client (Java's ZoneId,
 * Apple's TimeZone, the host's zoneinfo: TZ reads the three-letter ones as UTC) knows them. The
 * IANA abbreviation-like names (EST, MST, HST, CET, EET, MET, WET, GMT, UCT, UTC) and the
 * deprecated links the tz database keeps (US/Eastern, Asia/Calcutta) are real zones and not here.
 */
const ICU_ONLY_IDS = new Set([
  ...['act', 'aet', 'agt', 'art', 'ast', 'bet', 'bst', 'cat', 'cnt', 'cst', 'ctt', 'eat', 'ect', 'iet', 'ist', 'jst', 'mit', 'net', 'nst', 'plt', 'pnt', 'prt', 'pst', 'sst', 'vst'],
  ...['us/pacific-new', 'canada/east-saskatchewan'],
]);

/**
 * A time zone a client may set: one this runtime knows (isTimeZone) that is an IANA name, not an
 * ICU-only id or a removed name (ICU_ONLY_IDS, SystemV/). Only input is checked with it: a zone stored before keeps
 * being read as it was (isTimeZone), so its budget's days do not move.
 */
export function isIanaTimeZone(name: string): boolean {
  const lower = name.toLowerCase();
  return !ICU_ONLY_IDS.has(lower) && !lower.startsWith('systemv/') && isTimeZone(name);
}

/** The calendar date (YYYY-MM-DD) of an instant on a wall clock in `timeZone`. */
export function dateInTimeZone(instant: Date, timeZone: string): string {
  // The default zone needs no ICU: a process's first Intl.DateTimeFormat costs ~20-30 ms of
  // CPU (ICU's date formatting set-up, whatever the locale or zone), which a cold start would
  // otherwise pay on its first request about a budget.
  if (timeZone === 'UTC') return instant.toISOString().slice(0, 10);
  // Any other listed zone: the same ICU zone rules read through the process's local time
  // (below), about 1 ms on first use. Only a spelling Intl accepts is used, so an unknown name
  // still throws instead of silently reading as UTC. Aliases go to a formatter: they are kept
  // as the client spelled them, and TZ, unlike Intl, takes a zone only in its own letter case
  // ("us/eastern" or "etc/gmt-14" there is silently UTC).
  const spelling = spellingFor(timeZone);
  if (spelling === null) throw new RangeError(`Unknown time zone ${timeZone}`);
  if (tzAnswersLeft > 0 && listed().get(spelling.toLowerCase()) === spelling && localTimeFollowsTz()) {
    tzAnswersLeft--;
    return localDateVia(spelling, instant);
  }
  const f = dateFormatter(timeZone)!;
  const parts = Object.fromEntries(f.formatToParts(instant).map((p) => [p.type, p.value]));
  return `${parts.year}-${parts.month}-${parts.day}`;
}

/**
 * The UTC offset in force at an instant in `timeZone`, in whole minutes (+60 for Berlin in
 * winter, -300 for New York, +345 for Kathmandu), by the same ICU zone rules as dateInTimeZone:
 * the wall clock's minute there less the instant's UTC minute. An unknown zone throws
 * (RangeError), as dateInTimeZone does.
 */
export function utcOffsetMinutesIn(instant: Date, timeZone: string): number {
  if (timeZone === 'UTC') return 0;
  const f = dateFormatter(timeZone);
  if (f === null) throw new RangeError(`Unknown time zone ${timeZone}`);
  const parts = Object.fromEntries(f.formatToParts(instant).map((p) => [p.type, p.value]));
  const wall = Date.UTC(Number(parts.year), Number(parts.month) - 1, Number(parts.day), Number(parts.hour), Number(parts.minute));
  return Math.round((wall - Math.floor(instant.getTime() / 60_000) * 60_000) / 60_000);
}

/**
 * The wall-clock time (HH:MM, 24-hour, 00:00-23:59) of an instant in `timeZone`, by the same
 * ICU zone rules as dateInTimeZone (Intl), so daylight saving is the zone's own: on a spring-
 * forward day 02:30 never occurs, on a fall-back day 01:30 occurs twice. An unknown zone throws
 * (RangeError), as dateInTimeZone does: callers choose their fallback.
 */
export function timeInTimeZone(instant: Date, timeZone: string): string {
  if (timeZone === 'UTC') return instant.toISOString().slice(11, 16);
  const f = dateFormatter(timeZone);
  if (f === null) throw new RangeError(`Unknown time zone ${timeZone}`);
  const parts = Object.fromEntries(f.formatToParts(instant).map((p) => [p.type, p.value]));
  return `${parts.hour}:${parts.minute}`;
}

/**
 * Local time in another zone without an Intl formatter: Node re-reads the zone when
 * `process.env.TZ` is assigned (V8 then takes its offsets from ICU, the same rules
 * Intl.DateTimeFormat uses), so setting TZ, reading the Date's local fields and restoring TZ
 * in one synchronous step answers for that zone; nothing else runs in between. Where an
 * assignment does not reach the zone (a worker thread's process.env is a copy), the check
 * below fails once and Intl is used instead.
 */
function withLocalZone<T>(zone: string, read: () => T): T {
  const previous = process.env.TZ;
  process.env.TZ = zone;
  try {
    return read();
  } finally {
    if (previous === undefined) delete process.env.TZ;
    else process.env.TZ = previous;
  }
}

/**
 * A TZ answer costs ~0.06 ms (Node re-detects the zone twice), a warm formatter's ~0.01: after
 * about as many answers as ICU's set-up costs, a busy process (a job bisecting due instants
 * over many budgets) pays the set-up once and uses formatters from then on.
 */
let tzAnswersLeft = 500;

let tzReachesLocalTime: boolean | undefined;
/** Whether assigning TZ changes local time here: 1970-01-01T00:00Z is 09:00 in Tokyo and 19:00 the day before in New York. */
function localTimeFollowsTz(): boolean {
  tzReachesLocalTime ??=
    withLocalZone('Asia/Tokyo', () => new Date(0).getHours()) === 9 && withLocalZone('America/New_York', () => new Date(0).getHours()) === 19;
  return tzReachesLocalTime;
}

/** The date of `instant` in `zone` (a spelling Intl accepts) read through TZ; exported for its test. */
export const localDateVia = (zone: string, instant: Date): string =>
  withLocalZone(zone, () => calendarDateOf(instant.getFullYear(), instant.getMonth() + 1, instant.getDate()));
