import { MAX_DATE, ProblemError, changesNothing, keyInUse, problems, type FieldError, type KeyCompletion, PLATFORM_PROBLEMS } from '@budgeting/platform';
import { countedEndsOn } from '../domain/installments';
import { firstOnOrAfter, nextAfter, type Schedule } from '../domain/recurrence';
import type { CappedCreateOutcome } from '../repository/capped-collection';
import { IdOfDeletedError } from '../domain/resend-tombstone';
import { KeyTakenError } from '../repository/recurring-definitions';
import { recordFound, recordingChanges, type ChangeNumber } from '../repository/change-log';
import type { CreateRecurringInput, UpdateRecurringInput } from '../schemas/recurring.schemas';

/**
 * The service steps that recurring expenses (RecurringService) and recurring income
 * (RecurringIncomeService) share: they are one kind of resource (a schedule, a pause, a skip, a
 * record-next), written under the same rules. One copy, so that a fix to the rules of a
 * definition's schedule, its next occurrence after a change, its create's outcome or
 * record-next's target is made once for both. `noun` names the resource in a problem's detail
 * ('recurring expense', 'recurring income').
 */

/** What the shared steps read and write of a definition (RecurringExpense and RecurringIncome both are). */
interface Definition {
  schedule: Schedule;
  paused: boolean;
  nextOccurrenceOn: string | null;
  skippedThrough?: string;
  version: number;
}

/** A create's schedule: interval 1 and startsOn today unless sent, checked (checkedSchedule). */
export function createdSchedule(s: CreateRecurringInput['schedule'], today: string): Schedule {
  return checkedSchedule({
    frequency: s.frequency,
    interval: s.interval ?? 1,
    startsOn: s.startsOn ?? today,
    ...(s.endsOn !== undefined ? { endsOn: s.endsOn } : {}),
    ...(s.count !== undefined ? { count: s.count } : {}),
  });
}

/** A PATCH's schedule: the fields sent over the current ones, the end as patchedEnd leaves it, checked. */
export function patchedSchedule(current: Schedule, s: NonNullable<UpdateRecurringInput['schedule']>): Schedule {
  return checkedSchedule({
    frequency: s.frequency ?? current.frequency,
    interval: s.interval ?? current.interval,
    startsOn: s.startsOn ?? current.startsOn,
    ...patchedEnd(current, s),
  });
}

/**
 * Sets `next.nextOccurrenceOn` after a PATCH of `current`. Rescheduled (frequency, interval or
 * startsOn changed): new dates, so a skip of the old schedule's date is dropped, also when the
 * definition stays paused (else the resume would start after that date of the old schedule: a
 * yearly date skipped, then switched to monthly while paused, would silently drop every monthly
 * date up to it). Paused: none, so the definition leaves the job's due index in this same write.
 * Rescheduled: from today on (past dates are never recorded by a change, and a date recorded
 * already is not recorded again: its occurrence marker, see the jobs). Only the end changed
 * (endsOn, count): the same dates, so the skip stands and the next date stays next (none past
 * the new end; an ended one continues from today, after the skip): a plan extended by two
 * payments recorded the date skipped before it. Resumed: from today on (occurrences missed while
 * paused are not recorded, as YNAB does), but never a date skipped before the pause (resumedFrom).
 */
export function rescheduleAfterPatch<D extends Definition>(current: D, next: D, today: string): void {
  const rescheduled = !sameSchedule(current.schedule, next.schedule);
  const endOnly = rescheduled && sameDates(current.schedule, next.schedule);
  if (rescheduled && !endOnly) delete next.skippedThrough;
  if (next.paused) {
    next.nextOccurrenceOn = null;
  } else if (endOnly) {
    const stillNext = current.nextOccurrenceOn;
    next.nextOccurrenceOn = resumedFrom(next, stillNext !== null && stillNext > today ? stillNext : today);
  } else if (rescheduled) {
    next.nextOccurrenceOn = firstOnOrAfter(next.schedule, today);
  } else if (current.paused) {
    next.nextOccurrenceOn = resumedFrom(next, today);
  }
}

/** The occurrence a skip or record-next acts on: 409 when the definition is paused or has ended. */
export function pendingOccurrence(current: Pick<Definition, 'paused' | 'nextOccurrenceOn'>, noun: string, action: 'skip' | 'record'): string {
  if (current.paused) throw problems.conflict(`The ${noun} is paused: resume it first (PATCH paused: false).`);
  if (current.nextOccurrenceOn === null) throw problems.conflict(`The ${noun} has ended: it has no next occurrence to ${action}.`);
  return current.nextOccurrenceOn;
}

/**
 * An offline push's skip or record-next names the next occurrence its client saw (`expected`;
 * undefined: the routes', which act on whatever is next). The version alone cannot tell: the jobs
 * move nextOccurrenceOn without a new one (it counts API changes only), so a skip queued offline
 * for the 1st, sent after the job recorded the 1st, would skip the 1st of the month after. Another
 * date (or none: paused, ended) is the 412 that the push answers as a conflict showing the
 * definition; checked on every read, so a lost race re-read is refused the same way.
 */
export function refuseOtherNext(current: Pick<Definition, 'nextOccurrenceOn'>, expected: string | undefined, noun: string): void {
  if (expected !== undefined && current.nextOccurrenceOn !== expected) {
    throw problems.preconditionFailed(`The ${noun}'s next occurrence is ${current.nextOccurrenceOn ?? 'none'}, not ${expected}: nothing was done.`);
  }
}

/**
 * record-next's 409 when the definition's creator can no longer record in the budget (the job
 * skips such dates): a class of its own so that the offline push answers it as an error, not as a
 * conflict showing a definition the client already has (nothing in it changed).
 */
export class CreatorCannotRecordError extends ProblemError {
  constructor(detail: string) {
    super(PLATFORM_PROBLEMS['conflict'], detail);
    this.name = 'CreatorCannotRecordError';
  }
}

/** A skip's definition: moved to the occurrence after its next one, which it keeps as skippedThrough. */
export function skippedNext<D extends Definition & { updatedAt: string }>(current: D, date: string, updatedAt: string): D {
  return { ...current, nextOccurrenceOn: nextAfter(current.schedule, date), skippedThrough: date, version: current.version + 1, updatedAt };
}

/** record-next's date sent (`path`): not after today in the budget's time zone. */
export function refuseAfterToday(path: string, date: string | undefined, today: string): void {
  if (date !== undefined && date > today) {
    throw problems.validation([{ path, message: `Must not be after today (${today}) in the budget's time zone` }]);
  }
}

/**
 * record-next's answer for an entry `found` under its reserved id: an earlier attempt of the same
 * request recorded it (a keyed push's retry, or the attempt its retry overtook). In an offline
 * push (a recordChanges scope) the numbers that recording took are the push's own too, as a
 * recording made now: found on the entry's counter (`numbers`), then the entry and the definition
 * read again, after that counter, so the answer holds every change those numbers are and the
 * push's answered token may cover them (packages/expenses/docs/sync.md "Offline push"). Without numbers (no push, the
 * counter's slots moved on, the entry deleted meanwhile) the answer covers nothing of them, as before.
 */
export async function foundRecording<E, D>(
  found: E,
  reads: { numbers: () => Promise<ChangeNumber[]>; entry: () => Promise<E | undefined>; definition: () => Promise<D> },
): Promise<{ entry: E; definition: D }> {
  const numbers = recordingChanges() ? await reads.numbers() : [];
  if (numbers.length === 0) return { entry: found, definition: await reads.definition() };
  const [entry, definition] = await Promise.all([reads.entry(), reads.definition()]);
  if (entry === undefined) return { entry: found, definition };
  recordFound(numbers);
  return { entry, definition };
}

/**
 * record-next's read: the first read fixes the occurrence it records (its nextOccurrenceOn); a
 * re-read after a lost race whose next occurrence moved (the job recorded it, a skip) is a 409,
 * never another occurrence recorded instead; one at a version If-Match refuses goes on to its 412.
 */
export function targetedRead<D extends Pick<Definition, 'nextOccurrenceOn' | 'version'>>(read: () => Promise<D>, ifMatch: ReadonlySet<number> | undefined): () => Promise<D> {
  let target: string | null | undefined;
  return async () => {
    const current = await read();
    if (target === undefined) target = current.nextOccurrenceOn;
    else if (current.nextOccurrenceOn !== target && (ifMatch === undefined || ifMatch.has(current.version))) {
      throw problems.conflict(`The occurrence of ${target} was recorded or skipped meanwhile; nothing was recorded.`);
    }
    return current;
  };
}

/**
 * A create's answer from its capped write's outcome: the definition created; 404 for a budget
 * closed meanwhile; 409 limit-reached past the cap (`max` `plural`, the `collection` it names); on an Idempotency-Key retry
 * ('exists'), the definition the first attempt created, if it is still the caller's;
 * 'check-failed' (a push's create with a client id whose definition was deleted since, the
 * repository's deletedMarker): the 409 IdOfDeletedError, which the push answers `{id, deleted}`.
 */
export async function createdDefinition<D extends { createdBy: string }>(
  outcome: CappedCreateOutcome | 'check-failed',
  definition: D,
  userId: string,
  cap: { max: number; plural: string; collection: string },
  existing: () => Promise<D | undefined>,
): Promise<D> {
  if (outcome === 'created') return definition;
  if (outcome === 'budget-closed') throw problems.notFound('Budget not found.');
  if (outcome === 'full') throw problems.limitReached(cap.collection, cap.max, `A budget can have at most ${cap.max} ${cap.plural}; delete one first.`);
  if (outcome === 'check-failed') throw new IdOfDeletedError('The definition created with this id was deleted since; it is not created again.');
  const found = await existing();
  if (!found || found.createdBy !== userId) throw problems.conflict('This Idempotency-Key already created a resource that is no longer available.');
  return found;
}

/** The fields of a recurring definition (expense or income) its create's body decides, but the schedule's start (taken apart: see refuseOtherCreate). */
const BODY_FIELDS = ['amount', 'categoryId', 'splits', 'description', 'merchant', 'source', 'tags', 'foreign', 'sharedWith', 'sharedAmounts', 'paused'] as const;

/**
 * An offline push's resend of its own create (the client's id) that found `found` (the caller's
 * definition under that id) with other values than `made` (the body built again): the phone
 * changed the definition in its queue after a first send whose answer it lost, so `applied` with
 * the stored copy would replace the user's edit there. A 409 (the push answers a conflict showing
 * it), as an expense's (expense-create.ts sameCreate). Compared while `found` is as its create
 * left it (version 1; the job's moves of the next date keep the version, so the dates derived
 * from today, the next occurrence and the history are not compared), the schedule's `startsOn`
 * only when the body names it (else the server's today, which moves between sends).
 */
export function refuseOtherCreate<D extends { version: number; schedule: Schedule }>(found: D, made: D, startsOnSent: boolean, noun: string): void {
  if (found.version !== 1) return;
  const body = (d: D) => {
    const fields = Object.fromEntries(BODY_FIELDS.map((k) => [k, (d as Record<string, unknown>)[k]]));
    const { startsOn, ...schedule } = d.schedule;
    return { ...fields, schedule: startsOnSent ? { ...schedule, startsOn } : schedule };
  };
  if (!changesNothing(body(found), body(made), [])) {
    throw problems.conflict(`This id holds the ${noun} you created with other values; it is shown as stored: send your change as an update of it.`);
  }
}

/**
 * A schedule without undefined fields (DynamoDB stores it as a map), endsOn not before startsOn.
 * With a `count`, endsOn is derived from it (the count-th occurrence; any endsOn given is
 * ignored: callers pass one or the other), so a changed frequency, interval or startsOn moves it.
 */
export function checkedSchedule(s: Schedule): Schedule {
  const errors: FieldError[] = [];
  let endsOn = s.endsOn;
  if (s.count !== undefined) {
    endsOn = countedEndsOn(s, s.count) ?? undefined;
    if (endsOn === undefined) errors.push({ path: 'schedule.count', message: `Its last occurrence would fall after ${MAX_DATE}` });
  } else if (endsOn !== undefined && endsOn < s.startsOn) {
    errors.push({ path: 'schedule.endsOn', message: `Must be on or after startsOn (${s.startsOn})` });
  }
  if (errors.length > 0) throw problems.validation(errors);
  return {
    frequency: s.frequency,
    interval: s.interval,
    startsOn: s.startsOn,
    ...(endsOn !== undefined ? { endsOn } : {}),
    ...(s.count !== undefined ? { count: s.count } : {}),
  };
}

/** `count` and `endsOn` both end a schedule: one or the other (checked before any read). */
export function refuseCountWithEndsOn(s: { count?: number | null; endsOn?: string | null }): void {
  if (typeof s.count === 'number' && s.endsOn !== undefined) {
    throw problems.validation([{ path: 'schedule.count', message: 'Send either count or endsOn, not both' }]);
  }
}

/**
 * The end a PATCH leaves: a count sent replaces the end; an endsOn sent (null too) replaces a
 * count; `count: null` removes the count and the endsOn derived from it (an endsOn set by hand,
 * on a definition without a count, stays); nothing sent keeps the count (checkedSchedule then
 * derives endsOn again from the new frequency, interval or startsOn) or the endsOn.
 */
export function patchedEnd(current: Schedule, s: NonNullable<UpdateRecurringInput['schedule']>): Pick<Schedule, 'endsOn' | 'count'> {
  if (typeof s.count === 'number') return { count: s.count };
  if (s.endsOn !== undefined) return s.endsOn === null ? {} : { endsOn: s.endsOn };
  if (current.count !== undefined) return s.count === null ? {} : { count: current.count };
  return current.endsOn !== undefined ? { endsOn: current.endsOn } : {};
}

export function sameSchedule(a: Schedule, b: Schedule): boolean {
  return sameDates(a, b) && a.endsOn === b.endsOn;
}

/** The same dates, whatever the end: frequency, interval and anchor. */
function sameDates(a: Schedule, b: Schedule): boolean {
  return a.frequency === b.frequency && a.interval === b.interval && a.startsOn === b.startsOn;
}

/** The first occurrence on or after `from` (today, or a later next date) that is after the latest skipped date (recurring expenses and income). */
export function resumedFrom(definition: { schedule: Schedule; skippedThrough?: string }, from: string): string | null {
  const first = firstOnOrAfter(definition.schedule, from);
  const skipped = definition.skippedThrough;
  return first !== null && skipped !== undefined && first <= skipped ? nextAfter(definition.schedule, skipped) : first;
}

/**
 * The occurrences still to record in a window, nearest first (GET .../recurring-expenses/upcoming
 * and .../recurring-income/upcoming): one answer's frame for both, so the two stay alike.
 * `total` and `count` cover every occurrence of the window; `items` at most the listed ones
 * (`truncated`: some were left out).
 */
export interface UpcomingOccurrences<Item> {
  from: string;
  to: string;
  currency: string;
  total: number;
  count: number;
  truncated: boolean;
  items: Item[];
}

/**
 * A definition's replacing write (a skip) that carries a keyed request's lease completion in its
 * transaction (`completeKey`, none for an unkeyed request): `write` gets the items to add; a lease
 * taken over meanwhile (KeyTakenError, nothing written) is the 409 "in use", and the completion
 * is marked committed after the write, so the middleware writes none of its own.
 */
export async function writeCompletingKey<D>(next: D, completeKey: KeyCompletion<D> | undefined, write: (also: ReturnType<KeyCompletion<D>['item']>[]) => Promise<void>): Promise<D> {
  try {
    await write(completeKey ? [completeKey.item(next)] : []);
  } catch (err) {
    if (err instanceof KeyTakenError) throw keyInUse();
    throw err;
  }
  completeKey?.committed();
  return next;
}
