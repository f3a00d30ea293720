import { WEBHOOK_QUEUE_MAX_RECEIVES, type HandlerContext, type Logger } from '@budgeting/platform';
import { randomUUID } from 'node:crypto';
import { deliveryMessageBody, parseDeliveryMessage, type DeliveryMessage, type DeliveryQueue } from '@budgeting/webhooks';
import { delayedHold } from './delayed-hold';
import { WEBHOOK_QUEUE_DEAD_LETTER } from './dead-letters';
import { writeDeadLetter } from './retrying-delivery';

/**
 * The local stand-in of the webhook delivery queue (SQS + the function as its consumer): a
 * message waits its delay on a timer, then goes through the same worker the Lambda's queue
 * consumer calls, as the JSON a queue would carry. An error of the worker (not a failed
 * attempt: the worker queues those itself) is received again like SQS would, as often as the
 * deployed queue's maxReceiveCount (WEBHOOK_QUEUE_MAX_RECEIVES: 5 receives, then
 * WebhookDeadLetters), then dead-lettered: logged, and with `deadLetterDir` kept there as
 * `{ queue: "webhooks", message, error, attempts }`, which `npm run dead-letters` lists and
 * replays like the job queue's (SQS keeps it in WebhookDeadLetters for a redrive; logged only,
 * the delivery stayed pending with no message, and its (webhook, budget) stream behind it for
 * good). `npm start` and the tests use it.
 *
 * With `delayedDir` a waiting message is also a file there until its timer fires, and the next
 * queue on that folder takes it up at its instant (delayed-hold.ts, as the work queue's delayed
 * messages): SQS keeps a message whatever happens to its sender. In memory only, an attempt
 * waiting out its retry delay (30 s up to 2 h) was lost when `npm start` stopped, and with it
 * the webhook's (webhook, budget) stream: each later delivery waits for the one before it to
 * settle, so none was ever attempted again.
 */
export interface LocalDeliveryQueue extends DeliveryQueue {
  /** Resolves when no message waits or runs (tests). */
  idle(): Promise<void>;
  /**
   * Drops waiting messages (their files stay for the next queue on the folder); resolves when
   * running ones are done. What they queue meanwhile (a failed attempt's retry) goes to the
   * folder only; without one it is dropped.
   */
  stop(): Promise<void>;
}

const WORKER_RETRY_DELAY_MS = 200;

export function createLocalDeliveryQueue(options: {
  deliver: (message: DeliveryMessage, ctx: HandlerContext) => Promise<void>;
  logger: Logger;
  /** Folder keeping waiting messages across processes (npm start: `<DATA_DIR>/webhook-deliveries`); omitted: they go with the process. */
  delayedDir?: string;
  /** The dead-letter folder (npm start: `<DATA_DIR>/dead-letters`, the job queue's and the bus's); omitted: logged only. */
  deadLetterDir?: string;
}): LocalDeliveryQueue {
  const running = new Set<Promise<void>>();
  let idleWaiters: (() => void)[] = [];
  let stopped = false;

  const settleIfIdle = () => {
    if (held.count() > 0 || running.size > 0) return;
    const waiters = idleWaiters;
    idleWaiters = [];
    for (const w of waiters) w();
  };

  const work = async (body: string) => {
    const message = parseDeliveryMessage(body);
    if (!message) return options.logger.error('local delivery queue: malformed message dropped', { body });
    for (let receive = 1; ; receive++) {
      try {
        return await options.deliver(message, { logger: options.logger });
      } catch (err) {
        if (receive >= WEBHOOK_QUEUE_MAX_RECEIVES || stopped) {
          const error = (err as Error).message;
          options.logger.error('local delivery queue: message failed every receive, dead-lettered', { ...message, error });
          writeDeadLetter(options.deadLetterDir, `${new Date().toISOString()}-${WEBHOOK_QUEUE_DEAD_LETTER}-${message.deliveryId}-${randomUUID()}`, {
            queue: WEBHOOK_QUEUE_DEAD_LETTER,
            error,
            attempts: receive,
            // As the queue carried it (deliveryMessageBody: marked as a webhook delivery).
            message: JSON.parse(body) as unknown,
          });
          return;
        }
        await new Promise((r) => setTimeout(r, WORKER_RETRY_DELAY_MS * receive));
      }
    }
  };

  // A message's timer fired (or the next queue on the folder took its file up): its receive runs.
  const held = delayedHold<string>((bodies) => {
    for (const body of bodies) {
      const run = work(body).finally(() => {
        running.delete(run);
        setImmediate(settleIfIdle);
      });
      running.add(run);
    }
  }, options.delayedDir);

  return {
    async send(message, delayMs) {
      // Stopping, an attempt under way queues its retry: kept in the folder for the next start, not run here.
      if (stopped && !options.delayedDir) return;
      held.hold([deliveryMessageBody(message)], Math.max(0, delayMs) / 1000);
      if (stopped) held.drop();
    },
    idle: () =>
      new Promise<void>((resolve) => {
        idleWaiters.push(resolve);
        setImmediate(settleIfIdle);
      }),
    async stop() {
      stopped = true;
      held.drop();
      await Promise.allSettled([...running]);
      settleIfIdle();
    },
  };
}
