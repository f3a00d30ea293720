import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { ModuleStore } from '@budgeting/platform';
import { describe, expect, it } from 'vitest';
import { matchesRelayFilter } from '../../../packages/app/src/events/relay-filter';
import { relayedUnitGuard } from '../../../packages/app/src/jobs/relayed-units';
import { streamRecord } from '../events/stream-records';

describe("a relayed unit's claim on the table stream", () => {
  it('never invokes the relay: its INSERT, the retry\'s overwrite (MODIFY), its release and its TTL expiry (REMOVEs) all fail the event filter', async () => {
    const written: Record<string, unknown>[] = [];
    const doc = { send: async (command: { input: { Item?: Record<string, unknown> } }) => void (command.input.Item && written.push(command.input.Item)) } as unknown as DynamoDBDocumentClient;
    const now = Date.parse('2026-11-24T12:00:00Z');
    await relayedUnitGuard(new ModuleStore('jobs', doc, 'table'), () => now).claim({ key: 'users#unit#01J', send: 's1' });
    expect(written).toHaveLength(1);
    const claim = written[0]!;
    // The item as written (not a hand-made one): the kernel's prefix, no `kind`, no `publishes`.
    expect(claim).toMatchObject({ pk: 'jobs#ran#users#unit#01J', sk: 'jobs#ran', send: 's1', expiresAt: now / 1000 + 15 * 24 * 60 * 60 });
    for (const eventName of ['INSERT', 'MODIFY', 'REMOVE'] as const) expect(matchesRelayFilter(streamRecord(claim, eventName)), eventName).toBe(false);
  });
});
