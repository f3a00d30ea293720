import { describe, expect, it } from 'vitest';
import { inPause, MAX_PAUSES, MAX_SKIPPED_DATES, passedStatus, paused, resumed, skipped, startedHistory } from './pause-history';

// 24 months, Jan 2025 .. Dec 2026, written out by the month number.
const months = Array.from({ length: 24 }, (_, i) => `${2025 + Math.floor(i / 12)}-${String((i % 12) + 1).padStart(2, '0')}`);

describe('startedHistory: where the exact history begins', () => {
  it('a new definition: today, nothing kept yet', () => {
    expect(startedHistory({ paused: false }, '2026-12-03')).toEqual({ pauses: [], skippedDates: [], historySince: '2026-12-03' });
  });

  it('an older item: today, but never on or before its skippedThrough (skips not known one by one)', () => {
    expect(startedHistory({ paused: false, skippedThrough: '2026-12-09' }, '2026-12-03')).toMatchObject({ historySince: '2026-12-10' });
    expect(startedHistory({ paused: false, skippedThrough: '2026-11-20' }, '2026-12-03')).toMatchObject({ historySince: '2026-12-03' });
  });

  it('an older item paused now: paused from today (its start is not known)', () => {
    expect(startedHistory({ paused: true }, '2026-12-03')).toEqual({ pauses: [{ from: '2026-12-03', to: null }], skippedDates: [], historySince: '2026-12-03' });
  });

  it('a kept history is returned as it is', () => {
    const h = { paused: false, pauses: [{ from: '2026-12-01', to: '2026-12-05' }], skippedDates: ['2026-12-09'], historySince: '2026-11-30' };
    expect(startedHistory(h, '2026-12-20')).toEqual({ pauses: h.pauses, skippedDates: h.skippedDates, historySince: '2026-11-30' });
  });
});

describe('pause, resume, skip', () => {
  const fresh = { paused: false, pauses: [], skippedDates: [], historySince: '2026-11-30' };

  it('a pause opens an interval from today; a second pause of a paused one adds none', () => {
    const p = paused(fresh, '2026-12-05');
    expect(p.pauses).toEqual([{ from: '2026-12-05', to: null }]);
    expect(paused({ ...fresh, ...p, paused: true }, '2026-12-07').pauses).toEqual([{ from: '2026-12-05', to: null }]);
  });

  it('a resume closes it on today (exclusive); resumed the day it began, it is not kept', () => {
    const open = { ...fresh, paused: true, pauses: [{ from: '2026-12-05', to: null }] };
    expect(resumed(open, '2026-12-12').pauses).toEqual([{ from: '2026-12-05', to: '2026-12-12' }]);
    expect(resumed(open, '2026-12-05').pauses).toEqual([]);
  });

  it('an older item paused before the history, resumed: history from today, no interval', () => {
    expect(resumed({ paused: true }, '2026-12-12')).toEqual({ pauses: [], skippedDates: [], historySince: '2026-12-12' });
  });

  it('a skip adds its date', () => {
    expect(skipped(fresh, '2026-12-09', '2026-12-03')).toEqual({ pauses: [], skippedDates: ['2026-12-09'], historySince: '2026-11-30' });
  });

  it(`the last ${MAX_PAUSES} pauses are kept; dropping one moves historySince to its end`, () => {
    const full = { paused: false, pauses: months.map((m) => ({ from: `${m}-01`, to: `${m}-10` })), skippedDates: [], historySince: '2024-12-20' };
    const next = paused(full, '2027-01-05');
    expect(next.pauses).toHaveLength(24);
    expect(next.pauses[0]).toEqual({ from: '2025-02-01', to: '2025-02-10' });
    expect(next.pauses[23]).toEqual({ from: '2027-01-05', to: null });
    expect(next.historySince).toBe('2025-01-10');
  });

  it(`the last ${MAX_SKIPPED_DATES} skipped dates are kept; dropping one moves historySince past it`, () => {
    const full = { paused: false, pauses: [], skippedDates: months.map((m) => `${m}-15`), historySince: '2024-12-20' };
    const next = skipped(full, '2027-01-15', '2027-01-02');
    expect(next.skippedDates).toHaveLength(24);
    expect(next.skippedDates[0]).toBe('2025-02-15');
    expect(next.skippedDates[23]).toBe('2027-01-15');
    expect(next.historySince).toBe('2025-01-16');
  });
});

describe('inPause and passedStatus', () => {
  it('[from, to): the resume day is not in it; an open one holds every later date', () => {
    const pauses = [
      { from: '2026-12-05', to: '2026-12-12' },
      { from: '2026-12-20', to: null },
    ];
    expect(['2026-12-04', '2026-12-05', '2026-12-11', '2026-12-12', '2026-12-19', '2026-12-20', '2027-06-01'].map((d) => inPause(pauses, d))).toEqual([
      false,
      true,
      true,
      false,
      false,
      true,
      true,
    ]);
    expect(inPause(undefined, '2026-12-05')).toBe(false);
  });

  it('paused, then skipped, then missed from historySince; before it the old rule', () => {
    const d = { paused: false, pauses: [{ from: '2026-12-05', to: '2026-12-12' }], skippedDates: ['2026-12-23'], skippedThrough: '2026-12-23', historySince: '2026-12-03' };
    expect(passedStatus(d, '2026-12-09')).toBe('paused'); // a pause before the latest skip
    expect(passedStatus(d, '2026-12-23')).toBe('skipped');
    expect(passedStatus(d, '2026-12-16')).toBe('missed');
    expect(passedStatus(d, '2026-12-02')).toBe('skipped'); // before historySince, on or before skippedThrough
    expect(passedStatus({ paused: false, skippedThrough: '2026-12-09' }, '2026-12-16')).toBe('paused');
  });
});
