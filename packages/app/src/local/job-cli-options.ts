/**
 * The options `npm run job` accepts, declared here rather than inside job-cli.ts (which runs on
 * import) so the operator-docs test can check every `--<option>` a doc gives a job against them.
 */

/** A job's tick: its "now" (`--at <ISO-8601 time>`, default the current time). */
export const JOB_OPTIONS = { at: { type: 'string' } } as const;

/** What every operator operation takes besides its own options: who runs it (its audit names them). */
export const OPERATION_COMMON_OPTIONS = ['operator'] as const;

const TICK_TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,3})?)?(Z|[+-](\d{2}):(\d{2}))$/i;

/**
 * `--at`, strictly: an ISO-8601 date and time with its offset (`Z` or `±hh:mm`), a day the
 * calendar has; undefined for anything else. `new Date(text)` ran the tick at another time than
 * the one typed: "October 1" or "1" in 2001 (its legacy parse, in the machine's zone), the 30th
 * of February as March 2nd, and a time without an offset in the laptop's zone, not the UTC a
 * Scheduled Event's `time` is in.
 */
export function parseTickTime(text: string): Date | undefined {
  const m = TICK_TIME.exec(text);
  if (!m) return undefined;
  const [year, month, day, hour, minute, second] = m.slice(1, 7).map((part) => Number(part ?? 0)) as [number, number, number, number, number, number];
  const date = new Date(Date.UTC(year, month - 1, day));
  const realDay = date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
  const offsetOk = m[8] === undefined || (Number(m[8]) <= 23 && Number(m[9]) <= 59);
  if (!realDay || hour > 23 || minute > 59 || second > 59 || !offsetOk) return undefined;
  const at = new Date(text);
  return Number.isNaN(at.getTime()) ? undefined : at;
}
