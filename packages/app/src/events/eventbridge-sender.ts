import type { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import type { PutEventsSender } from './put-events';
import { AWS_ATTEMPT_HANDLER } from '../aws-attempts';

export interface EventBridgeSenderOptions {
  region: string;
  /** EVENTBRIDGE_ENDPOINT: an emulator or a VPC endpoint. */
  endpoint?: string;
  /** A ready client (tests, or a caller that shares one). */
  client?: EventBridgeClient;
}

/**
 * A PutEvents sender that creates its EventBridge client on first use. The one function also
 * serves HTTP: a cold start that only answers a request must not load or construct the
 * EventBridge SDK, so even the module is imported lazily (through eventbridge-sdk.ts, which
 * keeps the bundle to the one command used).
 *
 * maxAttempts is 1 because retries happen in putEventsWithRetry: it resends only the
 * entries that failed and keeps one bounded budget for the whole call.
 */
export function eventBridgeSender(options: EventBridgeSenderOptions): PutEventsSender {
  let ready: Promise<{ client: EventBridgeClient; Command: typeof import('./eventbridge-sdk').PutEventsCommand }> | undefined;
  const load = () =>
    (ready ??= import('./eventbridge-sdk').then((sdk) => ({
      Command: sdk.PutEventsCommand,
      client:
        options.client ??
        new sdk.EventBridgeClient({
          region: options.region,
          maxAttempts: 1,
          requestHandler: AWS_ATTEMPT_HANDLER,
          ...(options.endpoint ? { endpoint: options.endpoint } : {}),
          // An emulator on this machine needs no AWS account; a real endpoint keeps real credentials.
          ...(options.endpoint && isLoopback(options.endpoint)
            ? { credentials: { accessKeyId: 'local', secretAccessKey: 'local' } }
            : {}),
        }),
    })));
  return async (entries) => {
    const { client, Command } = await load();
    return client.send(new Command({ Entries: entries }));
  };
}

function isLoopback(endpoint: string): boolean {
  const host = new URL(endpoint).hostname;
  return host === 'localhost' || host === '127.0.0.1' || host === '[::1]';
}
