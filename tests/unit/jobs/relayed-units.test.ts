import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { createLogger, ModuleStore, type FanOutJob } from '@budgeting/platform';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { matchesRelayFilter } from '../../../packages/app/src/events/relay-filter';
import type { WorkMessage } from '../../../packages/app/src/jobs/messages';
import { createJobMetrics } from '../../../packages/app/src/jobs/metrics';
import { RELAYED_CLAIM_LEASE_SECONDS, relayedUnitGuard, type RelayedUnitGuard } from '../../../packages/app/src/jobs/relayed-units';
import { createJobRunner } from '../../../packages/app/src/jobs/runner';
import { streamRecord } from '../events/stream-records';
import { captureLogLines } from '../../support/log-lines';

describe("a relayed unit's claim on the table stream", () => {
  it('never invokes the relay: its INSERT, the retry\'s overwrite and its done mark (MODIFYs), its release and its TTL expiry (REMOVEs) all fail the event filter', async () => {
    const written: Record<string, unknown>[] = [];
    const updates: { UpdateExpression?: string; ExpressionAttributeValues?: Record<string, unknown> }[] = [];
    const doc = {
      send: async (command: { input: { Item?: Record<string, unknown>; UpdateExpression?: string } }) => {
        if (command.input.Item) written.push(command.input.Item);
        if (command.input.UpdateExpression) updates.push(command.input);
      },
    } as unknown as DynamoDBDocumentClient;
    const now = Date.parse('2026-11-24T12:00:00Z');
    const guard = relayedUnitGuard(new ModuleStore('jobs', doc, 'table'), () => now);
    await guard.claim({ key: 'users#unit#01J', send: 's1' }, 'a1');
    expect(await guard.done({ key: 'users#unit#01J', send: 's1' }, 'a1')).toBe(true);
    expect(written).toHaveLength(1);
    const claim = written[0]!;
    // The item as written (not a hand-made one): the kernel's prefix, no `kind`, no `publishes`;
    // its lease is the job queue's visibility timeout (3 minutes), its TTL 15 days.
    expect(claim).toMatchObject({ pk: 'jobs#ran#users#unit#01J', sk: 'jobs#ran', send: 's1', attempt: 'a1', leaseUntil: '2026-11-24T12:03:00.000Z', expiresAt: now / 1000 + 15 * 24 * 60 * 60 });
    // The done mark only adds `doneAt`: the item it leaves is the claim and that attribute.
    expect(updates).toHaveLength(1);
    expect(updates[0]!.UpdateExpression).toBe('SET #doneAt = :now');
    const marked = { ...claim, doneAt: '2026-11-24T12:00:00.000Z' };
    for (const item of [claim, marked]) {
      for (const eventName of ['INSERT', 'MODIFY', 'REMOVE'] as const) expect(matchesRelayFilter(streamRecord(item, eventName)), eventName).toBe(false);
    }
  });
});

describe('units that were not relayed', () => {
  it("a planner's units and their continuations carry no `relayed`: worked without a claim; a relayed unit's continuation carries its send and the last part marks the claim done", async () => {
    const logger = createLogger('SILENT');
    const claims: string[] = [];
    const marks: string[] = [];
    // The attempt (one delivery's id) each claim and mark was made for.
    const claimAttempts: string[] = [];
    const markAttempts: string[] = [];
    const guard: RelayedUnitGuard = {
      claim: async (from, attempt) => (claims.push(from.key), claimAttempts.push(attempt), { outcome: 'claimed' }),
      done: async (from, attempt) => (marks.push(from.key), markAttempts.push(attempt), true),
      release: async () => undefined,
    };
    const worked: unknown[] = [];
    const job: FanOutJob<{ page: number }> = {
      name: 'pages',
      schedule: 'rate(1 day)',
      plan: async () => ({ units: [{ page: 0 }] }),
      // Page 0 hands page 1 on (a continuation); page 1 is the last.
      work: async (unit) => (worked.push(unit), unit.page === 0 ? { again: { page: 1 } } : undefined),
      parseUnit: (raw) => raw as { page: number },
    };
    const sent: WorkMessage[] = [];
    const runner = createJobRunner({
      jobs: [job as FanOutJob],
      transport: () => ({ send: async (messages) => void sent.push(...messages) }),
      logger,
      metrics: createJobMetrics({ emit: false, stage: 'test' }),
      relayedUnits: guard,
    });
    await runner.plan('pages', new Date('2026-11-24T12:00:00Z'), { logger });
    expect(sent).toEqual([{ type: 'unit', job: 'pages', tick: '2026-11-24T12:00:00.000Z', unit: { page: 0 } }]);
    await runner.deliver(sent[0]!, { logger });
    await runner.deliver(sent[1]!, { logger });
    expect(worked).toEqual([{ page: 0 }, { page: 1 }]);
    expect(claims).toEqual([]);
    expect(marks).toEqual([]);
    // Relayed (a send deferred once before): its first part claims and is not marked done; its
    // continuation carries the same key and send (no deferral count: a new message), and the
    // attempt that claimed (heldBy), whose claim it takes on.
    await runner.deliver({ ...sent[0]!, relayed: { key: 'users#unit#01J', send: 's1', deferred: 1 } } as WorkMessage, { logger });
    expect(claims).toEqual(['users#unit#01J']);
    expect(marks).toEqual([]);
    expect(sent.at(-1)).toEqual({ type: 'unit', job: 'pages', tick: '2026-11-24T12:00:00.000Z', unit: { page: 1 }, relayed: { key: 'users#unit#01J', send: 's1', heldBy: claimAttempts[0] } });
    // The continuation claims again under the same send (its lease renewed), and, the unit's last part, marks it done.
    await runner.deliver(sent.at(-1)!, { logger });
    expect(claims).toEqual(['users#unit#01J', 'users#unit#01J']);
    expect(marks).toEqual(['users#unit#01J']);
    // Each delivery claims under an attempt of its own, and the mark is the last part's.
    expect(new Set(claimAttempts).size).toBe(2);
    expect(markAttempts).toEqual([claimAttempts[1]]);
    expect(worked).toEqual([{ page: 0 }, { page: 1 }, { page: 0 }, { page: 1 }]);
  });
});

describe("a relayed unit's other send, dropped", () => {
  afterEach(() => vi.restoreAllMocks());

  it('emits RelayedUnitDuplicatesDropped once per dropped send (the first message of a cold container too), and works nothing', async () => {
    const lines: string[] = [];
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      lines.push(String(chunk));
      return true;
    });
    const logger = createLogger('SILENT');
    // Another send holds every claim, done.
    const guard: RelayedUnitGuard = { claim: async () => ({ outcome: 'held' }), done: async () => true, release: async () => undefined };
    const worked: unknown[] = [];
    const job: FanOutJob<{ n: number }> = { name: 'mails', work: async (unit) => void worked.push(unit), parseUnit: (raw) => raw as { n: number } };
    const metrics = createJobMetrics({ emit: true, stage: 'test' });
    const runner = createJobRunner({ jobs: [job as FanOutJob], transport: () => ({ send: async () => undefined }), logger, metrics, relayedUnits: guard });
    const message = (send: string): WorkMessage => ({ type: 'unit', job: 'mails', tick: '2026-11-24T12:00:00.000Z', unit: { n: 1 }, relayed: { key: 'users#unit#01J', send } });
    await runner.deliver(message('s2'), { logger });
    await runner.deliver(message('s3'), { logger });
    expect(worked).toEqual([]);
    const emf = lines.map((l) => JSON.parse(l) as Record<string, unknown>).filter((d) => '_aws' in d);
    expect(emf).toHaveLength(2);
    for (const d of emf) expect(d).toMatchObject({ job: 'mails', RelayedUnitDuplicatesDropped: 1 });
    expect(metrics.relayedDuplicatesDropped('mails')).toBe(2);
    expect(metrics.totals('mails').UnitsProcessed).toBe(0);
  });
});

describe("a relayed unit's done mark", () => {
  it('that fails (throttled) or finds the claim taken over is logged: the message still succeeds, its claim is not released, the unit counts as processed', async () => {
    const capture = captureLogLines();
    try {
      const logger = createLogger('INFO');
      const released: string[] = [];
      const answers: (() => Promise<boolean>)[] = [
        async () => {
          throw Object.assign(new Error('Rate of requests exceeds the allowed throughput'), { name: 'ThrottlingException' });
        },
        async () => false,
      ];
      const guard: RelayedUnitGuard = { claim: async () => ({ outcome: 'claimed' }), done: () => answers.shift()!(), release: async (from) => void released.push(from.send) };
      const worked: unknown[] = [];
      const job: FanOutJob<{ n: number }> = { name: 'mails', work: async (unit) => void worked.push(unit), parseUnit: (raw) => raw as { n: number } };
      const metrics = createJobMetrics({ emit: false, stage: 'test' });
      const runner = createJobRunner({ jobs: [job as FanOutJob], transport: () => ({ send: async () => undefined }), logger, metrics, relayedUnits: guard });
      const message = (send: string): WorkMessage => ({ type: 'unit', job: 'mails', tick: '2026-11-24T12:00:00.000Z', unit: { n: 1 }, relayed: { key: 'users#unit#01J', send } });
      await expect(runner.deliver(message('s1'), { logger })).resolves.toBeUndefined();
      await expect(runner.deliver(message('s2'), { logger })).resolves.toBeUndefined();
      expect(worked).toHaveLength(2);
      expect(released).toEqual([]);
      expect(metrics.totals('mails')).toMatchObject({ UnitsProcessed: 2, UnitsFailed: 0 });
      const logged = capture.lines.map((l) => JSON.parse(l) as { message: string; unitKey?: string; error?: string });
      expect(logged.find((l) => l.message === 'relayed job unit claim not marked done')).toMatchObject({ unitKey: 'users#unit#01J', error: 'Rate of requests exceeds the allowed throughput' });
      expect(logged.find((l) => l.message === 'relayed job unit claim taken over before it was marked done')).toMatchObject({ unitKey: 'users#unit#01J' });
    } finally {
      capture.restore();
    }
  });
});

describe("a relayed unit's other send, within the lease of a claim not done", () => {
  it('is sent again with its deferral count, delayed until one second after the lease, unworked and not dropped, and counted as RelayedUnitsDeferred with its job; after RELAYED_UNIT_MAX_DEFERRALS deferrals it fails (for the queue to retry, then dead-letter: the claim may be held by its own dead attempts), logged and counted as a failed unit, not dropped', async () => {
    const capture = captureLogLines();
    try {
      const logger = createLogger('INFO');
      const now = Date.parse('2026-11-24T12:00:00Z');
      // The claim's lease ends 100.5 s from now: 101 s rounded up, one more.
      const guard: RelayedUnitGuard = { claim: async () => ({ outcome: 'running', leaseUntil: now + 100_500 }), done: async () => true, release: async () => undefined };
      const worked: unknown[] = [];
      const job: FanOutJob<{ n: number }> = { name: 'mails', work: async (unit) => void worked.push(unit), parseUnit: (raw) => raw as { n: number } };
      const sends: { messages: WorkMessage[]; delaySeconds?: number }[] = [];
      // Emitting: the EMF lines are what the dashboard graphs (the capture reads them from stdout).
      const metrics = createJobMetrics({ emit: true, stage: 'test' });
      const runner = createJobRunner({
        jobs: [job as FanOutJob],
        transport: () => ({ send: async (messages, options) => void sends.push({ messages, delaySeconds: options?.delaySeconds }) }),
        logger,
        metrics,
        relayedUnits: guard,
        clock: () => now,
      });
      const message: WorkMessage = { type: 'unit', job: 'mails', tick: '2026-11-24T12:00:00.000Z', unit: { n: 1 }, relayed: { key: 'users#unit#01J', send: 's2' } };
      await runner.deliver(message, { logger });
      expect(sends).toEqual([{ messages: [{ ...message, relayed: { key: 'users#unit#01J', send: 's2', deferred: 1 } }], delaySeconds: 102 }]);
      expect(worked).toEqual([]);
      expect(metrics.relayedDuplicatesDropped('mails')).toBe(0);
      const emfOf = (name: string) => capture.lines.map((l) => JSON.parse(l) as Record<string, unknown>).filter((d) => '_aws' in d && name in d);
      expect(emfOf('RelayedUnitsDeferred')).toEqual([expect.objectContaining({ job: 'mails', RelayedUnitsDeferred: 1 })]);
      expect(metrics.relayedUnitsDeferred('mails')).toBe(1);
      // Each return that meets a running lease again is one deferral more, up to the bound (5: a message's receives).
      for (let n = 1; n < 5; n++) await runner.deliver(sends.at(-1)!.messages[0]!, { logger });
      expect(sends.map((s) => (s.messages[0] as { relayed: { deferred: number } }).relayed.deferred)).toEqual([1, 2, 3, 4, 5]);
      await expect(runner.deliver(sends.at(-1)!.messages[0]!, { logger })).rejects.toThrow('relayed job unit users#unit#01J deferred 5 times');
      expect(sends).toHaveLength(5);
      expect(worked).toEqual([]);
      expect(metrics.relayedDuplicatesDropped('mails')).toBe(0);
      // One figure per deferral (5), and the failure after them under the failed units, not as a sixth deferral nor a drop.
      expect(emfOf('RelayedUnitsDeferred')).toHaveLength(5);
      for (const d of emfOf('RelayedUnitsDeferred')) expect(d).toMatchObject({ job: 'mails', RelayedUnitsDeferred: 1 });
      expect(emfOf('RelayedUnitDuplicatesDropped')).toEqual([]);
      expect(metrics.relayedUnitsDeferred('mails')).toBe(5);
      expect(metrics.totals('mails')).toMatchObject({ UnitsProcessed: 0, UnitsFailed: 1 });
      const logged = capture.lines.map((l) => JSON.parse(l) as { level: string; message: string; unitKey?: string; deferred?: number });
      expect(logged.find((l) => l.level === 'ERROR')).toMatchObject({ message: 'relayed job unit deferred too often (its claim keeps a lease running): failed, for the queue to retry and dead-letter', unitKey: 'users#unit#01J', deferred: 5 });
    } finally {
      capture.restore();
    }
  });

  it('a deferral the queue refuses throws and is not counted: the retry claims again and decides anew', async () => {
    const now = Date.parse('2026-11-24T12:00:00Z');
    const logger = createLogger('SILENT');
    const guard: RelayedUnitGuard = { claim: async () => ({ outcome: 'running', leaseUntil: now + 60_000 }), done: async () => true, release: async () => undefined };
    const job: FanOutJob<{ n: number }> = { name: 'mails', work: async () => undefined, parseUnit: (raw) => raw as { n: number } };
    const metrics = createJobMetrics({ emit: false, stage: 'test' });
    const runner = createJobRunner({
      jobs: [job as FanOutJob],
      transport: () => ({
        send: async () => {
          throw new Error('queue unavailable');
        },
      }),
      logger,
      metrics,
      relayedUnits: guard,
      clock: () => now,
    });
    const message: WorkMessage = { type: 'unit', job: 'mails', tick: '2026-11-24T12:00:00.000Z', unit: { n: 1 }, relayed: { key: 'users#unit#01J', send: 's2' } };
    await expect(runner.deliver(message, { logger })).rejects.toThrow('queue unavailable');
    expect(metrics.relayedUnitsDeferred('mails')).toBe(0);
    expect(metrics.relayedDuplicatesDropped('mails')).toBe(0);
  });

  it('learns the claim from the refusal of its PutItem alone (ALL_OLD, as DynamoDB sends it: not unmarshalled): done or without a lease is held, else running until its lease; no item: a full lease', async () => {
    const now = Date.parse('2026-11-24T12:00:00Z');
    const refusals: (Record<string, unknown> | undefined)[] = [
      { pk: { S: 'jobs#ran#users#unit#01J' }, send: { S: 's1' }, leaseUntil: { S: '2026-11-24T12:02:00.000Z' } },
      { pk: { S: 'jobs#ran#users#unit#01J' }, send: { S: 's1' }, leaseUntil: { S: '2026-11-24T12:02:00.000Z' }, doneAt: { S: '2026-11-24T11:59:30.000Z' } },
      { pk: { S: 'jobs#ran#users#unit#01J' }, send: { S: 's1' } },
      undefined,
    ];
    const inputs: Record<string, unknown>[] = [];
    const doc = {
      send: async (command: { input: Record<string, unknown> }) => {
        inputs.push(command.input);
        const item = refusals.shift();
        throw Object.assign(new Error('The conditional request failed'), { name: 'ConditionalCheckFailedException', ...(item ? { Item: item } : {}) });
      },
    } as unknown as DynamoDBDocumentClient;
    const guard = relayedUnitGuard(new ModuleStore('jobs', doc, 'table'), () => now);
    const from = { key: 'users#unit#01J', send: 's2' };
    expect(await guard.claim(from, 'a1')).toEqual({ outcome: 'running', leaseUntil: Date.parse('2026-11-24T12:02:00.000Z') });
    expect(await guard.claim(from, 'a2')).toEqual({ outcome: 'held' });
    expect(await guard.claim(from, 'a3')).toEqual({ outcome: 'held' });
    expect(await guard.claim(from, 'a4')).toEqual({ outcome: 'running', leaseUntil: now + RELAYED_CLAIM_LEASE_SECONDS * 1000 });
    // One request each, the PutItem asking for the claim as it stood.
    expect(inputs).toHaveLength(4);
    for (const input of inputs) expect(input).toMatchObject({ ReturnValuesOnConditionCheckFailure: 'ALL_OLD' });
  });

  it('a claim whose PutItem committed but whose answer was lost (the SDK sent it again, and its condition met the claim it wrote) is this attempt\'s: claimed, not deferred for a lease', async () => {
    const now = Date.parse('2026-11-24T12:00:00Z');
    const written: Record<string, unknown>[] = [];
    const doc = {
      // The first sending commits and its answer is lost; the SDK's second meets that claim (ALL_OLD, as DynamoDB sends it).
      send: async (command: { input: { Item: Record<string, string | number> } }) => {
        written.push(command.input.Item);
        const item = Object.fromEntries(Object.entries(written[0]!).map(([name, value]) => [name, typeof value === 'number' ? { N: String(value) } : { S: value }]));
        throw Object.assign(new Error('The conditional request failed'), { name: 'ConditionalCheckFailedException', Item: item });
      },
    } as unknown as DynamoDBDocumentClient;
    const guard = relayedUnitGuard(new ModuleStore('jobs', doc, 'table'), () => now);
    expect(await guard.claim({ key: 'users#unit#01J', send: 's1' }, 'a1')).toEqual({ outcome: 'claimed' });
    // Another attempt (another delivery of the same send) meeting that claim still waits for its lease.
    expect(await guard.claim({ key: 'users#unit#01J', send: 's1' }, 'a2')).toEqual({ outcome: 'running', leaseUntil: now + RELAYED_CLAIM_LEASE_SECONDS * 1000 });
  });
});
