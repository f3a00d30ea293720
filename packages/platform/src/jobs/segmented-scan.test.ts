import { describe, expect, it } from 'vitest';
import { createLogger } from '../logger';
import { mergeReports, REPORT_LIST_CAP, segmentedScanJob } from './segmented-scan';

/** The Scan fan-out shape shared by the one-off operator jobs (webhooks-reseal-secrets, users-mfa-reseal). */
describe('segmentedScanJob', () => {
  const logger = createLogger('SILENT');

  it('plans one unit per segment and pages a segment on until its end, summing done and the report', async () => {
    const pages: Record<string, { done: number; next?: string }> = { start: { done: 1, next: 'b' }, b: { done: 2, next: 'c' }, c: { done: 0 } };
    const seen: string[] = [];
    const job = segmentedScanJob({
      name: 'x-scan',
      segments: 3,
      async page(_segment, _total, startKey) {
        const at = (startKey?.at as string | undefined) ?? 'start';
        seen.push(at);
        const { done, next } = pages[at]!;
        return { done, report: { resealed: done, users: [`u-${at}`] }, ...(next ? { lastKey: { at: next } } : {}) };
      },
    });
    expect((await job.plan!(new Date(), undefined, { logger })).units).toEqual([0, 1, 2].map((segment) => ({ segment, totalSegments: 3 })));

    // Time left: the whole segment in one invocation.
    const whole = await job.work({ segment: 1, totalSegments: 3 }, new Date(), { logger, deadline: Date.now() + 60_000 });
    expect(whole).toEqual({ done: 3, report: { resealed: 3, users: ['u-start', 'u-b', 'u-c'] } });
    expect(seen).toEqual(['start', 'b', 'c']);

    // No time left: one page, then the rest of the segment as the same unit from where it stopped.
    const first = await job.work({ segment: 1, totalSegments: 3 }, new Date(), { logger, deadline: 0 });
    expect(first).toEqual({ done: 1, report: { resealed: 1, users: ['u-start'] }, again: { segment: 1, totalSegments: 3, startKey: JSON.stringify({ at: 'b' }) } });
    const rest = await job.work(first!.again!, new Date(), { logger, deadline: 0 });
    expect(rest?.again).toEqual({ segment: 1, totalSegments: 3, startKey: JSON.stringify({ at: 'c' }) });
  });

  it('refuses a malformed unit', () => {
    const job = segmentedScanJob({ name: 'x-scan', segments: 2, page: async () => ({ done: 0 }) });
    expect(job.parseUnit({ segment: 1, totalSegments: 2, startKey: '{}' })).toEqual({ segment: 1, totalSegments: 2, startKey: '{}' });
    for (const bad of [null, { segment: 2, totalSegments: 2 }, { segment: -1, totalSegments: 2 }, { segment: 0.5, totalSegments: 2 }, { segment: 0, totalSegments: 2, startKey: 3 }]) {
      expect(() => job.parseUnit(bad)).toThrow('x-scan unit needs');
    }
  });

  it('merges reports: numbers summed, lists concatenated and capped', () => {
    const long = Array.from({ length: REPORT_LIST_CAP }, (_, i) => `u${i}`);
    expect(mergeReports({ a: 1, ids: ['x'] }, { a: 2, b: 0, ids: ['y'] })).toEqual({ a: 3, b: 0, ids: ['x', 'y'] });
    expect(mergeReports({ ids: long }, { ids: ['late'] }).ids).toHaveLength(100);
  });
});
