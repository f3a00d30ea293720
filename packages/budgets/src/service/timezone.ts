/**
 * IANA time zones ("Europe/Paris", "America/Argentina/Buenos_Aires", "UTC"). Offsets such as
 * "+02:00" are refused: a fixed offset ignores daylight saving, so periods would drift by an
 * hour twice a year. The runtime's ICU database is the authority on which names exist.
 */
const NAME_SHAPE = /^(?:UTC|[A-Za-z]+(?:\/[A-Za-z0-9_+-]+)+)$/;
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat | null {
  const cached = formatters.get(timeZone);
  if (cached) return cached;
  try {
    const created = new Intl.DateTimeFormat('en-CA', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
    });
    formatters.set(timeZone, created);
    return created;
  } catch {
    return null;
  }
}

export function isTimeZone(value: string): boolean {
  return value.length <= 64 && NAME_SHAPE.test(value) && formatter(value) !== null;
}

/** The calendar date (YYYY-MM-DD) of an instant as seen on a wall clock in `timeZone`. */
export function dateInTimeZone(instant: Date, timeZone: string): string {
  const f = formatter(timeZone);
  if (!f) throw new RangeError(`Unknown time zone ${timeZone}`);
  const parts = Object.fromEntries(f.formatToParts(instant).map((p) => [p.type, p.value]));
  return `${parts.year}-${parts.month}-${parts.day}`;
}

/** The runtime's canonical spelling of a valid zone ("europe/paris" -> "Europe/Paris"). */
export function canonicalTimeZone(timeZone: string): string {
  const f = formatter(timeZone);
  if (!f) throw new RangeError(`Unknown time zone ${timeZone}`);
  return f.resolvedOptions().timeZone;
}
