import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ASYNC_INVOCATION_RETRIES, createLogger, ModuleStore, queuedUnitPut } from '@budgeting/platform';
import { afterEach, describe, expect, it } from 'vitest';
import type { WorkMessage } from '../../../packages/app/src/jobs/messages';
import { startLocalEvents, type LocalEvents, type LocalEventsHost } from '../../../packages/app/src/local/events-runtime';
import { createLocalWorkQueue } from '../../../packages/app/src/local/work-queue';
import { createTestSystem } from '../../support/test-system';
import { recordingLogger } from '../../unit/events/recording-logger';
import { createTotalsSubscriber, fixtureRows, recordThing, SUBSCRIBER_NAME, thingRecorded } from './fixture-module';

/**
 * The "never lost, never twice" guarantees end to end on DynamoDB Local's real stream: a
 * change and its outbox item commit together; the relay is stopped before it could relay;
 * a new relay resumes from the checkpoint and the subscriber sees the event exactly once.
 */
const cleanup: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  while (cleanup.length) await cleanup.pop()!();
});

async function setup() {
  const t = await createTestSystem({ stream: true });
  const dataDir = mkdtempSync(join(tmpdir(), 'events-'));
  cleanup.push(() => t.destroy(), () => rmSync(dataDir, { recursive: true, force: true }));
  const publisher = new ModuleStore('fixturepub', t.doc, t.tableName);
  const subscriberStore = new ModuleStore('fixturesub', t.doc, t.tableName);
  const subscriber = createTotalsSubscriber(subscriberStore, t.clock);
  const logger = recordingLogger();
  const start = (dir = dataDir, jobs: LocalEventsHost['jobs'] = null): LocalEvents => {
    const events = startLocalEvents(
      {
        config: t.system.config,
        deps: { ...t.system.deps, logger },
        doc: t.doc,
        subscriptions: [subscriber.subscription],
        schedules: [],
        jobs, // events only, unless a test gives its work queue
      },
      { dataDir: dir, rows: fixtureRows, scheduler: false, autoStart: false, busRetry: { baseDelayMs: 10 } },
    );
    if (jobs === null) cleanup.push(() => events.stop());
    return events;
  };
  return { t, dataDir, publisher, subscriberStore, subscriber, logger, start };
}

describe('local outbox relay on the table stream', { timeout: 90_000 }, () => {
  it('delivers an event committed while no relay ran exactly once after a restart', async () => {
    const { t, publisher, subscriber, start } = await setup();

    const first = start();
    expect(await first.relay.pollOnce()).toBe(0); // running, nothing to relay yet
    const event = await recordThing(publisher, t.clock, 'a1', 1250);
    await first.stop(); // the process stops after the commit, before relaying it

    expect(subscriber.calls).toHaveLength(0);

    const second = start();
    expect(await second.relay.pollOnce()).toBeGreaterThanOrEqual(2); // the change and its outbox item
    await second.bus.idle();
    expect(subscriber.calls.map((e) => e.id)).toEqual([event.id]);
    expect(subscriber.calls[0]).toEqual(event);
    expect(await subscriber.total()).toEqual({ amount: 1250, events: 1 });
    await second.stop();

    const third = start();
    expect(await third.relay.pollOnce()).toBe(0); // the checkpoint moved past it: not seen again
    await third.bus.idle();
    expect(subscriber.calls).toHaveLength(1);
  });

  it('keeps relaying as changes arrive while it runs (npm start), from an empty stream on', async () => {
    const { t, publisher, subscriber, start } = await setup();
    const events = start();
    expect(await events.relay.pollOnce()).toBe(0);
    expect(await events.relay.pollOnce()).toBe(0);
    const e1 = await recordThing(publisher, t.clock, 'r1', 5);
    await events.relay.pollOnce();
    await events.bus.idle();
    const e2 = await recordThing(publisher, t.clock, 'r2', 6);
    await events.relay.pollOnce();
    await events.bus.idle();
    expect(subscriber.calls.map((e) => e.id)).toEqual([e1.id, e2.id]);
    expect(await subscriber.total()).toEqual({ amount: 11, events: 2 });
  });

  it('runs in the background once started and stops cleanly', async () => {
    const { t, publisher, subscriber, start } = await setup();
    const events = start();
    events.relay.start();
    const event = await recordThing(publisher, t.clock, 'bg1', 3);
    // Generous: on a loaded machine DynamoDB Local answers slowly.
    await expect.poll(() => subscriber.calls.map((e) => e.id), { timeout: 40_000, interval: 100 }).toEqual([event.id]);
    await events.stop();
  }, 90_000);

  it('writes nothing back: the outbox item keeps the one-day TTL it was written with', async () => {
    const { t, publisher, start } = await setup();
    const event = await recordThing(publisher, t.clock, 'b1', 10);
    const key = { pk: publisher.key('outbox', event.id), sk: publisher.key('outbox') };
    const before = await publisher.get({ Key: key });
    expect(before!.expiresAt).toBe(Math.floor(t.clock.now().getTime() / 1000) + 24 * 60 * 60);
    const events = start();
    expect(await events.relay.pollOnce()).toBeGreaterThan(0);
    await events.bus.idle();
    expect(await publisher.get({ Key: key })).toEqual(before);
    // Relaying wrote nothing, so the stream holds nothing new.
    expect(await events.relay.pollOnce()).toBe(0);
  });

  it('redelivery after a lost checkpoint calls the subscriber again but changes nothing', async () => {
    const { t, publisher, subscriber, subscriberStore, start } = await setup();
    const e1 = await recordThing(publisher, t.clock, 'c1', 300);
    const e2 = await recordThing(publisher, t.clock, 'c2', 45);

    const events = start();
    await events.relay.pollOnce();
    await events.bus.idle();
    await events.stop();
    expect(await subscriber.total()).toEqual({ amount: 345, events: 2 });

    // The process died after delivering but before saving its checkpoint: a fresh data
    // folder makes the relay read the stream from its start and publish both again.
    const again = start(mkdtempSync(join(tmpdir(), 'events-lost-')));
    await again.relay.pollOnce();
    await again.bus.idle();
    expect(subscriber.calls.map((e) => e.id)).toEqual([e1.id, e2.id, e1.id, e2.id]);
    expect(await subscriber.total()).toEqual({ amount: 345, events: 2 });
    const inbox = await subscriberStore.get({
      Key: { pk: subscriberStore.key('inbox', SUBSCRIBER_NAME, e1.id), sk: subscriberStore.key('inbox') },
    });
    expect(inbox).toMatchObject({ eventId: e1.id, subscription: SUBSCRIBER_NAME });
  });

  it('refuses an invalid event with a log line and keeps relaying the ones after it', async () => {
    const { t, publisher, subscriber, logger, start } = await setup();
    // A hand-written outbox item whose payload breaks the contract (amount must be positive).
    await publisher.put({
      Item: {
        pk: publisher.key('outbox', 'bad-1'),
        sk: publisher.key('outbox'),
        kind: 'outbox',
        source: thingRecorded.source,
        detailType: thingRecorded.type,
        detail: JSON.stringify({ id: 'bad-1', type: thingRecorded.type, version: 1, occurredAt: '2026-11-24T12:00:00.000Z', data: { thingId: 'x', amount: -5 } }),
        createdAt: '2026-11-24T12:00:00.000Z',
      },
    });
    const good = await recordThing(publisher, t.clock, 'd1', 7);

    const events = start();
    await events.relay.pollOnce();
    await events.bus.idle();

    expect(subscriber.calls.map((e) => e.id)).toEqual([good.id]);
    expect(await subscriber.total()).toEqual({ amount: 7, events: 1 });
    const refusal = logger.entries.find((e) => e.message === 'event refused: invalid detail');
    expect(refusal?.level).toBe('error');
    expect(refusal?.attributes.issues).toEqual([expect.objectContaining({ path: 'data.amount' })]);
    expect(await events.relay.pollOnce()).toBe(0); // not stuck on it
  });

  it('retries a failing subscriber, then parks the event in the dead-letter folder', async () => {
    const { t, publisher, subscriber, dataDir, start } = await setup();
    let failures = 2;
    const original = subscriber.subscription.handle;
    subscriber.subscription.handle = async (event, ctx) => {
      if (failures-- > 0) throw new Error('database hiccup');
      return original(event, ctx);
    };
    await recordThing(publisher, t.clock, 'e1', 99);
    const events = start();
    await events.relay.pollOnce();
    await events.bus.idle();
    expect(await subscriber.total()).toEqual({ amount: 99, events: 1 });

    subscriber.subscription.handle = async () => {
      throw new Error('always broken');
    };
    const doomed = await recordThing(publisher, t.clock, 'e2', 1);
    await events.relay.pollOnce();
    await events.bus.idle();
    const { readdirSync, readFileSync } = await import('node:fs');
    const files = readdirSync(join(dataDir, 'dead-letters'));
    expect(files).toHaveLength(1);
    const parked = JSON.parse(readFileSync(join(dataDir, 'dead-letters', files[0]!), 'utf8'));
    expect(parked).toMatchObject({ rule: SUBSCRIBER_NAME, error: expect.stringContaining('always broken'), attempts: 1 + ASYNC_INVOCATION_RETRIES, event: { detail: { id: doomed.id } } });
  });

  it("hands a job unit to npm start's in-memory work queue again after a restart when the process died before the unit ran", async () => {
    const { t, publisher, start } = await setup();
    // The first process's queue takes the unit, and the process dies while it waits or runs there.
    let died!: () => void;
    const dying = createLocalWorkQueue({ logger: createLogger('SILENT'), deliver: () => new Promise<void>((resolve) => (died = resolve)) });
    await publisher.put(queuedUnitPut(publisher, 'fixture-job', { thing: 'u1' }, t.clock.now(), 'u1').Put);
    const first = start(undefined, dying);
    void first.relay.pollOnce();
    await expect.poll(() => died, { timeout: 20_000, interval: 20 }).toBeDefined();

    // The restart reads the stream from the checkpoint the dead process left: the unit is handed again.
    const worked: WorkMessage[] = [];
    const queue = createLocalWorkQueue({ logger: createLogger('SILENT'), deliver: async (message) => void worked.push(message) });
    const second = start(undefined, queue);
    await second.relay.pollOnce();
    await queue.idle();
    expect(worked.map((m) => m.type === 'unit' && m.unit)).toEqual([{ thing: 'u1' }]);

    died(); // (the dead process's attempt ends, so its runtime can be stopped)
    await Promise.all([first.stop(), second.stop()]);
  });
});
