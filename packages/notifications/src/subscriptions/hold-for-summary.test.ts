import { describe, expect, it } from 'vitest';
import { fixedClock } from '@budgeting/platform';
import { holdForSummary } from './hold-for-summary';

/**
 * The summary's reservation and its unit, with fakes: the first held push of an occurrence
 * reserves it and queues one unit held until the end; a reservation already there queues
 * nothing; a unit the queue refuses gives the reservation back and fails (the event is redelivered).
 */
function fakes(options: { reserved?: boolean; queueFails?: boolean } = {}) {
  const calls = { reserved: [] as unknown[], released: [] as unknown[], queued: [] as unknown[] };
  const repository = {
    reserveSummary: async (key: unknown, start: string, expiresAt: number) => (calls.reserved.push({ key, start, expiresAt }), !options.reserved),
    releaseSummary: async (key: unknown) => void calls.released.push(key),
  };
  const work = {
    enqueue: async (job: string, units: unknown[], _tick: Date, opts?: { notBefore?: Date }) => {
      if (options.queueFails) throw new Error('SQS refused 1 work messages: InternalError');
      calls.queued.push({ job, units, notBefore: opts?.notBefore?.toISOString() });
    },
  };
  const deps = { repository, work, clock: fixedClock('2026-11-24T21:30:00Z') } as unknown as Parameters<typeof holdForSummary>[0];
  return { deps, calls };
}

const span = { start: new Date('2026-11-24T21:00:00Z'), end: new Date('2026-11-25T06:00:00Z') };
const key = { userId: 'u1', windowEnd: '2026-11-25T06:00:00.000Z' };

describe('holdForSummary', () => {
  it('reserves the occurrence (kept 14 days past its end) and queues one unit held until the end', async () => {
    const { deps, calls } = fakes();
    await holdForSummary(deps, 'u1', span);
    // 2026-11-25T06:00Z + 14 days = 2026-12-09T06:00Z = 1,796,796,000 s.
    expect(calls.reserved).toEqual([{ key, start: '2026-11-24T21:00:00.000Z', expiresAt: 1_796_796_000 }]);
    expect(calls.queued).toEqual([
      { job: 'notifications-quiet-summary', units: [{ userId: 'u1', start: '2026-11-24T21:00:00.000Z', end: '2026-11-25T06:00:00.000Z' }], notBefore: '2026-11-25T06:00:00.000Z' },
    ]);
  });

  it('queues nothing when the occurrence is reserved already', async () => {
    const { deps, calls } = fakes({ reserved: true });
    await holdForSummary(deps, 'u1', span);
    expect(calls.queued).toEqual([]);
  });

  it('gives the reservation back and fails when the queue refuses the unit', async () => {
    const { deps, calls } = fakes({ queueFails: true });
    await expect(holdForSummary(deps, 'u1', span)).rejects.toThrow('SQS refused');
    expect(calls.released).toEqual([key]);
  });
});
