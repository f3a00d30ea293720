import {
  createEvent,
  defineEvent,
  EventTooLargeError,
  fixedClock,
  isEventContract,
  isOutboxItem,
  publishedFields,
  parseEnvelope,
} from '@budgeting/platform';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';

const noted = defineEvent('budgets', 'budget.noted', 3, z.object({ note: z.string().max(400_000) }));
const clock = fixedClock('2026-11-24T12:00:00Z');

describe('event contracts', () => {
  it('builds a valid envelope when published and refuses an invalid payload', async () => {
    const event = await createEvent(noted, { note: 'hi' }, clock);
    expect(event).toMatchObject({ type: 'budget.noted', version: 3, occurredAt: '2026-11-24T12:00:00.000Z', data: { note: 'hi' } });
    await expect(createEvent(noted, { note: 42 } as never, clock)).rejects.toThrow();
  });

  it('refuses, when published, an event EventBridge could never accept (over 256 KB)', async () => {
    await expect(createEvent(noted, { note: 'x'.repeat(262_000) }, clock)).rejects.toThrow(EventTooLargeError);
    await expect(createEvent(noted, { note: 'x'.repeat(200_000) }, clock)).resolves.toBeDefined();
  });

  it('validates a received detail and names what is wrong', async () => {
    const event = await createEvent(noted, { note: 'hi' }, clock);
    expect(await parseEnvelope(noted, JSON.parse(JSON.stringify(event)))).toEqual({ ok: true, event });
    expect(await parseEnvelope(noted, { ...event, version: 2 })).toMatchObject({ ok: false, issues: [{ path: 'version' }] });
    expect(await parseEnvelope(noted, { ...event, data: {} })).toMatchObject({ ok: false, issues: [{ path: 'data.note' }] });
    expect(await parseEnvelope(noted, 'garbage')).toMatchObject({ ok: false, issues: [{ path: '' }] });
  });

  it('builds a payload schema given as a function on first use only, then the same as one given directly', async () => {
    let built = 0;
    const lazy = defineEvent('budgets', 'budget.noted', 3, () => {
      built++;
      return z.object({ note: z.string().max(400_000) });
    });
    expect(built).toBe(0);
    expect(lazy.source).toBe('budgeting.budgets');
    expect(built).toBe(0);
    const event = await createEvent(lazy, { note: 'hi' }, clock);
    expect(await parseEnvelope(lazy, { ...event, data: {} })).toMatchObject({ ok: false, issues: [{ path: 'data.note' }] });
    expect(isEventContract(lazy)).toBe(true);
    expect(built).toBe(1);
    await expect(createEvent(lazy, { note: 42 } as never, clock)).rejects.toThrow();
  });

  it('recognises contracts among a module entry’s exports', () => {
    expect(isEventContract(noted)).toBe(true);
    expect(isEventContract({ module: 'x', type: 't', version: 1, source: 's', data: {}, envelope: {} })).toBe(false);
    expect(isEventContract(z.object({}))).toBe(false);
  });
});

describe('items that publish an event', () => {
  it('an item of another kind publishes only when marked, with the outbox attributes', async () => {
    const event = await createEvent(noted, { note: 'hi' }, clock);
    const fields = publishedFields(noted, event);
    expect(isOutboxItem({ pk: 'budgets#change#1', sk: 'budgets#change', kind: 'budget-change', ...fields })).toBe(true);
    expect(fields).toMatchObject({ publishes: true, source: 'budgeting.budgets', detailType: 'budget.noted', createdAt: event.occurredAt });
    const { publishes: _marker, ...unmarked } = fields;
    expect(isOutboxItem({ pk: 'budgets#change#1', sk: 'budgets#change', kind: 'budget-change', ...unmarked })).toBe(false);
  });
});
