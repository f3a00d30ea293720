import { randomUUID } from 'node:crypto';
import type { HandlerContext, Logger } from '@budgeting/platform';
import type { WorkMessage, WorkTransport } from '../jobs/messages';
import type { RetryPolicy } from '../events/put-events';
import { delayedHold } from './delayed-hold';
import { LOCAL_WORK_QUEUE_RETRY, deliverWithRetries, writeDeadLetter } from './retrying-delivery';

/**
 * The local stand-in for the work queue (SQS + the function as its consumer): messages are
 * accepted at once and worked afterwards by up to `concurrency` "invocations" at a time, each
 * through the same worker the Lambda's SQS trigger calls. A message that keeps failing is
 * retried with the local bus's policy and then dead-lettered to the same folder
 * (`.data/dead-letters`), as `{ queue: "jobs", message, error, attempts }`.
 *
 * A delayed message (SQS DelaySeconds) waits on a timer that does not keep the process alive,
 * then joins the queue. With `delayedDir` it also waits as a file there, which the next queue on
 * that folder takes up (delayed-hold.ts): a delayed message outlives the process, as on SQS; the
 * rest of this queue is in memory. `releaseDelayed()` hands them over at once: what a test does
 * after moving its clock past their instant (the runner sends back, delayed again, whatever is
 * still not due).
 *
 * `sendWorked` is the local stream relay's way in (local/events-runtime.ts): it resolves only
 * once its messages have run (or were dead-lettered), so the relay checkpoints a batch only after
 * the job units it read were worked. With `send` (accepted at once, in memory) the checkpoint
 * passed a unit still waiting here, and a process that died before the unit ran lost it: the
 * restart read the stream from beyond it (an invitation, a password-reset mail never sent).
 */
export interface LocalWorkQueue extends WorkTransport {
  /**
   * Sends like `send`, first in line (the stream relay and every event behind the batch wait on
   * them, as a continuation goes first), and resolves once each message's delivery has ended:
   * worked, or dead-lettered after its attempts. A delivery it makes (the rest of a unit, a
   * deferred send) is a message of its own and not waited for.
   */
  sendWorked(messages: WorkMessage[]): Promise<void>;
  /** Resolves when nothing is queued or running (what `npm run job` waits for); delayed messages are not waited for. */
  idle(): Promise<void>;
  /** Hands every delayed message over now (tests); how many joined this queue (not those another process on the folder took first). */
  releaseDelayed(): number;
  /** Messages waiting on a delay. */
  readonly delayed: number;
  stop(): Promise<void>;
  /** Messages sent since the start (for progress output). */
  readonly sent: number;
  /** Messages dead-lettered since the start. */
  readonly deadLettered: number;
}

export interface LocalWorkQueueOptions {
  deliver: (message: WorkMessage, ctx: HandlerContext) => Promise<void>;
  logger: Logger;
  deadLetterDir?: string;
  /** Folder keeping delayed messages across processes; omitted: they go with the process. */
  delayedDir?: string;
  retry?: Partial<RetryPolicy>;
  /** Deliveries running at once: the stand-in for Lambda's concurrency. */
  concurrency?: number;
}

export const WORK_QUEUE_DEAD_LETTER = 'jobs';

/** A copy through JSON: a worker must see what a queue would carry, nothing shared. */
const copyOf = (message: WorkMessage) => JSON.parse(JSON.stringify(message)) as WorkMessage;

/** One message's delivery with the local retries; after its last attempt, dead-lettered to the folder. */
function deliverOrDeadLetter(options: LocalWorkQueueOptions, policy: RetryPolicy, message: WorkMessage, counted: () => void): Promise<void> {
  const logger = options.logger.createChild({ persistentKeys: { job: message.job, messageId: randomUUID() } });
  return deliverWithRetries((_, lastAttempt) => options.deliver(message, { logger, ...(lastAttempt ? { lastAttempt } : {}) }), policy, (err, attempts) => {
    counted();
    logger.error('local work queue: message failed every attempt, dead-lettered', { attempts, error: err.message });
    writeDeadLetter(options.deadLetterDir, `${new Date().toISOString()}-${WORK_QUEUE_DEAD_LETTER}-${message.job}-${randomUUID()}`, {
      queue: WORK_QUEUE_DEAD_LETTER,
      error: err.message,
      attempts,
      message,
    });
  });
}

export function createLocalWorkQueue(options: LocalWorkQueueOptions): LocalWorkQueue {
  const policy = { ...LOCAL_WORK_QUEUE_RETRY, ...options.retry };
  const limit = options.concurrency ?? 4;
  const waiting: WorkMessage[] = [];
  // A delayed message joins the queue when its timer fires (or releaseDelayed() is called).
  const held = delayedHold((messages) => { waiting.push(...messages); setImmediate(pump); }, options.delayedDir);
  let running = 0;
  let sent = 0;
  let deadLettered = 0;
  let idleWaiters: (() => void)[] = [];
  /** What a sendWorked waits on: its messages' copies, each resolved when its delivery ended. */
  const ended = new Map<WorkMessage, () => void>();

  const settleIfIdle = () => {
    if (running === 0 && waiting.length === 0) {
      const waiters = idleWaiters;
      idleWaiters = [];
      for (const w of waiters) w();
    }
  };

  const pump = () => {
    while (running < limit && waiting.length > 0) {
      const message = waiting.shift()!;
      running++;
      void deliverOrDeadLetter(options, policy, message, () => deadLettered++).finally(() => {
        running--;
        ended.get(message)?.();
        ended.delete(message);
        // Next message on a fresh tick, like a new invocation (and no deep promise chains).
        setImmediate(() => {
          pump();
          settleIfIdle();
        });
      });
    }
  };

  return {
    async send(messages, sendOptions) {
      sent += messages.length;
      const copies = messages.map(copyOf);
      if (sendOptions?.delaySeconds) return held.hold(copies, sendOptions.delaySeconds);
      // The rest of a unit that ran out of time goes first: at the end of the queue, behind a
      // large import's other chunks, a chunk started long ago would wait for all of them (its
      // rows written but not counted), and the import would show no progress for minutes.
      if (sendOptions?.continuation) waiting.unshift(...copies);
      else waiting.push(...copies);
      setImmediate(pump);
    },
    async sendWorked(messages) {
      sent += messages.length;
      const copies = messages.map(copyOf);
      const done = copies.map((copy) => new Promise<void>((resolve) => ended.set(copy, resolve)));
      waiting.unshift(...copies);
      setImmediate(pump);
      await Promise.all(done);
    },
    idle: () =>
      new Promise<void>((resolve) => {
        idleWaiters.push(resolve);
        setImmediate(settleIfIdle);
      }),
    releaseDelayed: () => held.releaseAll(),
    get delayed() {
      return held.count();
    },
    stop() {
      // Delayed messages stay in their folder (if any) for the next queue on it.
      held.drop();
      return this.idle();
    },
    get sent() {
      return sent;
    },
    get deadLettered() {
      return deadLettered;
    },
  };
}
