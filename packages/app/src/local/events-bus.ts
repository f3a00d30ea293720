import { randomUUID } from 'node:crypto';
import type { PutEventsResultEntry } from '@aws-sdk/client-eventbridge';
import type { Logger } from '@budgeting/platform';
import type { EventBridgeEvent } from 'aws-lambda';
import type { Refused } from '../lambda/dispatch';
import type { PutEventsSender, RetryPolicy } from '../events/put-events';
import type { SubscriptionRow } from '../wiring/rows';
import { LOCAL_BUS_RETRY, deliverWithRetries, writeDeadLetter } from './retrying-delivery';

/**
 * The local event bus: what EventBridge does for the deployed system, in-process.
 * - PutEvents accepts entries and answers at once; delivery happens afterwards, like the
 *   real bus (a slow subscriber never slows the publisher).
 * - Each SUBSCRIPTIONS row matching an event is its own "rule": it gets its own delivery
 *   (with the row in `resources`, as the rule's input transformer does in AWS), its own
 *   retries with backoff, and when those run out the event goes to a dead-letter folder,
 *   the local counterpart of the DLQ.
 * - Delivery goes through the very function the Lambda uses for bus events.
 */
export interface LocalBus {
  send: PutEventsSender;
  /** Resolves when no delivery is pending (the relay waits for it before checkpointing). */
  idle(): Promise<void>;
  stop(): Promise<void>;
}

export interface LocalBusOptions {
  rows: SubscriptionRow[];
  deliver: (event: EventBridgeEvent<string, unknown>) => Promise<void | Refused>;
  logger: Logger;
  /** Folder for events whose delivery failed every attempt; omitted: logged only. */
  deadLetterDir?: string;
  retry?: Partial<RetryPolicy>;
  region?: string;
}

const LOCAL_ACCOUNT = '000000000000';

// One function over 80 lines on purpose: a factory whose returned methods share the bus's
// private state (queue, in-flight deliveries, idle waiters) through its closure.
export function createLocalBus(options: LocalBusOptions): LocalBus {
  const policy = { ...LOCAL_BUS_RETRY, ...options.retry };
  const region = options.region ?? 'local';
  const pending = new Set<Promise<void>>();

  const track = (work: Promise<void>) => {
    pending.add(work);
    void work.finally(() => pending.delete(work));
  };

  const deliverToRule = async (event: EventBridgeEvent<string, unknown>, row: SubscriptionRow) => {
    const targeted = { ...event, resources: [`arn:aws:events:${region}:${LOCAL_ACCOUNT}:rule/local/${row.name}`] };
    await deliverWithRetries(
      async () => {
        const result = await options.deliver(targeted);
        if (result && 'refused' in result) options.logger.warn('local bus: event refused', { rule: row.name, reason: result.reason });
      },
      policy,
      (err, attempts) => deadLetter(targeted, row, err, attempts),
    );
  };

  const deadLetter = (event: EventBridgeEvent<string, unknown>, row: SubscriptionRow, err: Error, attempts: number) => {
    options.logger.error('local bus: delivery failed, event dead-lettered', {
      rule: row.name,
      eventId: event.id,
      attempts,
      error: err.message,
    });
    writeDeadLetter(options.deadLetterDir, `${event.time}-${row.name}-${event.id}`, { rule: row.name, error: err.message, attempts, event });
  };

  const send: PutEventsSender = async (entries) => {
    const results: PutEventsResultEntry[] = entries.map((entry) => {
      let detail: unknown;
      try {
        detail = JSON.parse(entry.Detail ?? '');
      } catch {
        return { ErrorCode: 'MalformedDetail', ErrorMessage: 'Detail is not valid JSON' };
      }
      if (!entry.Source || !entry.DetailType) return { ErrorCode: 'InvalidArgument', ErrorMessage: 'Source and DetailType are required' };
      const event: EventBridgeEvent<string, unknown> = {
        version: '0',
        id: randomUUID(),
        'detail-type': entry.DetailType,
        source: entry.Source,
        account: LOCAL_ACCOUNT,
        time: (entry.Time ?? new Date()).toISOString().replace(/\.\d{3}Z$/, 'Z'),
        region,
        resources: entry.Resources ?? [],
        detail,
      };
      const rules = options.rows.filter((r) => r.source === event.source && r.detailTypes.includes(event['detail-type']));
      for (const row of rules) track(new Promise<void>((r) => setImmediate(r)).then(() => deliverToRule(event, row)));
      return { EventId: event.id };
    });
    return { FailedEntryCount: results.filter((r) => r.ErrorCode).length, Entries: results };
  };

  const idle = async () => {
    while (pending.size > 0) await Promise.allSettled([...pending]);
  };

  return {
    send,
    idle,
    // Finishing pending deliveries (retries included) before stopping matters: the local
    // relay checkpoints a batch only once its deliveries are done, so nothing is dropped.
    stop: idle,
  };
}
