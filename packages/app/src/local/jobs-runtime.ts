import { join } from 'node:path';
import type { Logger } from '@budgeting/platform';
import type { RetryPolicy } from '../events/put-events';
import type { Deliver } from '../jobs/job-system';
import { createLocalWorkQueue, type LocalWorkQueue } from './work-queue';

/**
 * The local work queue for a system about to be built: `npm start`, `npm run job` and the
 * tests pass `transport` to createSystem({ jobs }) and then wait on `queue`. Dead letters go
 * to `<dataDir>/dead-letters`, next to the local bus's; delayed messages wait in
 * `<dataDir>/delayed-work` until their instant, across restarts.
 */
export function localJobQueue(options: { dataDir: string; logger: Logger; concurrency?: number; retry?: Partial<RetryPolicy> }) {
  let queue: LocalWorkQueue | undefined;
  return {
    transport: (deliver: Deliver) =>
      (queue = createLocalWorkQueue({
        deliver,
        logger: options.logger.createChild({ persistentKeys: { component: 'local-work-queue' } }),
        deadLetterDir: deadLetterDir(options.dataDir),
        delayedDir: join(options.dataDir, 'delayed-work'),
        concurrency: options.concurrency,
        retry: options.retry,
      })),
    get queue(): LocalWorkQueue {
      if (!queue) throw new Error('the local work queue exists once createSystem has registered the jobs');
      return queue;
    },
  };
}

export const deadLetterDir = (dataDir: string) => join(dataDir, 'dead-letters');
