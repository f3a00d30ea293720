import { describe, expect, it } from 'vitest';
import type { Expense, RecurringExpense } from '../model';
import { changePercentOf, findPriceChanges, isOwnRecord, recordOf } from './price-changes';

const TODAY = '2026-12-20';

const definition = (id: string, amount: number, merchant: string | undefined, extra: Partial<RecurringExpense> = {}): RecurringExpense => ({
  id,
  budgetId: 'b',
  amount,
  categoryId: null,
  ...(merchant !== undefined ? { merchant } : {}),
  schedule: { frequency: 'monthly', interval: 1, startsOn: '2026-01-01' },
  nextOccurrenceOn: '2027-01-01',
  paused: false,
  createdBy: 'owner',
  version: 1,
  createdAt: '2026-01-01T00:00:00.000Z',
  updatedAt: '2026-01-01T00:00:00.000Z',
  ...extra,
});

let seq = 0;
/** A bank row (unreviewed, spelled the bank's way) unless `extra` says otherwise. */
const expense = (occurredOn: string, amount: number, merchant: string, extra: Partial<Expense> = {}): Expense => {
  seq += 1;
  return {
    id: `e${String(seq).padStart(3, '0')}`,
    budgetId: 'b',
    amount,
    categoryId: null,
    occurredOn,
    merchant,
    reviewed: false,
    createdBy: 'importer',
    version: 1,
    createdAt: `${occurredOn}T10:00:00.000Z`,
    updatedAt: `${occurredOn}T10:00:00.000Z`,
    ...extra,
  };
};
/** What the job records for `d` (occurrence-expense.ts): its merchant as typed, its creator, reviewed. */
const own = (d: RecurringExpense, occurredOn: string, amount = d.amount) => expense(occurredOn, amount, d.merchant!, { reviewed: true, createdBy: d.createdBy });

describe('changePercentOf', () => {
  it('gives one decimal, half away from zero, in integers', () => {
    expect(changePercentOf(250, 1_549)).toBe(16.1); // 16.139
    expect(changePercentOf(1, 8)).toBe(12.5);
    expect(changePercentOf(-1, 16)).toBe(-6.3); // -6.25
    expect(changePercentOf(-250, 1_799)).toBe(-13.9); // -13.896
    expect(changePercentOf(1_549, 1_549)).toBe(100);
    expect(changePercentOf(1, 3)).toBe(33.3);
    expect(changePercentOf(2, 3)).toBe(66.7);
  });
});

describe('isOwnRecord', () => {
  const d = definition('r1', 1_549, 'Netflix', { description: 'Streaming' });
  it('is the shape the job writes, whatever the amount', () => {
    expect(isOwnRecord({ merchant: 'Netflix', description: 'Streaming', createdBy: 'owner', reviewed: true }, d)).toBe(true);
    expect(isOwnRecord({ merchant: 'NETFLIX', description: 'Streaming', createdBy: 'owner', reviewed: true }, d)).toBe(false);
    expect(isOwnRecord({ merchant: 'Netflix', createdBy: 'owner', reviewed: true }, d)).toBe(false);
    expect(isOwnRecord({ merchant: 'Netflix', description: 'Streaming', createdBy: 'other', reviewed: true }, d)).toBe(false);
    expect(isOwnRecord({ merchant: 'Netflix', description: 'Streaming', createdBy: 'owner', reviewed: false }, d)).toBe(false);
  });
});

describe('recordOf', () => {
  const d = definition('r1', 1_549, 'Netflix', { description: 'Streaming' });
  const shape = { merchant: 'Netflix', description: 'Streaming', createdBy: 'owner', reviewed: true };
  const bankRow = { merchant: 'NETFLIX', createdBy: 'importer', reviewed: false };
  it('is any linked expense (this definition or another), whatever its shape', () => {
    expect(recordOf({ ...bankRow, recurringExpenseId: 'r1' }, d)).toBe(true);
    expect(recordOf({ ...bankRow, recurringExpenseId: 'r2' }, d)).toBe(true);
    expect(recordOf({ ...shape, description: 'Streaming, December', recurringExpenseId: 'r1' }, d)).toBe(true);
  });
  it('without a link, only the own shape (records from before the link)', () => {
    expect(recordOf(shape, d)).toBe(true);
    expect(recordOf(bankRow, d)).toBe(false);
    expect(recordOf({ ...shape, description: 'Streaming, December' }, d)).toBe(false);
  });
});

describe('findPriceChanges', () => {
  it('flags an increase seen twice since the last payment at the old price, between the own records at the old price', () => {
    const d = definition('r1', 1_549, 'Netflix');
    const expenses = [
      expense('2026-09-03', 1_549, 'NETFLIX'),
      own(d, '2026-10-01'),
      expense('2026-10-03', 1_799, 'NETFLIX'),
      own(d, '2026-11-01'),
      expense('2026-11-03', 1_799, 'NETFLIX'),
      own(d, '2026-12-01'),
    ];
    const latest = expenses[4]!;
    expect(findPriceChanges([d], expenses, TODAY)).toEqual([
      {
        recurringExpenseId: 'r1',
        merchant: 'Netflix',
        currentAmount: 1_549,
        newAmount: 1_799,
        change: 250,
        changePercent: 16.1,
        seenOn: '2026-11-03',
        expenseId: latest.id,
        update: { amount: 1_799 },
      },
    ]);
  });

  it('flags a decrease (negative change)', () => {
    const d = definition('r1', 2_000, 'Gym');
    const found = findPriceChanges([d], [expense('2026-11-05', 1_500, 'GYM'), expense('2026-12-05', 1_500, 'gym')], TODAY);
    expect(found).toMatchObject([{ currentAmount: 2_000, newAmount: 1_500, change: -500, changePercent: -25, seenOn: '2026-12-05', update: { amount: 1_500 } }]);
  });

  it('does not flag the same price', () => {
    const d = definition('r1', 1_549, 'Netflix');
    expect(findPriceChanges([d], [expense('2026-11-03', 1_549, 'NETFLIX'), expense('2026-12-03', 1_549, 'NETFLIX')], TODAY)).toEqual([]);
  });

  it('does not flag a one-off: another amount seen once, or once since the price came back', () => {
    const d = definition('r1', 1_549, 'Netflix');
    const oneOff = [expense('2026-10-03', 1_549, 'NETFLIX'), expense('2026-11-03', 1_549, 'NETFLIX'), expense('2026-11-20', 300, 'NETFLIX')];
    expect(findPriceChanges([d], oneOff, TODAY)).toEqual([]);
    // 300 twice, but the 1,549 between them resets the count: seen once since.
    const back = [expense('2026-10-10', 300, 'NETFLIX'), expense('2026-11-03', 1_549, 'NETFLIX'), expense('2026-12-10', 300, 'NETFLIX')];
    expect(findPriceChanges([d], back, TODAY)).toEqual([]);
    // The new price, then the old one again as the latest: not flagged.
    const reverted = [expense('2026-10-03', 1_799, 'NETFLIX'), expense('2026-11-03', 1_799, 'NETFLIX'), expense('2026-12-03', 1_549, 'NETFLIX')];
    expect(findPriceChanges([d], reverted, TODAY)).toEqual([]);
  });

});

describe('findPriceChanges: linked records', () => {
  const unlink = (expenses: Expense[]) => expenses.map(({ recurringExpenseId: _link, ...e }) => e);

  it('leaves out an own record a member edited (its shape no longer the definition\'s)', () => {
    const d = definition('r1', 1_549, 'Netflix');
    const expenses = [
      expense('2026-10-01', 1_549, 'Netflix', { reviewed: true, createdBy: 'owner', recurringExpenseId: 'r1' }),
      expense('2026-10-03', 1_799, 'NETFLIX'),
      expense('2026-11-01', 1_549, 'Netflix', { reviewed: true, createdBy: 'owner', recurringExpenseId: 'r1' }),
      expense('2026-11-03', 1_799, 'NETFLIX'),
      // The December occurrence, given a description afterwards: linked, so still a record.
      expense('2026-12-01', 1_549, 'Netflix', { reviewed: true, createdBy: 'owner', description: 'paid by card', recurringExpenseId: 'r1' }),
    ];
    // Payments: the two bank rows at 1,799 (none at 1,549 since): flagged, seen on 11-03.
    const found = findPriceChanges([d], expenses, TODAY);
    expect(found).toMatchObject([{ recurringExpenseId: 'r1', newAmount: 1_799, change: 250, seenOn: '2026-11-03', expenseId: expenses[3]!.id }]);
    expect(found).toHaveLength(1);
    // Without the links (records from before them), the edited one reads as a payment at
    // 1,549, the latest: nothing flagged (the misfire the link removes).
    expect(findPriceChanges([d], unlink(expenses), TODAY)).toEqual([]);
  });

  it("leaves out ANOTHER definition's records of the same merchant, at an amount that is no definition's now", () => {
    const a = definition('rA', 1_549, 'Netflix');
    // B went from 799 to 899; its records are a partner's (not A's shape).
    const b = definition('rB', 899, 'Netflix', { createdBy: 'partner' });
    const ofB = (day: string, amount: number) => expense(day, amount, 'Netflix', { reviewed: true, createdBy: 'partner', recurringExpenseId: 'rB' });
    const expenses = [expense('2026-10-03', 1_549, 'NETFLIX'), ofB('2026-10-05', 799), ofB('2026-11-05', 799), ofB('2026-12-05', 899)];
    // A's payments: the bank row at 1,549 only; B's: none (the bank row is A's amount).
    expect(findPriceChanges([a, b], expenses, TODAY)).toEqual([]);
    // Unlinked, B's two 799 records (no definition's amount now, not A's shape) read as A's
    // payments, the latest: A "went down" to 799 (-750), the misfire the link removes.
    expect(findPriceChanges([a, b], unlink(expenses), TODAY)).toMatchObject([{ recurringExpenseId: 'rA', newAmount: 799, change: -750, seenOn: '2026-11-05' }]);
  });
});

describe('findPriceChanges: merchants and definitions', () => {
  it('folds case and accents in the merchant', () => {
    const d = definition('r1', 990, 'Café Crème');
    const found = findPriceChanges([d], [expense('2026-11-01', 1_090, 'CAFE CREME'), expense('2026-12-01', 1_090, 'café crème')], TODAY);
    expect(found).toMatchObject([{ recurringExpenseId: 'r1', merchant: 'Café Crème', newAmount: 1_090, change: 100, changePercent: 10.1 }]);
    // A different merchant (not the same folded key) is not this bill.
    expect(findPriceChanges([d], [expense('2026-11-01', 1_090, 'Cafe'), expense('2026-12-01', 1_090, 'Cafe')], TODAY)).toEqual([]);
  });

  it('ignores a definition without a merchant, an ended one; keeps a paused one', () => {
    const noMerchant = definition('r1', 1_000, undefined);
    const ended = definition('r2', 1_549, 'Netflix', { nextOccurrenceOn: null });
    const endsBefore = definition('r3', 1_549, 'Netflix', { schedule: { frequency: 'monthly', interval: 1, startsOn: '2026-01-01', endsOn: '2026-12-19' } });
    const paused = definition('r4', 1_549, 'Netflix', { paused: true, nextOccurrenceOn: null });
    const expenses = [expense('2026-11-03', 1_799, 'NETFLIX'), expense('2026-12-03', 1_799, 'NETFLIX'), expense('2026-12-04', 1_200, 'Shop'), expense('2026-12-05', 1_200, 'Shop')];
    expect(findPriceChanges([noMerchant, ended, endsBefore, paused], expenses, TODAY).map((i) => i.recurringExpenseId)).toEqual(['r4']);
  });

  it("with several definitions of one merchant, each leaves out the others' amounts", () => {
    const a = definition('rA', 1_549, 'Netflix');
    const b = definition('rB', 799, 'Netflix');
    // A went up to 1,799; B still 799, its payments interleaved.
    const expenses = [
      expense('2026-10-01', 1_549, 'NETFLIX'),
      expense('2026-10-05', 799, 'NETFLIX'),
      expense('2026-11-01', 1_799, 'NETFLIX'),
      expense('2026-11-05', 799, 'NETFLIX'),
      expense('2026-12-01', 1_799, 'NETFLIX'),
      expense('2026-12-05', 799, 'NETFLIX'),
    ];
    expect(findPriceChanges([a, b], expenses, TODAY)).toMatchObject([{ recurringExpenseId: 'rA', newAmount: 1_799, change: 250, seenOn: '2026-12-01' }]);
  });

  it('sorts the largest increase first (decreases last); a split definition gets no update body; later dates are left out', () => {
    const small = definition('r1', 1_000, 'Phone');
    const big = definition('r2', 10_000, 'Rent', { splits: [{ categoryId: null, amount: 6_000 }, { categoryId: null, amount: 4_000 }] });
    const down = definition('r3', 2_000, 'Gym');
    const expenses = [
      ...['2026-11-02', '2026-12-02'].map((day) => expense(day, 1_100, 'Phone')),
      ...['2026-11-01', '2026-12-01'].map((day) => expense(day, 11_000, 'Rent')),
      ...['2026-11-05', '2026-12-05'].map((day) => expense(day, 1_500, 'Gym')),
      expense('2026-12-21', 1_200, 'Phone'), // after today: not read as paid
    ];
    const found = findPriceChanges([small, down, big], expenses, TODAY);
    expect(found.map((i) => [i.recurringExpenseId, i.change])).toEqual([
      ['r2', 1_000],
      ['r1', 100],
      ['r3', -500],
    ]);
    expect(found[0]!.update).toBeUndefined();
    expect(found[1]!.update).toEqual({ amount: 1_100 });
  });

  it('gets no update body for a definition shared by exact amounts (its amounts must add up to the new price)', () => {
    const shared = definition('r1', 1_549, 'Netflix', { sharedAmounts: [{ userId: 'u1', amount: 1_000 }, { userId: 'u2', amount: 549 }] });
    const found = findPriceChanges([shared], ['2026-11-03', '2026-12-03'].map((day) => expense(day, 1_799, 'NETFLIX')), TODAY);
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ newAmount: 1_799, change: 250 });
    expect(found[0]!.update).toBeUndefined();
  });
});
