import { describe, expect, it } from 'vitest';
import type { BillDueSoonNotification } from '../model';
import { billPush, billText } from './bill-message';

const base: BillDueSoonNotification = {
  id: 'n1', userId: 'u1', kind: 'bill.due_soon', budgetId: 'b1', budgetName: 'Household', recurringExpenseId: 'r1', dueOn: '2026-12-01',
  amount: 120_000, currency: 'EUR', merchant: 'Rent Co', description: 'Rent', message: '', createdAt: '2026-11-30T00:00:00.000Z', readAt: null,
};

describe("a bill reminder's text", () => {
  it('names the merchant, the amount in major units, the date and the budget', () => {
    expect(billText(base)).toEqual({ title: 'Rent Co is due tomorrow', body: 'Rent Co: 1200.00 EUR due tomorrow (2026-12-01) in Household.' });
    expect(billText({ ...base, amount: 999, currency: 'JPY' }).body).toBe('Rent Co: 999 JPY due tomorrow (2026-12-01) in Household.');
  });

  it('falls back on the description, then on a plain name', () => {
    expect(billText({ ...base, merchant: null }).title).toBe('Rent is due tomorrow');
    expect(billText({ ...base, merchant: null, description: null }).body).toBe('A recurring expense: 1200.00 EUR due tomorrow (2026-12-01) in Household.');
  });

  it('pushes ids the app opens the recurring expense with', () => {
    expect(billPush(base, 'd1')).toMatchObject({ id: 'bill-n1-d1', data: { notificationId: 'n1', kind: 'bill.due_soon', budgetId: 'b1', recurringExpenseId: 'r1', dueOn: '2026-12-01' } });
  });
});
