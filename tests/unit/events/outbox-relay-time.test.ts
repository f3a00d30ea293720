import { describe, expect, it } from 'vitest';
import { toEntry } from '../../../packages/app/src/events/outbox-relay';

/**
 * The relay's `Time` for an event: the item's `createdAt` when it has one (outbox items, and
 * change entries written before they stopped repeating it), else the detail's `occurredAt`
 * (the expenses change entries state the event's time once, in the detail).
 */
const detail = JSON.stringify({ id: 'e1', type: 'expense.recorded', version: 1, occurredAt: '2026-11-20T10:00:00.000Z', data: {} });
const base = { pk: 'expenses#changes#b1', sk: 'expenses#change#03#000000000007', kind: 'outbox' as const, source: 'budgeting.expenses', detailType: 'expense.recorded', detail, expiresAt: 1 };

describe('the relay entry of an item', () => {
  it("takes the detail's occurredAt when the item has no createdAt", () => {
    expect(toEntry(base, 'bus').Time).toEqual(new Date('2026-11-20T10:00:00.000Z'));
  });

  it('takes createdAt when the item has one (items written before)', () => {
    expect(toEntry({ ...base, createdAt: '2026-11-19T09:00:00.000Z' }, 'bus').Time).toEqual(new Date('2026-11-19T09:00:00.000Z'));
  });

  it('sends no Time when neither says one', () => {
    expect(toEntry({ ...base, detail: '{"id":"e1"}' }, 'bus').Time).toBeUndefined();
    expect(toEntry({ ...base, detail: 'not json' }, 'bus').Time).toBeUndefined();
  });
});
