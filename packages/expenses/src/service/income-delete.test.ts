import { describe, expect, it } from 'vitest';
import type { Income } from '../model';
import { tombstoneUntil } from './income-delete';

const entry = (createdAt: string, extra: Partial<Income> = {}): Income => ({
  id: '01JDINCOME00000000000000001', budgetId: '01JDBUDGET00000000000000001', amount: 100, receivedOn: '2026-11-24',
  createdBy: 'u', version: 1, createdAt, updatedAt: createdAt, ...extra,
});

describe('tombstoneUntil (the income DELETE\'s tombstone)', () => {
  it('an entry created in the last 24 h: until 24 h after its creation (epoch seconds)', () => {
    // 2026-11-24T12:00:00Z is 1795521600; + 86400.
    expect(tombstoneUntil(entry('2026-11-24T12:00:00.000Z'), new Date('2026-11-24T13:00:00Z'))).toBe(1795608000);
    expect(tombstoneUntil(entry('2026-11-24T12:00:00.000Z'), new Date('2026-11-25T11:59:59Z'))).toBe(1795608000);
  });
  it('none 24 h after its creation, nor for an entry a recurring definition recorded', () => {
    expect(tombstoneUntil(entry('2026-11-24T12:00:00.000Z'), new Date('2026-11-25T12:00:00Z'))).toBeUndefined();
    expect(tombstoneUntil(entry('2026-11-24T12:00:00.000Z', { recurringIncomeId: '01JDDEF0000000000000000001' }), new Date('2026-11-24T13:00:00Z'))).toBeUndefined();
  });
});
