import { describe, expect, it } from 'vitest';
import { applyCategories, toCategory } from './categories';

const current = [
  { id: 'c1', name: 'Food', limit: 100 },
  { id: 'c2', name: 'Fun' },
];

describe('applyCategories', () => {
  it('keeps ids sent back, creates entries without id, drops the rest', () => {
    let n = 0;
    const { categories, errors } = applyCategories(
      current,
      [{ id: 'c2', name: 'Leisure', limit: 50 }, { name: 'Rent' }],
      () => `new${++n}`,
    );
    expect(errors).toEqual([]);
    expect(categories).toEqual([
      { id: 'c2', name: 'Leisure', limit: 50 },
      { id: 'new1', name: 'Rent' },
    ]);
  });

  it('drops a limit sent as null', () => {
    const { categories } = applyCategories(current, [{ id: 'c1', name: 'Food', limit: null }], () => 'x');
    expect(categories).toEqual([{ id: 'c1', name: 'Food' }]);
  });

  it('names unknown and repeated ids', () => {
    const { errors } = applyCategories(
      current,
      [{ id: 'c1', name: 'A' }, { id: 'nope', name: 'B' }, { id: 'c1', name: 'C' }],
      () => 'x',
    );
    expect(errors).toEqual([
      { path: 'categories.1.id', message: 'No category with this id in the budget' },
      { path: 'categories.2.id', message: 'The same category id appears twice' },
    ]);
  });
});

describe('toCategory', () => {
  it('builds one shape whatever order or nulls it was given: the PATCH compares JSON', () => {
    expect(JSON.stringify(toCategory('c1', { group: 'Bills', limit: 5, name: 'Rent' }))).toBe('{"id":"c1","name":"Rent","limit":5,"group":"Bills"}');
    expect(toCategory('c1', { name: 'Rent', limit: null, group: null })).toEqual({ id: 'c1', name: 'Rent' });
  });

  it('a PATCH entry moves a kept category to another group', () => {
    const { categories } = applyCategories([{ id: 'c1', name: 'Food', group: 'Everyday' }], [{ id: 'c1', name: 'Food', group: 'Fun' }], () => 'x');
    expect(categories).toEqual([{ id: 'c1', name: 'Food', group: 'Fun' }]);
  });
});
