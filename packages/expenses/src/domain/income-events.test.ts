import { createEvent, fixedClock } from '@budgeting/platform';
import { describe, expect, it } from 'vitest';
import { incomeDeleted, incomeRecorded, incomeUpdated } from '../events';
import type { Income } from '../model';
import { incomeChanges, incomeFacts } from './income-events';

const entry: Income = {
  id: 'in1',
  budgetId: 'b1',
  amount: 320000,
  receivedOn: '2026-11-28',
  source: 'Acme payroll',
  createdBy: 'u1',
  version: 1,
  createdAt: '2026-11-28T09:00:00.000Z',
  updatedAt: '2026-11-28T09:00:00.000Z',
};
const clock = fixedClock('2026-11-28T09:00:00Z');

describe('income events: facts and changes', () => {
  it("carries the entry's facts, text only when it has some, never who or when it was stored", () => {
    expect(incomeFacts(entry)).toEqual({ budgetId: 'b1', incomeId: 'in1', amount: 320000, receivedOn: '2026-11-28', source: 'Acme payroll' });
    expect(incomeFacts({ ...entry, source: undefined, description: 'Bonus' } as Income)).toEqual({ budgetId: 'b1', incomeId: 'in1', amount: 320000, receivedOn: '2026-11-28', description: 'Bonus' });
  });

  it('changes: before and after of each field that differs, absent text as null; none when nothing differs', () => {
    const { source: _dropped, ...withoutSource } = entry;
    const after: Income = { ...withoutSource, amount: 335000, description: 'with bonus', version: 2 };
    expect(incomeChanges(entry, after)).toEqual({
      amount: { before: 320000, after: 335000 },
      source: { before: 'Acme payroll', after: null },
      description: { before: null, after: 'with bonus' },
    });
    // Version and timestamps are not what a member changed.
    expect(incomeChanges(entry, { ...entry, version: 2, updatedAt: '2026-11-29T00:00:00.000Z' })).toEqual({});
    expect(incomeChanges(entry, { ...entry, receivedOn: '2026-12-01' })).toEqual({ receivedOn: { before: '2026-11-28', after: '2026-12-01' } });
  });
});

describe('income events: the contracts (v1 schemas)', () => {
  it('income.recorded takes the facts, createdBy and version; refuses a non-integer or zero amount, a bad date, empty text or a missing actor', async () => {
    const data = { ...incomeFacts(entry), createdBy: 'u1', version: 1 };
    const event = await createEvent(incomeRecorded, data, clock);
    expect(event).toMatchObject({ type: 'income.recorded', version: 1, occurredAt: '2026-11-28T09:00:00.000Z', data });
    for (const bad of [{ amount: 12.5 }, { amount: 0 }, { receivedOn: '2026-11-28T00:00:00Z' }, { source: '' }, { createdBy: undefined }, { incomeId: '' }]) {
      await expect(createEvent(incomeRecorded, { ...data, ...bad } as typeof data, clock), JSON.stringify(bad)).rejects.toThrow();
    }
  });

  it('income.updated needs `changes` (the field changes, possibly none) and updatedBy', async () => {
    const data = { ...incomeFacts(entry), updatedBy: 'u2', version: 2, changes: { amount: { before: 300000, after: 320000 } } };
    expect((await createEvent(incomeUpdated, data, clock)).data).toEqual(data);
    expect((await createEvent(incomeUpdated, { ...data, changes: {} }, clock)).data.changes).toEqual({});
    const { changes: _c, ...withoutChanges } = data;
    await expect(createEvent(incomeUpdated, withoutChanges as typeof data, clock)).rejects.toThrow();
    await expect(createEvent(incomeUpdated, { ...data, updatedBy: '' }, clock)).rejects.toThrow();
  });

  it('income.deleted carries what was deleted and deletedBy', async () => {
    const data = { ...incomeFacts({ ...entry, description: 'November salary' }), deletedBy: 'u3' };
    expect((await createEvent(incomeDeleted, data, clock)).data).toEqual(data);
    const { deletedBy: _d, ...withoutActor } = data;
    await expect(createEvent(incomeDeleted, withoutActor as typeof data, clock)).rejects.toThrow();
  });
});
