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

describe('category rollover in applyCategories', () => {
  const rolling = [
    { id: 'c1', name: 'Food', limit: 100, rollover: true as const, rolloverSince: '2026-03-01' },
    { id: 'c2', name: 'Fun', limit: 50 },
  ];

  it('accepts rolloverSince sent back unchanged (a category echoed from GET) and ignores it; any other is named', () => {
    const echoed = applyCategories(rolling, [{ ...rolling[0]! }, { ...rolling[1]! }], () => 'x', '2026-11-01');
    expect(echoed.errors).toEqual([]);
    expect(echoed.categories).toEqual(rolling);
    // Echoed with rollover turned off: accepted, and removed with the rollover.
    expect(applyCategories(rolling, [{ ...rolling[0]!, rollover: false }], () => 'x', '2026-11-01').categories).toEqual([{ id: 'c1', name: 'Food', limit: 100 }]);
    const wrong = applyCategories(
      rolling,
      [
        { ...rolling[0]!, rolloverSince: '2026-01-01' },
        { id: 'c2', name: 'Fun', limit: 50, rollover: true, rolloverSince: '2026-03-01' },
        { name: 'New', limit: 1, rollover: true, rolloverSince: '2026-03-01' },
      ],
      () => 'x',
      '2026-11-01',
    );
    expect(wrong.errors.map((e) => e.path)).toEqual(['categories.0.rolloverSince', 'categories.1.rolloverSince', 'categories.2.rolloverSince']);
    expect(wrong.errors[0]!.message).toContain('2026-03-01');
  });

  it('keeps rolloverSince while rollover stays on, sets it when turned on or new, removes it when off', () => {
    let n = 0;
    const { categories } = applyCategories(
      rolling,
      [
        { id: 'c1', name: 'Food', limit: 120, rollover: true },
        { id: 'c2', name: 'Fun', limit: 50, rollover: true },
        { name: 'Car', limit: 70, rollover: true },
      ],
      () => `new${++n}`,
      '2026-06-01',
    );
    expect(categories).toEqual([
      { id: 'c1', name: 'Food', limit: 120, rollover: true, rolloverSince: '2026-03-01' },
      { id: 'c2', name: 'Fun', limit: 50, rollover: true, rolloverSince: '2026-06-01' },
      { id: 'new1', name: 'Car', limit: 70, rollover: true, rolloverSince: '2026-06-01' },
    ]);
    // Left out (a PATCH entry is the category's whole state) or false: off, rolloverSince gone.
    const off = applyCategories(rolling, [{ id: 'c1', name: 'Food', limit: 100 }], () => 'x', '2026-06-01').categories;
    expect(off).toEqual([{ id: 'c1', name: 'Food', limit: 100 }]);
    // Turned on again later: a new rolloverSince (carrying restarts).
    expect(applyCategories(off, [{ id: 'c1', name: 'Food', limit: 100, rollover: true }], () => 'x', '2026-07-01').categories[0]!.rolloverSince).toBe('2026-07-01');
  });

  it('has one JSON shape with rollover last, so an unchanged PATCH compares equal', () => {
    expect(JSON.stringify(toCategory('c1', { rolloverSince: '2026-03-01', rollover: true, group: 'G', limit: 5, name: 'Rent' }))).toBe(
      '{"id":"c1","name":"Rent","limit":5,"group":"G","rollover":true,"rolloverSince":"2026-03-01"}',
    );
  });

  it('keeps a target on a rollover category in one key order, and never on another', () => {
    expect(
      JSON.stringify(toCategory('c1', { target: { by: '2027-06-30', amount: 120000 }, rolloverSince: '2026-03-01', rollover: true, limit: 5, name: 'Car' })),
    ).toBe('{"id":"c1","name":"Car","limit":5,"rollover":true,"rolloverSince":"2026-03-01","target":{"amount":120000,"by":"2027-06-30"}}');
    // The schemas refuse a target without rollover; a stored category never carries one alone.
    expect(toCategory('c1', { name: 'Car', limit: 5, target: { amount: 1, by: '2027-06-30' } })).toEqual({ id: 'c1', name: 'Car', limit: 5 });
    // A PATCH entry without the target removes it; one keeping rollover keeps rolloverSince.
    const rolling = [{ id: 'c1', name: 'Car', limit: 5, rollover: true as const, rolloverSince: '2026-03-01', target: { amount: 9, by: '2027-01-01' } }];
    expect(applyCategories(rolling, [{ id: 'c1', name: 'Car', limit: 5, rollover: true }], () => 'x', '2026-06-01').categories).toEqual([
      { id: 'c1', name: 'Car', limit: 5, rollover: true, rolloverSince: '2026-03-01' },
    ]);
  });
});

describe('category note and hidden', () => {
  it('keeps a note and hidden: true last, drops an empty note and hidden false or null, and a PATCH entry without them removes them', () => {
    expect(JSON.stringify(toCategory('c1', { hidden: true, note: 'Market on Saturdays', group: 'G', limit: 5, name: 'Food' }))).toBe(
      '{"id":"c1","name":"Food","limit":5,"group":"G","note":"Market on Saturdays","hidden":true}',
    );
    // Stored only when set: a category without them is exactly as before they existed.
    expect(toCategory('c1', { name: 'Food', note: '', hidden: false })).toEqual({ id: 'c1', name: 'Food' });
    expect(toCategory('c1', { name: 'Food', note: null, hidden: null })).toEqual({ id: 'c1', name: 'Food' });
    const noted = [{ id: 'c1', name: 'Food', note: 'Weekly', hidden: true as const }];
    expect(applyCategories(noted, [{ id: 'c1', name: 'Food' }], () => 'x').categories).toEqual([{ id: 'c1', name: 'Food' }]);
    expect(applyCategories(noted, [{ id: 'c1', name: 'Food', note: 'Daily', hidden: true }, { name: 'New', note: 'n' }], () => 'x').categories).toEqual([
      { id: 'c1', name: 'Food', note: 'Daily', hidden: true },
      { id: 'x', name: 'New', note: 'n' },
    ]);
  });
});
