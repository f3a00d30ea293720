import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { EventContract, EventEnvelope, Subscription } from '@budgeting/platform';
import { SUBSCRIPTIONS, type SubscriptionRow } from '@budgeting/app/wiring';
import { startLocalEvents, type LocalEvents } from '../../packages/app/src/local/events-runtime';
import { createTestSystem, type TestSystem, type TestSystemOptions } from '../support/test-system';

/**
 * The system as `npm start` runs it: the HTTP app, and the local event runtime (the table's
 * stream -> outbox relay -> in-process bus -> the modules' subscriptions) polling in the
 * background with its checkpoint in a temporary folder. Tests talk HTTP and read the table;
 * nothing is delivered by hand.
 *
 * A probe subscription (an extra bus rule) records what reaches the bus, so a test can count
 * what was really published, not only what was written to the outbox.
 */
export interface E2eSystem {
  t: TestSystem;
  events: LocalEvents;
  /** Envelopes the bus delivered to the probe, by event type. */
  published: Map<string, EventEnvelope<string, any>[]>;
  /** Resolves once every outbox item is relayed and no delivery is running (so none can write more). */
  settled(timeoutMs?: number): Promise<void>;
  /**
   * The process restarted: the event runtime (already stopped, or stopped now) is replaced by a
   * new one that resumes from the checkpoint in the same folder, as `npm start` does from `.data`;
   * `lostCheckpoint`: from a fresh folder instead, so the stream is read again from its start.
   */
  restart(options?: { lostCheckpoint?: boolean; fromCheckpoint?: string | null }): Promise<void>;
  /**
   * The stream checkpoint as the relay saved it last (its file's text; null: none yet). A
   * process that dies before it saves the next one restarts from it: restart's `fromCheckpoint`
   * writes it back (null: removes it) before the new runtime starts.
   */
  checkpoint(): string | null;
  stop(): Promise<void>;
}

/** `probe`: contracts of ONE publisher whose events the probe records (one bus rule per source). */
export async function startE2eSystem(probe: EventContract[], options: TestSystemOptions = {}): Promise<E2eSystem> {
  // Its stream poller relays the job units, as under npm start: none relayed inline too.
  const t = await createTestSystem({ ...options, relayUnitsInline: false, stream: true });
  const dataDir = mkdtempSync(join(tmpdir(), 'e2e-events-'));
  const published = new Map<string, EventEnvelope<string, any>[]>();
  const probeRow: SubscriptionRow = {
    name: 'e2e-probe',
    module: 'budgets',
    source: probe[0]!.source,
    detailTypes: probe.map((c) => c.type),
  };
  const probeSubscription: Subscription = {
    name: probeRow.name,
    events: probe,
    async handle(event) {
      published.set(event.type, [...(published.get(event.type) ?? []), event]);
    },
  };
  const dataDirs = [dataDir];
  const start = (dir: string) =>
    startLocalEvents(
      { ...t.system, subscriptions: [...t.system.subscriptions, probeSubscription] },
      { dataDir: dir, rows: [...SUBSCRIPTIONS, probeRow], scheduler: false, pollIntervalMs: 100, busRetry: { baseDelayMs: 20 } },
    );
  let events = start(dataDir);
  const checkpointFile = (dir: string) => join(dir, 'stream-checkpoints', `${t.tableName}.json`);

  return {
    t,
    get events() {
      return events;
    },
    published,
    async restart(restartOptions = {}) {
      await events.stop();
      const dir = restartOptions.lostCheckpoint ? mkdtempSync(join(tmpdir(), 'e2e-events-')) : dataDirs.at(-1)!;
      if (!dataDirs.includes(dir)) dataDirs.push(dir);
      const saved = restartOptions.fromCheckpoint;
      if (saved === null) rmSync(checkpointFile(dir), { force: true });
      else if (saved !== undefined) {
        mkdirSync(join(dir, 'stream-checkpoints'), { recursive: true });
        writeFileSync(checkpointFile(dir), saved);
      }
      events = start(dir);
    },
    checkpoint() {
      const file = checkpointFile(dataDirs.at(-1)!);
      return existsSync(file) ? readFileSync(file, 'utf8') : null;
    },
    async settled(timeoutMs = 60_000) {
      // Subscribers write outbox items of their own (threshold_crossed, budget.deleted...), so
      // one round of relay + delivery can cause another. Settled: after the bus went idle, a
      // read of the stream finds nothing new (only a running delivery could have written
      // something, and idle() waits for every delivery the bus has taken).
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const relayed = await events.relay.pollOnce();
        await events.bus.idle();
        if (relayed === 0 && (await events.relay.pollOnce()) === 0) {
          await events.bus.idle();
          return;
        }
        if (Date.now() > deadline) throw new Error(`events did not settle within ${timeoutMs} ms`);
      }
    },
    async stop() {
      await events.stop();
      await t.destroy();
      for (const dir of dataDirs) rmSync(dir, { recursive: true, force: true });
    },
  };
}
