import { describe, expect, it } from 'vitest';
import { storedFilter } from './stored-filters';

/** The FilterExpression of a search: review is the presence of `unreviewed` (absent: reviewed). */
describe('storedFilter', () => {
  it('reviewed=false asks for the flag, reviewed=true for its absence, with no value to compare', () => {
    expect(storedFilter({ reviewed: false })).toEqual({ expression: 'attribute_exists(#unreviewed)', names: { '#unreviewed': 'unreviewed' }, values: {} });
    expect(storedFilter({ reviewed: true })).toEqual({ expression: 'attribute_not_exists(#unreviewed)', names: { '#unreviewed': 'unreviewed' }, values: {} });
  });

  it('joins it with the other stored conditions by AND; text alone has none', () => {
    expect(storedFilter({ createdBy: 'u1', reviewed: false })).toEqual({
      expression: '#createdBy = :createdBy AND attribute_exists(#unreviewed)',
      names: { '#createdBy': 'createdBy', '#unreviewed': 'unreviewed' },
      values: { ':createdBy': 'u1' },
    });
    expect(storedFilter({ text: 'cafe' })).toBeUndefined();
  });

  it('recurringExpenseId compares the stored link exactly (an expense without one fails it)', () => {
    expect(storedFilter({ createdBy: 'u1', recurringExpenseId: 'r1' })).toEqual({
      expression: '#createdBy = :createdBy AND #recurringExpenseId = :recurringExpenseId',
      names: { '#createdBy': 'createdBy', '#recurringExpenseId': 'recurringExpenseId' },
      values: { ':createdBy': 'u1', ':recurringExpenseId': 'r1' },
    });
  });
});
