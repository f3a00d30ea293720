import { addDays, decodeDueIndexCursor, encodeDueIndexCursor, nextDueIndexCursor, type PlanPage } from '@budgeting/platform';
import { firstOnOrAfter, type Schedule } from '../domain/recurrence';
import type { DueEntry } from '../repository/recurring-definitions';

/**
 * The pieces of a recurring definitions' job that the recurring expenses' (recurring-job.ts) and
 * the recurring income's (recurring-income-job.ts) share: the plan over a sharded due index
 * (the bill reminders' too, recurring-reminders-job.ts),
 * the in-process run's collection of every page, a unit's parse, and the skip of a definition
 * whose creator may no longer write. One copy, so that a fix to any of them is made once.
 */

/**
 * A repository's page of one due shard, its instants bound by the job: due at the tick
 * (RecurringRepository.duePage, RecurringIncomeRepository.duePage) or within the reminders'
 * window (RecurringRemindersRepository.remindPage).
 */
export type DuePage = (shard: number, limit: number, startKey?: Record<string, unknown>) => Promise<{ entries: (DueEntry & { dueAt: string })[]; lastKey?: Record<string, unknown> }>;

/**
 * One plan page: the entries of the cursor's shard that `duePage` reads (each definition a
 * unit), and the cursor of what follows (the rest of the shard, then the next of `shards`);
 * `job` names a malformed cursor's error. `backlogAge`: the page says when its oldest unit fell
 * due (the backlog-age metric); false for the reminders, whose entries fall due after the tick.
 */
export async function planDuePage(duePage: DuePage, job: string, shards: number, pageSize: number, cursor: string | undefined, backlogAge = true): Promise<PlanPage<DueEntry>> {
  const at = decodeDueIndexCursor(cursor, job);
  const page = await duePage(at.shard, pageSize, at.key);
  const next = nextDueIndexCursor(at, page.lastKey, shards);
  return {
    units: page.entries.map(({ budgetId, id, createdBy, nextOccurrenceOn }) => ({ budgetId, id, createdBy, nextOccurrenceOn })),
    ...(next ? { cursor: encodeDueIndexCursor(next) } : {}),
    ...(backlogAge && page.entries[0] ? { oldestDueAt: page.entries[0].dueAt } : {}),
  };
}

/** Every page of the plan at `now`, in this process (runOnce: tests and tools). */
export async function allDueUnits(plan: (now: Date, cursor: string | undefined) => Promise<PlanPage<DueEntry>>, now: Date): Promise<DueEntry[]> {
  const due: DueEntry[] = [];
  let cursor: string | undefined;
  do {
    const page = await plan(now, cursor);
    due.push(...page.units);
    cursor = page.cursor;
  } while (cursor);
  return due;
}

/** A queued unit read back (FanOutJob.parseUnit); `label` names it in the error. */
export function parseDueUnit(raw: unknown, label: string): DueEntry {
  const u = raw as Partial<DueEntry> | null;
  for (const field of ['budgetId', 'id', 'createdBy', 'nextOccurrenceOn'] as const) {
    if (!u || typeof u[field] !== 'string') throw new Error(`${label} needs ${field}`);
  }
  return { budgetId: u!.budgetId!, id: u!.id!, createdBy: u!.createdBy!, nextOccurrenceOn: u!.nextOccurrenceOn! };
}

/**
 * A definition whose creator cannot write the budget (gone, a viewer, archived): its due
 * occurrences are skipped, not caught up later, so it moves to its first occurrence after
 * `today`. undefined: nothing is due (no definition, ended, or not due yet); else the date it
 * moves to and whether `advance` moved it ('changed': another writer came first).
 */
export async function skipPastToday<D extends { schedule: Schedule; nextOccurrenceOn: string | null }>(
  definition: D | undefined,
  today: string,
  advance: (definition: D, resume: string | null) => Promise<'advanced' | 'changed'>,
): Promise<{ resume: string | null; advanced: boolean } | undefined> {
  if (!definition || definition.nextOccurrenceOn === null || definition.nextOccurrenceOn > today) return undefined;
  const resume = firstOnOrAfter(definition.schedule, addDays(today, 1));
  return { resume, advanced: (await advance(definition, resume)) === 'advanced' };
}
