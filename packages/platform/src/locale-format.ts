import { currencyExponent, formatMinorUnits } from './money';

/**
 * How a text shows its amounts and dates to one reader: in their locale (a user's profile
 * `locale`, platform locales.ts) when there is one, else exactly as before any locale existed.
 * One implementation for every module: the budgets module's period reports (the report page,
 * both parts of the report email) and the notifications module's budget alerts (email and push)
 * and bill reminders (push and in-app text); localeCount (below) the counts of its import and
 * merchant-rename texts and a report's top merchants' counts of expenses.
 *
 * - with a locale: `money` is Intl.NumberFormat(locale, {style: 'currency', currency}) of the
 *   major units ("1.234,56 €" for de-DE EUR 123456, "$1,234.56" for en-US USD, "￥1,234" for
 *   ja-JP JPY 1234), always with the currency's ISO 4217 exponent as its fraction digits (CLDR
 *   gives some currencies fewer, e.g. HUF and IDR 0, which would round an amount away); `date`
 *   is Intl.DateTimeFormat(locale, {dateStyle: 'medium', timeZone: 'UTC'}) of the calendar day
 *   ("30 Jun 2027" en-GB, "30.06.2027" de-DE); `instant` adds the time (short) in UTC;
 * - without one: `money` is formatMinorUnits ("1234.56", no sign, no grouping) and `date` the
 *   stored day itself ("2027-06-30"), `instant` the stored ISO instant: byte for byte the
 *   pages and mails sent before locales existed.
 *
 * The major units go to Intl as the exact decimal string of the integer minor units
 * (formatMinorUnits), never as a Number: a running total up to 2^53 - 1 minor units has 16
 * digits, past a double's exact ones. Money stays integer everywhere (storage, JSON).
 *
 * Intl formatters are made on first use, never at module load (cold start: see platform
 * timezones.ts), and kept per (locale, currency) in a small bounded map: a formatter costs
 * native memory, and locales come from users.
 */
export interface LocaleFormat {
  /** Integer minor units of the currency, as the reader reads money. */
  money(minor: number): string;
  /** A calendar day (YYYY-MM-DD). */
  date(isoDay: string): string;
  /** An ISO instant (e.g. a report's `generatedAt`). */
  instant(iso: string): string;
  /**
   * An integer number of basis points (10,000 = 100 %, a savings rate) as a percentage with at
   * most two decimals ("21.56%", "-13.33%", "20%"; de-DE "21,56 %"), digit for digit: no float.
   */
  percent(basisPoints: number): string;
  /** Whether amounts carry their currency sign (a locale is set), so "(amounts in EUR)"-style notes may be left out. */
  readonly localized: boolean;
}

interface Formatters {
  money: Intl.NumberFormat;
  percent: Intl.NumberFormat;
  date: Intl.DateTimeFormat;
  instant: Intl.DateTimeFormat;
}

export const MAX_CACHED_FORMATS = 32;
const cache = new Map<string, Formatters>();

function formattersFor(locale: string, currency: string): Formatters {
  const id = `${locale}\n${currency}`;
  const cached = cache.get(id);
  if (cached) {
    cache.delete(id); // refresh its place: the least recently used goes first
    cache.set(id, cached);
    return cached;
  }
  const digits = currencyExponent(currency);
  const created: Formatters = {
    money: new Intl.NumberFormat(locale, { style: 'currency', currency, minimumFractionDigits: digits, maximumFractionDigits: digits }),
    percent: new Intl.NumberFormat(locale, { style: 'percent', minimumFractionDigits: 0, maximumFractionDigits: 2 }),
    date: new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeZone: 'UTC' }),
    instant: new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short', timeZone: 'UTC' }),
  };
  cache.set(id, created);
  if (cache.size > MAX_CACHED_FORMATS) cache.delete(cache.keys().next().value!);
  return created;
}

/** How many (locale, currency) formatter sets are cached now (for tests). */
export const cachedFormatCount = () => cache.size;

export function localeFormat(locale: string | null | undefined, currency: string): LocaleFormat {
  if (!locale) {
    return {
      money: (minor) => formatMinorUnits(minor, currency),
      date: (isoDay) => isoDay,
      instant: (iso) => iso,
      percent: (bps) => `${hundredths(bps)}%`,
      localized: false,
    };
  }
  let formatters: Formatters | undefined;
  const get = () => (formatters ??= formattersFor(locale, currency));
  return {
    // The exact decimal string (Intl.NumberFormat v3 formats it digit for digit; a Number would round past 15 digits).
    money: (minor) => get().money.format(formatMinorUnits(minor, currency) as Intl.StringNumericLiteral),
    date: (isoDay) => get().date.format(new Date(`${isoDay}T00:00:00Z`)),
    instant: (iso) => `${get().instant.format(new Date(iso))} UTC`,
    // The fraction as an exact decimal string (basis points / 10,000), which the formatter multiplies by 100.
    percent: (bps) => get().percent.format(fractionOf(bps) as Intl.StringNumericLiteral),
    localized: true,
  };
}

/** Basis points as a percentage's digits: 2156 -> "21.56", -1333 -> "-13.33", 2000 -> "20", 5 -> "0.05". */
function hundredths(bps: number): string {
  const sign = bps < 0 ? '-' : '';
  const digits = String(Math.abs(bps)).padStart(3, '0');
  const fraction = digits.slice(-2).replace(/0+$/, '');
  return `${sign}${digits.slice(0, -2)}${fraction ? `.${fraction}` : ''}`;
}

/** Basis points as the exact decimal fraction: 2156 -> "0.2156", -26667 -> "-2.6667". */
function fractionOf(bps: number): string {
  const sign = bps < 0 ? '-' : '';
  const digits = String(Math.abs(bps)).padStart(5, '0');
  return `${sign}${digits.slice(0, -4)}.${digits.slice(-4)}`;
}

const countCache = new Map<string, Intl.NumberFormat>();

/**
 * How a reader reads a count (rows imported, expenses renamed): an integer in their locale's
 * grouping ("1.980" de-DE, "1\u202F980" fr-FR, "1980" es-ES, which groups from five digits);
 * without a locale "1,980", the en-US grouping the import and rename texts had before locales.
 * Made on first use and kept per locale in a bounded map, as the money and date formatters.
 */
export function localeCount(locale: string | null | undefined): (n: number) => string {
  if (!locale) return (n) => n.toLocaleString('en-US');
  return (n) => {
    let format = countCache.get(locale);
    if (!format) {
      format = new Intl.NumberFormat(locale, { maximumFractionDigits: 0 });
      countCache.set(locale, format);
      if (countCache.size > MAX_CACHED_FORMATS) countCache.delete(countCache.keys().next().value!);
    }
    return format.format(n);
  };
}
