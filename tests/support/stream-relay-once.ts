import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startLocalEvents } from '../../packages/app/src/local/events-runtime';
import type { TestSystem } from './test-system';

/**
 * The local event runtime on a test system's table, driven by hand: its stream relay reads the
 * whole stream once (from the start: a fresh checkpoint) and hands the job units it finds to
 * the system's work queue, the path a unit takes when the process that committed it died
 * before anything else ran (crash-after-commit.ts). Subscriptions get no events here.
 */
export async function relayStreamOnce(t: TestSystem): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'stream-once-'));
  const events = startLocalEvents(
    { config: t.system.config, deps: t.system.deps, doc: t.doc, subscriptions: [], schedules: [], jobs: t.system.jobs },
    { dataDir, rows: [], scheduler: false, autoStart: false, busRetry: { baseDelayMs: 10 } },
  );
  try {
    await events.relay.pollOnce();
    await events.bus.idle();
  } finally {
    await events.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}
