import type { HandlerContext, Logger } from '@budgeting/platform';
import { deliveryMessageBody, parseDeliveryMessage, type DeliveryMessage, type DeliveryQueue } from '@budgeting/webhooks';

/**
 * The local stand-in of the webhook delivery queue (SQS + the function as its consumer): a
 * message waits its delay on a timer, then goes through the same worker the Lambda's queue
 * consumer calls, as the JSON a queue would carry. An error of the worker (not a failed
 * attempt: the worker queues those itself) is retried like SQS would, a few times, then
 * logged as dead-lettered. `npm start` and the tests use it.
 */
export interface LocalDeliveryQueue extends DeliveryQueue {
  /** Resolves when no message waits or runs (tests). */
  idle(): Promise<void>;
  /** Drops waiting messages; resolves when running ones are done. */
  stop(): Promise<void>;
}

const WORKER_RETRIES = 3;
const WORKER_RETRY_DELAY_MS = 200;

export function createLocalDeliveryQueue(options: {
  deliver: (message: DeliveryMessage, ctx: HandlerContext) => Promise<void>;
  logger: Logger;
}): LocalDeliveryQueue {
  const timers = new Set<NodeJS.Timeout>();
  const running = new Set<Promise<void>>();
  let idleWaiters: (() => void)[] = [];
  let stopped = false;

  const settleIfIdle = () => {
    if (timers.size > 0 || running.size > 0) return;
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
        if (receive > WORKER_RETRIES || stopped) {
          return options.logger.error('local delivery queue: message failed every receive, dead-lettered', { ...message, error: (err as Error).message });
        }
        await new Promise((r) => setTimeout(r, WORKER_RETRY_DELAY_MS * receive));
      }
    }
  };

  const enqueue = (body: string, delayMs: number) => {
    const timer = setTimeout(() => {
      timers.delete(timer);
      const run = work(body).finally(() => {
        running.delete(run);
        setImmediate(settleIfIdle);
      });
      running.add(run);
    }, Math.max(0, delayMs));
    timers.add(timer);
  };

  return {
    async send(message, delayMs) {
      if (stopped) return;
      enqueue(deliveryMessageBody(message), delayMs);
    },
    idle: () =>
      new Promise<void>((resolve) => {
        idleWaiters.push(resolve);
        setImmediate(settleIfIdle);
      }),
    async stop() {
      stopped = true;
      for (const t of timers) clearTimeout(t);
      timers.clear();
      await Promise.allSettled([...running]);
      settleIfIdle();
    },
  };
}
