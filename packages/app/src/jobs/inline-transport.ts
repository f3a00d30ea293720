import { WorkFailedError, type HandlerContext } from '@budgeting/platform';
import type { WorkMessage, WorkTransport } from './messages';

/**
 * No queue configured (unit tests of the bundle, a function deployed without the queue):
 * every message is worked at once, in the sending process, one after the other. The same
 * planner and workers run; only the fan-out across invocations is missing. As on a queue,
 * one failed message does not stop the others: they all run, then the send fails with a
 * WorkFailedError (the units were delivered; their work failed).
 *
 * A delayed message (a unit with a `notBefore`) cannot be worked at once: it waits on a timer
 * that does not keep the process alive, and is lost with the process, as everything in memory.
 * Its failure can only be logged. Deployed, the job queue is always configured.
 */
export function inlineTransport(deliver: (m: WorkMessage, ctx: HandlerContext) => Promise<void>, ctx: HandlerContext): WorkTransport {
  return {
    async send(messages, options) {
      if (options?.delaySeconds) {
        const later = () => {
          for (const message of messages) {
            deliver(message, ctx).catch((err: Error) => ctx.logger.error('delayed work message failed', { job: message.job, error: err.message }));
          }
        };
        setTimeout(later, options.delaySeconds * 1000).unref();
        return;
      }
      const failures: Error[] = [];
      for (const message of messages) {
        try {
          await deliver(message, ctx);
        } catch (err) {
          failures.push(err as Error);
        }
      }
      if (failures.length > 0) throw new WorkFailedError(failures, `${failures.length} of ${messages.length} work messages failed: ${failures[0]!.message}`);
    },
  };
}
