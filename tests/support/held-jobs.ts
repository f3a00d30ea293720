import { mkdtempSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLogger } from '@budgeting/platform';
import { expect } from 'vitest';
import type { WorkMessage } from '../../packages/app/src/jobs/messages';
import { localJobQueue } from '../../packages/app/src/local/jobs-runtime';

type Deliver = Parameters<ReturnType<typeof localJobQueue>['transport']>[0];

/**
 * Job units held until the test lets them run. The test system's job transport (`transport`,
 * for `createTestSystem({ jobs: { transport } })`) keeps what requests queue in `held`, so what
 * a request did can be told from what its job did; `run()` then works the held units (or the
 * ones given) through the local work queue, the stand-in of SQS (separate deliveries, retries,
 * a dead-letter folder), waits until it is idle and expects nothing dead-lettered.
 */
export function heldJobs(name: string) {
  const dataDir = mkdtempSync(join(tmpdir(), `${name}-jobs-`));
  const jobs = localJobQueue({ dataDir, logger: createLogger('SILENT'), retry: { maxAttempts: 2, baseDelayMs: 5, maxDelayMs: 10 } });
  const held: WorkMessage[] = [];
  let local: { send(messages: WorkMessage[]): Promise<void> } | undefined;
  return {
    held,
    transport: (deliver: Deliver) => {
      local = jobs.transport(deliver);
      return { send: async (messages: WorkMessage[]) => void held.push(...messages) };
    },
    async run(messages: WorkMessage[] = held.splice(0)): Promise<void> {
      if (!local) throw new Error('heldJobs: pass `transport` to createTestSystem first');
      await local.send(messages);
      await jobs.queue.idle();
      expect(jobs.queue.deadLettered).toBe(0);
    },
    async stop(): Promise<void> {
      await jobs.queue.stop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
