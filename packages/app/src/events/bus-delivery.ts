import type { EventBridgeEvent } from 'aws-lambda';
import type { System } from '../system';
import type { Refused } from '../lambda/dispatch';

/**
 * Delivers a bus event to the subscriptions whose contracts match its source and
 * detail-type. (Validation, inbox and retries come with the events work: issue 4.)
 */
export function createBusDelivery(system: System) {
  return async (event: EventBridgeEvent<string, unknown>): Promise<void | Refused> => {
    const matching = system.subscriptions.filter((s) =>
      s.events.some((c) => c.source === event.source && c.type === event['detail-type']),
    );
    if (matching.length === 0) {
      system.deps.logger.warn('event refused', { reason: 'no subscriber', source: event.source, type: event['detail-type'] });
      return { refused: true, reason: `no subscriber for ${event.source}/${event['detail-type']}` };
    }
    for (const subscription of matching) {
      await subscription.handle(event.detail as never, { logger: system.deps.logger });
    }
  };
}
