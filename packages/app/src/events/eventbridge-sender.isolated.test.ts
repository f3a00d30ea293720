import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { mockClient } from 'aws-sdk-client-mock';
import { describe, expect, it, vi } from 'vitest';
import { eventBridgeSender } from './eventbridge-sender';

/** The EventBridge client is built on the first publish only, with the configured endpoint. */
const constructed = vi.hoisted(() => [] as Record<string, unknown>[]);
vi.mock('@aws-sdk/client-eventbridge', async (importOriginal) => {
  const sdk = await importOriginal<typeof import('@aws-sdk/client-eventbridge')>();
  class CountingClient extends sdk.EventBridgeClient {
    constructor(config: import('@aws-sdk/client-eventbridge').EventBridgeClientConfig) {
      constructed.push(config as Record<string, unknown>);
      super(config);
    }
  }
  return { ...sdk, EventBridgeClient: CountingClient };
});

describe('eventBridgeSender', () => {
  it('creates the client lazily, once, with the endpoint override and its own retries off', async () => {
    const eventBridge = mockClient(EventBridgeClient);
    eventBridge.on(PutEventsCommand).resolves({ FailedEntryCount: 0, Entries: [{ EventId: '1' }] });
    const send = eventBridgeSender({ region: 'eu-west-1', endpoint: 'http://127.0.0.1:4010' });
    expect(constructed).toHaveLength(0);

    await send([{ Source: 's', DetailType: 't', Detail: '{}' }]);
    await send([{ Source: 's', DetailType: 't', Detail: '{}' }]);
    expect(constructed).toEqual([
      expect.objectContaining({
        region: 'eu-west-1',
        endpoint: 'http://127.0.0.1:4010',
        maxAttempts: 1,
        credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
      }),
    ]);
    expect(eventBridge.commandCalls(PutEventsCommand)).toHaveLength(2);
    eventBridge.restore();
  });

  it('keeps the real credential chain for a non-local endpoint', async () => {
    const eventBridge = mockClient(EventBridgeClient);
    eventBridge.on(PutEventsCommand).resolves({ FailedEntryCount: 0, Entries: [] });
    constructed.length = 0;
    await eventBridgeSender({ region: 'eu-west-1', endpoint: 'https://vpce-1.events.eu-west-1.vpce.amazonaws.com' })([]);
    expect(constructed[0]).not.toHaveProperty('credentials');
    eventBridge.restore();
  });
});
