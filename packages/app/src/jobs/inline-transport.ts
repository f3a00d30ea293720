import { WorkFailedError, type HandlerContext } from '@budgeting/platform';
import type { WorkMessage, WorkTransport } from './messages';

/**
 * No queue configured (unit tests of the bundle, a function deployed without the queue):
 * every message is worked at once, in the sending process, one after the other. The same
 * planner and workers run; only the fan-out across invocations is missing. As on a queue,
 * one failed message does not stop the others: they all run, then the send fails with a
 * WorkFailedError (the units were delivered; their work failed).
 */
export function inlineTransport(deliver: (m: WorkMessage, ctx: HandlerContext) => Promise<void>, ctx: HandlerContext): WorkTransport {
  return {
    async send(messages) {
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
