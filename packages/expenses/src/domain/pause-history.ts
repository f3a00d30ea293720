/**
 * A recurring definition's pause and skip history (packages/expenses/docs/recurring.md "Pause, resume, skip", and
 * packages/expenses/docs/income.md "Recurring income": the same history on a recurring income): what lets the bill status tell a
 * date that fell while paused from a skipped one and from one the job passed over without
 * recording (`missed`). Pure: RecurringService and RecurringIncomeService call these on the
 * writes that make history (create, pause, resume, skip), the budget copy on its copies.
 *
 * Bounded: the last MAX_PAUSES intervals and MAX_SKIPPED_DATES dates are kept, so a definition
 * item grows by at most about 1 KB. What is dropped moves `historySince` past it, so the dates
 * it covered read by the old rule (`skippedThrough`), never `missed`.
 */
import { addDays } from '@budgeting/platform';
import type { PauseHistory, PauseInterval } from '../model';

export const MAX_PAUSES = 24;
export const MAX_SKIPPED_DATES = 24;

/** What the history is made from: a recurring expense or a recurring income (both have these). */
type History = PauseHistory & { paused: boolean; skippedThrough?: string };
type HistoryFields = Required<PauseHistory>;

const later = (a: string, b: string) => (a > b ? a : b);

/**
 * The history a definition starts with on `today` (a new one: the day it is created). A
 * definition written before the history was kept starts it now, and never on or before its
 * `skippedThrough`: the skips before it are not known one by one, so dates up to it keep the old
 * rule (skipped) rather than read `missed`. One paused now is taken as paused from today (when
 * it was paused is not known; the dates before read by the old rule: `paused`).
 */
export function startedHistory(d: History, today: string): HistoryFields {
  if (d.historySince !== undefined) return { pauses: d.pauses ?? [], skippedDates: d.skippedDates ?? [], historySince: d.historySince };
  const since = d.skippedThrough === undefined ? today : later(today, addDays(d.skippedThrough, 1));
  return { pauses: d.paused ? [{ from: today, to: null }] : [], skippedDates: [], historySince: since };
}

/** A pause on `today`: a new open interval (none when it was paused already). */
export function paused(d: History, today: string): HistoryFields {
  const h = startedHistory(d, today);
  if (d.paused) return h;
  return trimPauses({ ...h, pauses: [...h.pauses, { from: today, to: null }] });
}

/**
 * A resume on `today`: the open interval ends (exclusive: today's date is the resumed
 * schedule's own). One that covered no day (paused and resumed the same day) is not kept, so
 * toggling cannot push real pauses out of the bound.
 */
export function resumed(d: History, today: string): HistoryFields {
  const h = startedHistory(d, today);
  const last = h.pauses.at(-1);
  if (!last || last.to !== null) return h;
  const closed = last.from >= today ? [] : [{ from: last.from, to: today }];
  return { ...h, pauses: [...h.pauses.slice(0, -1), ...closed] };
}

/** A skip of `date` (the next occurrence), made on `today`. */
export function skipped(d: History, date: string, today: string): HistoryFields {
  const h = startedHistory(d, today);
  const dates = [...h.skippedDates, date];
  const dropped = dates.slice(0, Math.max(0, dates.length - MAX_SKIPPED_DATES));
  const since = dropped.reduce((s, x) => later(s, addDays(x, 1)), h.historySince);
  return { ...h, skippedDates: dates.slice(dropped.length), historySince: since };
}

function trimPauses(h: HistoryFields): HistoryFields {
  const dropped = h.pauses.slice(0, Math.max(0, h.pauses.length - MAX_PAUSES));
  // Only the last interval can be open: a dropped one always has its end.
  const since = dropped.reduce((s, p) => (p.to === null ? s : later(s, p.to)), h.historySince);
  return { ...h, pauses: h.pauses.slice(dropped.length), historySince: since };
}

/** Whether `date` fell in a kept pause interval ([from, to), open while paused). */
export function inPause(pauses: readonly PauseInterval[] | undefined, date: string): boolean {
  return (pauses ?? []).some((p) => date >= p.from && (p.to === null || date < p.to));
}

/**
 * What a date the schedule passed without it being settled was: `paused` (in a pause interval),
 * `skipped` (a skipped date), `missed` (neither, on or after `historySince`: the job passed it
 * without recording, its creator no longer able to record, or a changed schedule's date before
 * the change). Before `historySince` (or without it: a definition not changed since the history
 * was kept) the old rule: `skipped` on or before `skippedThrough`, else `paused`.
 */
export function passedStatus(d: History, date: string): 'paused' | 'skipped' | 'missed' {
  if (inPause(d.pauses, date)) return 'paused';
  if (d.skippedDates?.includes(date)) return 'skipped';
  if (d.historySince !== undefined && date >= d.historySince) return 'missed';
  return d.skippedThrough !== undefined && date <= d.skippedThrough ? 'skipped' : 'paused';
}

/** The API's read-only `pauses` (both definitions' views): [] when none kept. */
export function publicPauses(h: PauseHistory): PauseInterval[] {
  return (h.pauses ?? []).map((p) => ({ from: p.from, to: p.to }));
}
