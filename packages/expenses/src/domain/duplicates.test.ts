import { describe, expect, it } from 'vitest';
import { DuplicateFinder, pairKey, pairsOf, type DuplicateCandidate } from './duplicates';

const e = (id: string, occurredOn: string, amount = 1250, merchant: string | null = 'Corner Market'): DuplicateCandidate => ({
  id,
  amount,
  occurredOn,
  ...(merchant === null ? {} : { merchant }),
});

function groups(expenses: DuplicateCandidate[], dismissed: string[] = []): string[][] {
  const finder = new DuplicateFinder();
  for (const expense of expenses) finder.add(expense);
  return finder.groups(new Set(dismissed)).map((g) => g.map((x) => x.id));
}

describe('possible duplicates', () => {
  it('pairs the same amount and merchant at most 3 days apart, oldest first; 4 days apart is no pair', () => {
    expect(groups([e('B', '2026-11-12'), e('A', '2026-11-10')])).toEqual([['A', 'B']]);
    // 2026-11-10 .. 2026-11-13: 3 days apart; .. 11-14: 4.
    expect(groups([e('A', '2026-11-10'), e('B', '2026-11-13')])).toEqual([['A', 'B']]);
    expect(groups([e('A', '2026-11-10'), e('B', '2026-11-14')])).toEqual([]);
    // Across a month's end: 2026-10-30 .. 2026-11-02 is 3 days.
    expect(groups([e('A', '2026-10-30'), e('B', '2026-11-02')])).toEqual([['A', 'B']]);
  });

  it('folds case, accents and spacing of the merchant; a different amount or no merchant is never paired', () => {
    expect(groups([e('A', '2026-11-10', 500, 'Café  Nero'), e('B', '2026-11-10', 500, 'CAFE NERO')])).toEqual([['A', 'B']]);
    expect(groups([e('A', '2026-11-10', 500), e('B', '2026-11-10', 501)])).toEqual([]);
    expect(groups([e('A', '2026-11-10', 500, null), e('B', '2026-11-10', 500, null)])).toEqual([]);
    expect(groups([e('A', '2026-11-10', 500, '  '), e('B', '2026-11-10', 500, ' ')])).toEqual([]);
    expect(groups([e('A', '2026-11-10', 500, 'Shop'), e('B', '2026-11-10', 500, null)])).toEqual([]);
  });

  it('a chain within 3 days each is one group, even 6 days end to end; the same day sorted by id', () => {
    expect(groups([e('C', '2026-11-16'), e('A', '2026-11-10'), e('B', '2026-11-13')])).toEqual([['A', 'B', 'C']]);
    expect(groups([e('Z', '2026-11-10'), e('Y', '2026-11-10')])).toEqual([['Y', 'Z']]);
  });

  it('newest group first, by its newest date', () => {
    const found = groups([
      e('A', '2026-11-01', 100),
      e('B', '2026-11-20', 100),
      e('C', '2026-11-02', 200),
      e('D', '2026-11-05', 200),
      e('E', '2026-11-19', 100),
    ]);
    // 100: A alone (18 days from E), E-B (11-19, 11-20); 200: C-D (newest 11-05).
    expect(found).toEqual([
      ['E', 'B'],
      ['C', 'D'],
    ]);
  });

  it('a dismissed pair is no pair: a group of two disappears; a group of three keeps what still connects', () => {
    const pairAB = [e('A', '2026-11-10'), e('B', '2026-11-11')];
    expect(groups(pairAB, [pairKey('B', 'A')])).toEqual([]);
    const three = [e('A', '2026-11-10'), e('B', '2026-11-11'), e('C', '2026-11-12')];
    // A-B dismissed: A-C and B-C still join all three.
    expect(groups(three, [pairKey('A', 'B')])).toEqual([['A', 'B', 'C']]);
    // A-B and A-C dismissed: B-C is left, A alone.
    expect(groups(three, [pairKey('A', 'B'), pairKey('A', 'C')])).toEqual([['B', 'C']]);
    // Every pair dismissed: nothing.
    expect(groups(three, pairsOf(['A', 'B', 'C']))).toEqual([]);
    // A chain A-B-C (6 days end to end) with B-C dismissed: only A-B.
    const chain = [e('A', '2026-11-10'), e('B', '2026-11-13'), e('C', '2026-11-16')];
    expect(groups(chain, [pairKey('B', 'C')])).toEqual([['A', 'B']]);
  });

  it('pairsOf: every unordered pair once, the smaller id first', () => {
    expect(pairsOf(['C', 'A', 'B'])).toEqual(['A#C', 'B#C', 'A#B']);
  });
});
