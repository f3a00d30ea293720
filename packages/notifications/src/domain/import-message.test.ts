import { describe, expect, it } from 'vitest';
import type { ImportNotification } from '../model';
import { importPush, importText, shortReason } from './import-message';

const base: ImportNotification = {
  id: 'n1', userId: 'u1', kind: 'import.finished', budgetId: 'b1', budgetName: 'Household', importId: 'i1', status: 'succeeded',
  total: 2000, imported: 1980, duplicates: 20, matched: 0, errorCount: 0, failure: null, message: '', createdAt: '2026-11-24T12:00:00.000Z', readAt: null,
};

describe('an import notification\'s text', () => {
  it('says the counts of a finished import, grouped and in the singular when one', () => {
    expect(importText(base)).toEqual({ title: 'Your import finished', body: 'Your import into Household finished: 1,980 added, 20 duplicates, 0 errors.' });
    expect(importText({ ...base, imported: 1, duplicates: 1, errorCount: 1 }).body).toBe('Your import into Household finished: 1 added, 1 duplicate, 1 error.');
  });

  it('says the rows that were bills already recorded, only when there are some', () => {
    expect(importText({ ...base, matched: 1 }).body).toBe('Your import into Household finished: 1,980 added, 1 bill already recorded, 20 duplicates, 0 errors.');
    expect(importText({ ...base, matched: 1200 }).body).toBe('Your import into Household finished: 1,980 added, 1,200 bills already recorded, 20 duplicates, 0 errors.');
  });

  it('says a failed import\'s reason by its first clause, and leaves out a budget it cannot name', () => {
    const failure = 'part 3 of the file failed every attempt (throttled); rows recorded before stay, importing the file again adds only the rest';
    expect(importText({ ...base, status: 'failed', failure }).body).toBe('Your import into Household failed: part 3 of the file failed every attempt.');
    expect(importText({ ...base, status: 'failed', budgetName: null, failure: 'the budget was deleted while importing' }).body).toBe('Your import failed: the budget was deleted while importing.');
    expect(shortReason('the import stalled: nothing moved for 75 minutes (a part of the file ended ...); rows recorded before stay')).toBe('the import stalled: nothing moved for 75 minutes');
    expect(shortReason('x'.repeat(200))).toHaveLength(120);
  });

  it('pushes ids the app opens the import with', () => {
    expect(importPush(base, 'd1')).toMatchObject({ id: 'import-n1-d1', data: { notificationId: 'n1', kind: 'import.finished', budgetId: 'b1', importId: 'i1', status: 'succeeded' } });
  });
});
