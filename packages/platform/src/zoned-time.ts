import { dateInTimeZone } from './timezones';

/**
 * The first instant of a calendar day on the wall clock of `timeZone`, in UTC: where due
 * indexes are keyed, so a job reads an item only once its local day has begun (whatever the
 * zone) instead of once the day has begun anywhere on Earth.
 *
 * Found by bisection over the instants around UTC midnight (every zone's offset is within
 * -12 h..+14 h), so a day that starts at 01:00 because of a daylight-saving gap at midnight
 * still gets its true first instant. Precision: one second.
 */
export function startOfDayIn(date: string, timeZone: string): Date {
  const utcMidnight = Date.parse(`${date}T00:00:00Z`);
  if (Number.isNaN(utcMidnight)) throw new RangeError(`not a calendar date: ${date}`);
  let lo = utcMidnight - 15 * 3_600_000; // the local date here is still before `date`
  let hi = utcMidnight + 13 * 3_600_000; // ...and here it has reached it
  while (hi - lo > 1_000) {
    const mid = lo + Math.floor((hi - lo) / 2_000) * 1_000;
    if (dateInTimeZone(new Date(mid), timeZone) >= date) hi = mid;
    else lo = mid;
  }
  return new Date(hi);
}

/** The due-index spelling of an instant: ISO 8601 UTC to the second, so strings sort by time. */
export const dueInstant = (at: Date): string => at.toISOString().slice(0, 19) + 'Z';

/** A stable shard in [0, shards) for an id (write-sharding a due index by item). */
export function shardOf(id: string, shards: number): number {
  let hash = 0;
  for (let i = 0; i < id.length; i++) hash = (hash * 31 + id.charCodeAt(i)) >>> 0;
  return hash % shards;
}
