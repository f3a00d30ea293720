import { describe, expect, it } from 'vitest';
import { MAX_AMOUNT_MINOR } from '@budgeting/platform';
import { CreateExpenseBody, UpdateExpenseBody } from '../schemas/expenses.schemas';
import { CreateRecurringExpenseBody } from '../schemas/recurring.schemas';
import { foreignCurrencyProblem, foreignField, patchForeign, sameForeign } from './foreign';

/** The foreign amount's rules (domain/foreign.ts) and the schemas' checks, each problem naming its field. */
describe('foreign amounts', () => {
  it('a create stores a copy when sent, nothing otherwise; a PATCH replaces, null removes, undefined keeps', () => {
    const sent = { amount: 8000, currency: 'JPY' };
    const stored = foreignField(sent);
    expect(stored).toEqual({ foreign: { amount: 8000, currency: 'JPY' } });
    expect(stored.foreign).not.toBe(sent);
    expect(foreignField(undefined)).toEqual({});
    expect(foreignField(null)).toEqual({});

    const next: { foreign?: { amount: number; currency: string } } = { foreign: { amount: 1, currency: 'GBP' } };
    patchForeign(next, undefined);
    expect(next).toEqual({ foreign: { amount: 1, currency: 'GBP' } });
    patchForeign(next, { amount: 1250, currency: 'BHD' });
    expect(next).toEqual({ foreign: { amount: 1250, currency: 'BHD' } });
    patchForeign(next, null);
    expect('foreign' in next).toBe(false);
  });

  it("refuses only the budget's own currency, naming foreign.currency", () => {
    expect(foreignCurrencyProblem({ amount: 1, currency: 'EUR' }, 'EUR')).toEqual({ path: 'foreign.currency', message: expect.stringContaining('(EUR)') });
    expect(foreignCurrencyProblem({ amount: 1, currency: 'JPY' }, 'EUR')).toBeUndefined();
    expect(foreignCurrencyProblem(undefined, 'EUR')).toBeUndefined();
    expect(foreignCurrencyProblem(null, 'EUR')).toBeUndefined();
  });

  it('compares by value, none equal to none', () => {
    expect(sameForeign(undefined, undefined)).toBe(true);
    expect(sameForeign({ amount: 1, currency: 'JPY' }, { amount: 1, currency: 'JPY' })).toBe(true);
    expect(sameForeign({ amount: 1, currency: 'JPY' }, { amount: 1, currency: 'KRW' })).toBe(false);
    expect(sameForeign({ amount: 1, currency: 'JPY' }, { amount: 2, currency: 'JPY' })).toBe(false);
    expect(sameForeign({ amount: 1, currency: 'JPY' }, undefined)).toBe(false);
  });

  const problemPaths = (result: { success: boolean; error?: { issues: { path: PropertyKey[] }[] } }) =>
    result.success ? [] : result.error!.issues.map((i) => i.path.join('.'));

  it('the schemas accept an integer amount 1..MAX_AMOUNT_MINOR and a listed code in capitals', () => {
    for (const foreign of [
      { amount: 1, currency: 'JPY' },
      { amount: MAX_AMOUNT_MINOR, currency: 'BHD' },
      { amount: 1250, currency: 'USD' },
    ]) {
      expect(CreateExpenseBody.safeParse({ amount: 1, foreign }).success).toBe(true);
      expect(CreateRecurringExpenseBody.safeParse({ amount: 1, foreign, schedule: { frequency: 'monthly' } }).success).toBe(true);
    }
    expect(UpdateExpenseBody.safeParse({ foreign: null }).success).toBe(true);
  });

  it('the schemas refuse a bad foreign amount naming foreign, foreign.amount or foreign.currency', () => {
    const paths = (foreign: unknown) => problemPaths(CreateExpenseBody.safeParse({ amount: 1, foreign }));
    expect(paths('8000 JPY')).toEqual(['foreign']);
    expect(paths(null)).toEqual(['foreign']);
    expect(paths({ amount: 8000, currency: 'JPY', rate: 0.0065 })).toEqual(['foreign']);
    expect(paths({ currency: 'JPY' })).toEqual(['foreign.amount']);
    expect(paths({ amount: 0, currency: 'JPY' })).toEqual(['foreign.amount']);
    expect(paths({ amount: 12.5, currency: 'JPY' })).toEqual(['foreign.amount']);
    expect(paths({ amount: '8000', currency: 'JPY' })).toEqual(['foreign.amount']);
    expect(paths({ amount: MAX_AMOUNT_MINOR + 1, currency: 'JPY' })).toEqual(['foreign.amount']);
    expect(paths({ amount: 8000 })).toEqual(['foreign.currency']);
    // As a budget's currency: capitals only (refused, not normalized), and a listed code.
    expect(paths({ amount: 8000, currency: 'jpy' })).toEqual(['foreign.currency']);
    expect(paths({ amount: 8000, currency: 'XYZ' })).toEqual(['foreign.currency']);
    expect(paths({ amount: 8000, currency: ' JPY' })).toEqual(['foreign.currency']);
    expect(problemPaths(UpdateExpenseBody.safeParse({ foreign: { amount: 8000 } }))).toEqual(['foreign.currency']);
  });
});
