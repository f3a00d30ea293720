import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { groupLimit, groupLines, groupsOf, remainingOf, sumOf } from './groups-math';

describe('groupsOf', () => {
  it('groups by exact label, in the order of each group first category; ungrouped in none', () => {
    const groups = groupsOf([
      { id: 'rent', group: 'Bills' },
      { id: 'food', group: 'Everyday' },
      { id: 'gifts' },
      { id: 'power', group: 'Bills' },
      { id: 'bus', group: 'Everyday' },
    ]);
    expect(groups).toEqual([
      { name: 'Bills', categoryIds: ['rent', 'power'] },
      { name: 'Everyday', categoryIds: ['food', 'bus'] },
    ]);
  });

  it('compares labels exactly (the schema refuses spellings that differ in case)', () => {
    expect(groupsOf([{ id: 'a', group: 'Fun' }, { id: 'b', group: 'fun' }]).map((g) => g.name)).toEqual(['Fun', 'fun']);
  });

  it('is empty without groups', () => {
    expect(groupsOf([{ id: 'a' }, { id: 'b' }])).toEqual([]);
  });
});

describe('group figures', () => {
  it('a limit sums the members that have one; null when none has', () => {
    expect(groupLimit([100, null, 250])).toBe(350);
    expect(groupLimit([null, null])).toBeNull();
    expect(groupLimit([])).toBeNull();
    expect(groupLimit([0, null])).toBe(0);
  });

  it('remaining is limit - spent, null without a limit', () => {
    expect(remainingOf(350, 400)).toBe(-50);
    expect(remainingOf(null, 400)).toBeNull();
  });

  it('sums past 2^53 come out unsafe, not rounded to a safe number', () => {
    expect(Number.isSafeInteger(sumOf([Number.MAX_SAFE_INTEGER, 2]))).toBe(false);
  });
});

const label = fc.constantFrom('Bills', 'Everyday', 'Fun', 'fun');
const categories = fc
  .uniqueArray(
    fc.record({ id: fc.string({ minLength: 1, maxLength: 4 }), group: fc.option(label, { nil: undefined }), limit: fc.option(fc.integer({ min: 0, max: 1e12 }), { nil: null }), spent: fc.integer({ min: 0, max: 1e12 }) }),
    { selector: (c) => c.id, maxLength: 50 },
  )
  .map((cs) => cs.map(({ group, ...c }) => (group === undefined ? c : { ...c, group })));

describe('group properties', () => {
  it('every grouped category is in exactly one group, the one of its label; ungrouped ones in none', () => {
    fc.assert(
      fc.property(categories, (cs) => {
        const groups = groupsOf(cs);
        const listed = groups.flatMap((g) => g.categoryIds);
        expect(new Set(listed).size).toBe(listed.length);
        expect(new Set(listed)).toEqual(new Set(cs.filter((c) => 'group' in c).map((c) => c.id)));
        for (const g of groups) for (const id of g.categoryIds) expect((cs.find((c) => c.id === id) as { group?: string }).group).toBe(g.name);
        expect(new Set(groups.map((g) => g.name)).size).toBe(groups.length);
        // Ordered by each group's first category in the budget's order.
        const firsts = groups.map((g) => cs.findIndex((c) => c.id === g.categoryIds[0]));
        expect([...firsts].sort((a, b) => a - b)).toEqual(firsts);
      }),
    );
  });

  it("a group's totals are the sums of its members' lines", () => {
    fc.assert(
      fc.property(categories, (cs) => {
        const lines = cs.map((c) => ({ categoryId: c.id, limit: c.limit, spent: c.spent }));
        const groups = groupLines(groupsOf(cs), lines, (m) => ({ limit: groupLimit(m.map((c) => c.limit)), spent: sumOf(m.map((c) => c.spent)) }));
        for (const g of groups) {
          const members = lines.filter((l) => g.categoryIds.includes(l.categoryId));
          expect(g.spent).toBe(members.reduce((sum, l) => sum + l.spent, 0));
          const limits = members.filter((l) => l.limit !== null);
          expect(g.limit).toBe(limits.length === 0 ? null : limits.reduce((sum, l) => sum + l.limit!, 0));
        }
        // Grouped spending plus the ungrouped lines' is everything, counted once.
        const ungrouped = lines.filter((l) => !groups.some((g) => g.categoryIds.includes(l.categoryId)));
        expect(sumOf([...groups.map((g) => g.spent), ...ungrouped.map((l) => l.spent)])).toBe(sumOf(lines.map((l) => l.spent)));
      }),
    );
  });
});
