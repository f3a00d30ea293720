import { describe, expect, it } from 'vitest';
import type { Schedule } from '../domain/recurrence';
import { changesNothing } from '@budgeting/platform';
import { pendingOccurrence, rescheduleAfterPatch, skippedNext, targetedRead } from './recurring-definition';

/**
 * The steps recurring expenses and recurring income share (recurring-definition.ts), on plain
 * definitions; dates worked by hand from weekly schedules starting Monday 2026-11-02.
 */
const weekly: Schedule = { frequency: 'weekly', interval: 1, startsOn: '2026-11-02' };
const def = (over: Partial<{ schedule: Schedule; paused: boolean; nextOccurrenceOn: string | null; skippedThrough: string; version: number; updatedAt: string }> = {}) => ({
  schedule: weekly,
  paused: false,
  nextOccurrenceOn: '2026-11-30' as string | null,
  version: 3,
  updatedAt: 'then',
  ...over,
});

describe('rescheduleAfterPatch', () => {
  const today = '2026-11-25'; // a Wednesday: the next Monday is 11-30
  it('a pause drops the next occurrence', () => {
    const next = def({ paused: true });
    rescheduleAfterPatch(def(), next, today);
    expect(next.nextOccurrenceOn).toBeNull();
  });
  it('a changed schedule restarts from today and forgets the skip', () => {
    const next = def({ schedule: { ...weekly, startsOn: '2026-11-04' }, skippedThrough: '2026-11-30' });
    rescheduleAfterPatch(def(), next, today);
    expect(next.nextOccurrenceOn).toBe('2026-11-25'); // Wednesdays from 11-04: today's (11-04 + 3 weeks) is the first
    expect(next).not.toHaveProperty('skippedThrough');
  });
  it('a schedule changed while paused stays paused and forgets the skip too (the resume starts on the new schedule)', () => {
    const next = def({ paused: true, nextOccurrenceOn: null, schedule: { ...weekly, startsOn: '2026-11-04' }, skippedThrough: '2026-11-30' });
    rescheduleAfterPatch(def({ paused: true, nextOccurrenceOn: null, skippedThrough: '2026-11-30' }), next, today);
    expect(next.nextOccurrenceOn).toBeNull();
    expect(next).not.toHaveProperty('skippedThrough');
  });
  it('a new end alone (endsOn, count) keeps the next date and the skip; past the new end, none; an ended one continues after the skip', () => {
    const skippedOne = { nextOccurrenceOn: '2026-12-07', skippedThrough: '2026-11-30' };
    const longer = def({ ...skippedOne, schedule: { ...weekly, endsOn: '2027-06-28' } });
    rescheduleAfterPatch(def(skippedOne), longer, today);
    expect(longer).toMatchObject({ nextOccurrenceOn: '2026-12-07', skippedThrough: '2026-11-30' });
    const shorter = def({ ...skippedOne, schedule: { ...weekly, endsOn: '2026-12-01' } });
    rescheduleAfterPatch(def(skippedOne), shorter, today);
    expect(shorter.nextOccurrenceOn).toBeNull();
    const ended = { schedule: { ...weekly, endsOn: '2026-12-01' }, nextOccurrenceOn: null, skippedThrough: '2026-11-30' };
    const extended = def({ ...ended, schedule: weekly });
    rescheduleAfterPatch(def(ended), extended, today);
    expect(extended.nextOccurrenceOn).toBe('2026-12-07'); // not 11-30, the skipped date
  });
  it('a resume starts from today, but after a date skipped before the pause', () => {
    const next = def({ paused: false, nextOccurrenceOn: null, skippedThrough: '2026-11-30' });
    rescheduleAfterPatch(def({ paused: true, nextOccurrenceOn: null }), next, today);
    expect(next.nextOccurrenceOn).toBe('2026-12-07');
  });
  it('an unpaused PATCH of other fields keeps the next occurrence', () => {
    const next = def({ nextOccurrenceOn: '2026-11-30' });
    rescheduleAfterPatch(def(), next, today);
    expect(next.nextOccurrenceOn).toBe('2026-11-30');
  });
});

describe('pendingOccurrence and skippedNext', () => {
  it('409 when paused or ended, naming the resource and the action', () => {
    expect(() => pendingOccurrence(def({ paused: true }), 'recurring income', 'skip')).toThrow('The recurring income is paused: resume it first (PATCH paused: false).');
    expect(() => pendingOccurrence(def({ nextOccurrenceOn: null }), 'recurring expense', 'record')).toThrow('The recurring expense has ended: it has no next occurrence to record.');
    expect(pendingOccurrence(def(), 'recurring income', 'skip')).toBe('2026-11-30');
  });
  it('a skip moves to the following date and remembers the skipped one, version + 1', () => {
    expect(skippedNext(def(), '2026-11-30', 'now')).toMatchObject({ nextOccurrenceOn: '2026-12-07', skippedThrough: '2026-11-30', version: 4, updatedAt: 'now' });
  });
});

describe('targetedRead', () => {
  it('the first read fixes the target; a re-read that moved is a 409 naming it, unless If-Match refuses its version', async () => {
    const reads = [def(), def({ nextOccurrenceOn: '2026-12-07', version: 4 })];
    const read = targetedRead(async () => reads.shift()!, undefined);
    await read();
    await expect(read()).rejects.toThrow('The occurrence of 2026-11-30 was recorded or skipped meanwhile; nothing was recorded.');

    const withIfMatch = [def(), def({ nextOccurrenceOn: '2026-12-07', version: 4 })];
    const guarded = targetedRead(async () => withIfMatch.shift()!, new Set([3]));
    await guarded();
    await expect(guarded()).resolves.toMatchObject({ version: 4 }); // left to optimistically's 412
  });
});

describe('changesNothing on a definition (the platform helper recurring expenses and recurring income use)', () => {
  it('ignores version, updatedAt, key order and undefined fields; any other difference is a change', () => {
    const current = { ...def(), amount: 100, source: 'Acme' };
    // The same values, keys in another order (a schedule rebuilt by patchedSchedule), a new version and stamp.
    const same = { source: 'Acme', amount: 100, ...def({ version: 4, updatedAt: 'now' }), schedule: { startsOn: '2026-11-02', interval: 1, frequency: 'weekly' as const }, description: undefined };
    expect(changesNothing(current, same)).toBe(true);
    for (const other of [
      { ...current, amount: 101 },
      { ...current, source: 'Acme Inc' },
      { ...current, description: 'Salary' },
      { ...current, paused: true, nextOccurrenceOn: null },
      { ...current, nextOccurrenceOn: '2026-12-07' },
      { ...current, skippedThrough: '2026-11-23' },
      { ...current, schedule: { ...weekly, endsOn: '2027-01-01' } },
      { ...current, schedule: { ...weekly, interval: 2 } },
    ]) {
      expect(changesNothing(current, other), JSON.stringify(other)).toBe(false);
    }
    const { source: _dropped, ...removed } = current;
    expect(changesNothing(current, removed)).toBe(false);
  });
});
