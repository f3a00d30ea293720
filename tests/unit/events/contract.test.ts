import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import {
  createEvent,
  defineEvent,
  EventTooLargeError,
  fixedClock,
  isEventContract,
  markOutboxRelayed,
  NotAnOutboxKeyError,
  parseEnvelope,
} from '@budgeting/platform';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';

const noted = defineEvent('budgets', 'budget.noted', 3, z.object({ note: z.string().max(400_000) }));
const clock = fixedClock('2026-11-24T12:00:00Z');

describe('event contracts', () => {
  it('builds a valid envelope when published and refuses an invalid payload', () => {
    const event = createEvent(noted, { note: 'hi' }, clock);
    expect(event).toMatchObject({ type: 'budget.noted', version: 3, occurredAt: '2026-11-24T12:00:00.000Z', data: { note: 'hi' } });
    expect(() => createEvent(noted, { note: 42 } as never, clock)).toThrow();
  });

  it('refuses, when published, an event EventBridge could never accept (over 256 KB)', () => {
    expect(() => createEvent(noted, { note: 'x'.repeat(262_000) }, clock)).toThrow(EventTooLargeError);
    expect(() => createEvent(noted, { note: 'x'.repeat(200_000) }, clock)).not.toThrow();
  });

  it('validates a received detail and names what is wrong', () => {
    const event = createEvent(noted, { note: 'hi' }, clock);
    expect(parseEnvelope(noted, JSON.parse(JSON.stringify(event)))).toEqual({ ok: true, event });
    expect(parseEnvelope(noted, { ...event, version: 2 })).toMatchObject({ ok: false, issues: [{ path: 'version' }] });
    expect(parseEnvelope(noted, { ...event, data: {} })).toMatchObject({ ok: false, issues: [{ path: 'data.note' }] });
    expect(parseEnvelope(noted, 'garbage')).toMatchObject({ ok: false, issues: [{ path: '' }] });
  });

  it('recognises contracts among a module entry’s exports', () => {
    expect(isEventContract(noted)).toBe(true);
    expect(isEventContract({ module: 'x', type: 't', version: 1, source: 's', data: {}, envelope: {} })).toBe(false);
    expect(isEventContract(z.object({}))).toBe(false);
  });
});

describe('markOutboxRelayed', () => {
  const doc = DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'us-east-1', endpoint: 'http://127.0.0.1:9' }));
  it('refuses any key that is not an outbox item key, before sending anything', async () => {
    for (const key of [
      { pk: 'budgets#budget#1', sk: 'budgets#budget' },
      { pk: 'budgets#outbox#1', sk: 'expenses#outbox' },
      { pk: 'budgets#outbox#1#extra', sk: 'budgets#outbox' },
      { pk: 'users#inbox#sub#1', sk: 'users#inbox' },
    ]) {
      await expect(markOutboxRelayed(doc, 'table', key, new Date())).rejects.toBeInstanceOf(NotAnOutboxKeyError);
    }
  });
});
