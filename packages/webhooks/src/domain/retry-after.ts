/**
 * The wait a webhook endpoint asks for with `Retry-After` (a 503 while it is down, a 429 while it
 * is overloaded), which Standard Webhooks ("Delivery success and failure") has the sender take
 * "into consideration when scheduling the next attempt" (DeliveryService: the next attempt no
 * sooner, within the backoff's longest wait). RFC 9110 10.2.3: `delay-seconds` or an HTTP-date,
 * which a recipient reads in all three of its forms (5.6.7): IMF-fixdate
 * (`Sun, 06 Nov 1994 08:49:37 GMT`), the obsolete RFC 850 (`Sunday, 06-Nov-94 08:49:37 GMT`) and
 * asctime (`Sun Nov  6 08:49:37 1994`), all in GMT. Read strictly (Date.parse takes local times and
 * anything else it can guess): milliseconds from `nowMs` (0 for a date past), undefined for a
 * value that is none of them.
 */
export function retryAfterMs(value: string | undefined, nowMs: number): number | undefined {
  const text = value?.trim();
  if (!text) return undefined;
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  const at = httpDate(text, nowMs);
  return at === undefined ? undefined : Math.max(0, at - nowMs);
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const DAY = '(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun)';
const LONG_DAY = '(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)';
const MONTH = `(${MONTHS.join('|')})`;
const TIME = '(\\d{2}):(\\d{2}):(\\d{2})';
const IMF_FIXDATE = new RegExp(`^${DAY}, (\\d{2}) ${MONTH} (\\d{4}) ${TIME} GMT$`);
const RFC_850 = new RegExp(`^${LONG_DAY}, (\\d{2})-${MONTH}-(\\d{2}) ${TIME} GMT$`);
const ASCTIME = new RegExp(`^${DAY} ${MONTH} ( \\d|\\d{2}) ${TIME} (\\d{4})$`);

/** The instant of an HTTP-date in any of its three forms; undefined when it is none (or no real day). */
function httpDate(text: string, nowMs: number): number | undefined {
  let parts: [day: string, month: string, year: number, hh: string, mm: string, ss: string] | undefined;
  const imf = IMF_FIXDATE.exec(text);
  if (imf) parts = [imf[1]!, imf[2]!, Number(imf[3]), imf[4]!, imf[5]!, imf[6]!];
  const rfc850 = RFC_850.exec(text);
  if (rfc850) parts = [rfc850[1]!, rfc850[2]!, twoDigitYear(Number(rfc850[3]), nowMs), rfc850[4]!, rfc850[5]!, rfc850[6]!];
  const asctime = ASCTIME.exec(text);
  if (asctime) parts = [asctime[2]!.trim(), asctime[1]!, Number(asctime[6]), asctime[3]!, asctime[4]!, asctime[5]!];
  if (!parts) return undefined;
  const [day, month, year, hh, mm, ss] = parts;
  const monthIndex = MONTHS.indexOf(month);
  const at = Date.UTC(year, monthIndex, Number(day), Number(hh), Number(mm), Number(ss));
  // 31 Feb or 25:00 would roll over into another day: no date at all.
  const back = new Date(at);
  if (back.getUTCDate() !== Number(day) || back.getUTCMonth() !== monthIndex || back.getUTCHours() !== Number(hh) || back.getUTCMinutes() !== Number(mm) || back.getUTCSeconds() !== Number(ss)) return undefined;
  return at;
}

/** RFC 9110 5.6.7: a two-digit year more than 50 years in the future is the most recent past year with those digits. */
function twoDigitYear(yy: number, nowMs: number): number {
  const current = new Date(nowMs).getUTCFullYear();
  const year = current - (current % 100) + yy;
  return year > current + 50 ? year - 100 : year;
}
