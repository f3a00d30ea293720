import { createLogger, type WorkQueue } from '@budgeting/platform';
import { describe, expect, it } from 'vitest';
import { MEMBER_DETAILS, MEMBER_DETAILS_SECOND_PASS_AFTER_MS, memberDetailsJob, type MemberDetailsUnit } from '../../../packages/budgets/src/jobs/member-details-job';

/**
 * The member-details job's second pass (packages/budgets/docs/members.md "Member names"): a unit
 * queued by the event, once its refresh has finished, queues ONE delayed pass of itself for the
 * same account (the index it lists the memberships through may not show a new one yet); a part
 * handed back at the deadline queues nothing, and the second pass never queues another. On
 * DynamoDB Local with the local queue: tests/integration/races/member-details-races.test.ts.
 */
const TICK = new Date('2026-11-24T12:00:00Z');
const ctx = { logger: createLogger('SILENT'), deadline: Number.POSITIVE_INFINITY };

function jobWith(finishes: boolean[]) {
  const refreshed: string[] = [];
  const queued: { job: string; units: unknown[]; tick: Date; notBefore?: Date }[] = [];
  const work: WorkQueue = { enqueue: async (job, units, tick, options) => void queued.push({ job, units, tick, ...(options?.notBefore ? { notBefore: options.notBefore } : {}) }) };
  const job = memberDetailsJob(
    {
      refresh: async (userId) => {
        refreshed.push(userId);
        return finishes.shift() ?? true;
      },
    },
    work,
  );
  const run = async (raw: unknown) => job.work(await job.parseUnit(raw), TICK, ctx);
  return { run, refreshed, queued };
}

describe('the member-details job', () => {
  it('a first pass that finishes queues one second pass for the same account, held a minute past the tick', async () => {
    const { run, queued } = jobWith([true]);
    expect(await run({ userId: 'u1' })).toEqual({});
    expect(queued).toEqual([{ job: MEMBER_DETAILS, units: [{ userId: 'u1', secondPass: true }], tick: TICK, notBefore: new Date(TICK.getTime() + MEMBER_DETAILS_SECOND_PASS_AFTER_MS) }]);
  });

  it('a part handed back at the deadline is still the first pass and queues nothing; its last part queues the one second pass', async () => {
    const { run, queued, refreshed } = jobWith([false, false, true]);
    let unit: unknown = { userId: 'u2' };
    const outcomes = [];
    for (let part = 0; part < 3; part++) {
      const outcome = await run(unit);
      outcomes.push(outcome);
      if (outcome && 'again' in outcome) unit = outcome.again;
    }
    expect(outcomes).toEqual([{ again: { userId: 'u2' } }, { again: { userId: 'u2' } }, {}]);
    expect(refreshed).toEqual(['u2', 'u2', 'u2']);
    expect(queued.map((q) => q.units)).toEqual([[{ userId: 'u2', secondPass: true }]]);
  });

  it('the second pass refreshes the same way and queues no other (its parts handed back stay second passes)', async () => {
    const { run, queued, refreshed } = jobWith([false, true]);
    const first = await run({ userId: 'u3', secondPass: true });
    expect(first).toEqual({ again: { userId: 'u3', secondPass: true } });
    expect(await run((first as { again: MemberDetailsUnit }).again)).toEqual({});
    expect(refreshed).toEqual(['u3', 'u3']);
    expect(queued).toEqual([]);
  });

  it('a redelivered first unit queues one second pass per delivery, no more', async () => {
    const { run, queued } = jobWith([true, true]);
    await run({ userId: 'u4' });
    await run({ userId: 'u4' });
    expect(queued.map((q) => q.units)).toEqual([[{ userId: 'u4', secondPass: true }], [{ userId: 'u4', secondPass: true }]]);
  });

  it('a refused send of the second pass fails the unit (the queue delivers it again), after the refresh was done', async () => {
    const refreshed: string[] = [];
    const job = memberDetailsJob(
      {
        refresh: async (userId) => {
          refreshed.push(userId);
          return true;
        },
      },
      { enqueue: async () => Promise.reject(new Error('queue refused')) },
    );
    await expect(job.work({ userId: 'u5' }, TICK, ctx)).rejects.toThrow('queue refused');
    expect(refreshed).toEqual(['u5']);
  });

  it('parses units: a userId, and secondPass only as true', async () => {
    const { parseUnit } = memberDetailsJob({ refresh: async () => true }, { enqueue: async () => undefined });
    expect(await parseUnit({ userId: 'u6', extra: 1 })).toEqual({ userId: 'u6' });
    expect(await parseUnit({ userId: 'u6', secondPass: true })).toEqual({ userId: 'u6', secondPass: true });
    for (const bad of [null, {}, { userId: '' }, { userId: 7 }, { userId: 'u6', secondPass: 'yes' }, { userId: 'u6', secondPass: false }]) {
      expect(() => parseUnit(bad), JSON.stringify(bad)).toThrow();
    }
  });
});
