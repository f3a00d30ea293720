import type { EventEnvelope } from '@budgeting/platform';
import { describe as suite, expect, it } from 'vitest';
import { describe } from './describe';

const envelope = (type: string, data: Record<string, unknown>): EventEnvelope =>
  ({ id: '01JEVENT0000000000000000001', type, version: 1, occurredAt: '2026-11-28T09:00:00.000Z', data }) as unknown as EventEnvelope;

suite('activity entries of income', () => {
  it('income.recorded: by its creator, its facts as afters ("Ada recorded income Acme payroll 3,200.00 on 2026-11-28")', () => {
    const entry = describe(envelope('income.recorded', { budgetId: 'b1', incomeId: 'in1', amount: 320000, receivedOn: '2026-11-28', source: 'Acme payroll', createdBy: 'u1', version: 1 }));
    expect(entry).toEqual({
      id: '01JEVENT0000000000000000001',
      at: '2026-11-28T09:00:00.000Z',
      budgetId: 'b1',
      actor: { type: 'user', id: 'u1' },
      action: 'income.recorded',
      subject: { type: 'income', id: 'in1' },
      changes: { amount: { before: null, after: 320000 }, receivedOn: { before: null, after: '2026-11-28' }, source: { before: null, after: 'Acme payroll' } },
    });
  });

  it('income.recorded of a paycheck recorded now (record-next): by the member who asked (`recordedBy`), not the definition\'s creator', () => {
    const data = { budgetId: 'b1', incomeId: 'in2', amount: 1000, receivedOn: '2026-11-28', createdBy: 'u1', version: 1, via: 'recurring', recurringIncomeId: 'r1', recordedBy: 'u2' };
    expect(describe(envelope('income.recorded', data))).toMatchObject({ actor: { type: 'user', id: 'u2' }, action: 'income.recorded', subject: { type: 'income', id: 'in2' } });
    const { recordedBy: _asker, ...byTheJob } = data;
    expect(describe(envelope('income.recorded', byTheJob))).toMatchObject({ actor: { type: 'user', id: 'u1' } });
  });

  it("income.updated: by who changed it, the event's before/after as they are", () => {
    const changes = { amount: { before: 320000, after: 335000 }, description: { before: 'Salary', after: null } };
    const entry = describe(envelope('income.updated', { budgetId: 'b1', incomeId: 'in1', amount: 335000, receivedOn: '2026-11-28', updatedBy: 'u2', version: 2, changes }));
    expect(entry).toMatchObject({ actor: { type: 'user', id: 'u2' }, action: 'income.updated', subject: { type: 'income', id: 'in1' }, changes });
  });

  it('income.deleted: by who deleted it, what was deleted as befores', () => {
    const entry = describe(envelope('income.deleted', { budgetId: 'b1', incomeId: 'in1', amount: 4500, receivedOn: '2026-11-10', description: 'Tax refund', deletedBy: 'u3' }));
    expect(entry).toMatchObject({
      actor: { type: 'user', id: 'u3' },
      action: 'income.deleted',
      subject: { type: 'income', id: 'in1' },
      changes: { amount: { before: 4500, after: null }, receivedOn: { before: '2026-11-10', after: null }, description: { before: 'Tax refund', after: null } },
    });
    expect(entry!.changes).not.toHaveProperty('source');
  });

  it('income.recorded with restoredBy: income.restored by who restored it (not the creator), what came back as afters', () => {
    const entry = describe(envelope('income.recorded', { budgetId: 'b1', incomeId: 'in1', amount: 4500, receivedOn: '2026-11-10', createdBy: 'u1', version: 2, restoredBy: 'u3' }));
    expect(entry).toMatchObject({
      actor: { type: 'user', id: 'u3' },
      action: 'income.restored',
      subject: { type: 'income', id: 'in1' },
      changes: { amount: { before: null, after: 4500 }, receivedOn: { before: null, after: '2026-11-10' } },
    });
  });
});

suite('activity entries of an expense split by exact amounts', () => {
  const parts = [{ userId: 'u1', amount: 3000 }, { userId: 'u2', amount: 6000 }];
  const facts = { budgetId: 'b1', expenseId: 'e1', amount: 9000, categoryId: null, occurredOn: '2026-11-28', merchant: null, sharedAmounts: parts };

  it('expense.recorded and expense.deleted show sharedAmounts as their after / before, as sharedWith', () => {
    expect(describe(envelope('expense.recorded', { ...facts, createdBy: 'u1', version: 1 }))!.changes).toMatchObject({ sharedAmounts: { before: null, after: parts } });
    expect(describe(envelope('expense.deleted', { ...facts, deletedBy: 'u1' }))!.changes).toMatchObject({ sharedAmounts: { before: parts, after: null } });
    const { sharedAmounts: _none, ...plain } = facts;
    expect(describe(envelope('expense.recorded', { ...plain, createdBy: 'u1', version: 1 }))!.changes).not.toHaveProperty('sharedAmounts');
  });
});
