import { addDays } from '@budgeting/platform';
import { describe, expect, it } from 'vitest';
import {
  billDistance,
  candidateOccurrences,
  importedBillCandidates,
  matchBills,
  matchWindow,
  matchableMerchant,
  merchantsMatch,
  windowOffset,
  type MatchableDefinition,
  type RecordedOccurrence,
} from './bill-matching';

const rent: RecordedOccurrence = { recurringExpenseId: 'r1', occurredOn: '2026-11-01', amount: 120000, merchant: 'Acme Rentals', expenseId: 'e1' };
const row = (position: number, occurredOn: string, amount = 120000, merchant: string | null = 'ACME RENTALS') => ({ position, occurredOn, amount, ...(merchant === null ? {} : { merchant }) });

describe('merchantsMatch', () => {
  it.each([
    ['Acme Rentals', 'ACME RENTALS', true],
    ['Café Zoë', 'CAFE ZOE', true],
    ['cafe\u0301 zoe', 'Café Zoë', true],
    ['Netflix', 'NETFLIX.COM', true],
    ['Acme Rentals', 'SEPA ACME RENTALS LTD 0042', true],
    ['Straße Mieten', 'STRASSE MIETEN GMBH', true],
    ['Net', 'Netflix', false],
    ['Acme Rentals', 'Acme Storage', false],
    ['Rentals Acme', 'Acme Rentals Ltd', false],
    ['A', 'A B Plumbing', false],
    ['', 'Acme', false],
    ['...', '...', false],
  ])('%j vs %j: %s', (a, b, expected) => {
    expect(merchantsMatch(a, b)).toBe(expected);
    expect(merchantsMatch(b, a)).toBe(expected);
  });
});

describe('matchBills', () => {
  it('matches within 2 days before to 5 days after, not beyond', () => {
    const dates = ['2026-10-29', '2026-10-30', '2026-11-01', '2026-11-06', '2026-11-07'];
    const matched = dates.map((d) => matchBills([row(1, d)], [rent]).length);
    expect(matched).toEqual([0, 1, 1, 1, 0]);
  });

  it('needs the exact amount', () => {
    expect(matchBills([row(1, '2026-11-02', 120001)], [rent])).toEqual([]);
    expect(matchBills([row(1, '2026-11-02', 119999)], [rent])).toEqual([]);
    expect(matchBills([row(1, '2026-11-02', 120000)], [rent])).toEqual([{ position: 1, recurringExpenseId: 'r1', occurredOn: '2026-11-01', expenseId: 'e1' }]);
  });

  it('needs a merchant on both sides', () => {
    expect(matchBills([row(1, '2026-11-02', 120000, null)], [rent])).toEqual([]);
    expect(matchBills([row(1, '2026-11-02')], [{ ...rent, merchant: '' }])).toEqual([]);
    expect(matchBills([row(1, '2026-11-02', 120000, 'Acme Storage')], [rent])).toEqual([]);
  });

  it('gives an occurrence to one row: the closest date, then the first in the file', () => {
    expect(matchBills([row(1, '2026-11-04'), row(2, '2026-11-02'), row(3, '2026-11-05')], [rent]).map((m) => m.position)).toEqual([2]);
    // 1 day before and 1 day after: the same distance, the earlier row wins.
    expect(matchBills([row(5, '2026-11-02'), row(3, '2026-10-31')], [rent]).map((m) => m.position)).toEqual([3]);
  });

  it('gives a row one occurrence, and two occurrences two rows', () => {
    const second = { ...rent, occurredOn: '2026-11-03', expenseId: 'e2' };
    // Row 1 (Nov 2) is 1 day from both; row 2 (Nov 4) only fits Nov 3's (Nov 1's too, at 3 days).
    const matches = matchBills([row(1, '2026-11-02'), row(2, '2026-11-04')], [rent, second]);
    expect(matches).toHaveLength(2);
    expect(new Set(matches.map((m) => m.occurredOn))).toEqual(new Set(['2026-11-01', '2026-11-03']));
    expect(matchBills([row(1, '2026-11-02')], [rent, second])).toHaveLength(1);
  });

  it('leaves out expenseId when the marker did not name one', () => {
    const { expenseId: _, ...unnamed } = rent;
    expect(matchBills([row(1, '2026-11-01')], [unnamed])).toEqual([{ position: 1, recurringExpenseId: 'r1', occurredOn: '2026-11-01' }]);
  });
});

describe('candidateOccurrences', () => {
  const monthly: MatchableDefinition = {
    id: 'r1',
    amount: 120000,
    merchant: 'Acme Rentals',
    schedule: { frequency: 'monthly', interval: 1, startsOn: '2026-01-01' },
    nextOccurrenceOn: '2026-12-01',
  };

  it('finds the schedule dates in each row window, before nextOccurrenceOn', () => {
    const rows = [row(1, '2026-11-03'), row(2, '2026-10-03'), row(3, '2026-12-02')];
    expect(candidateOccurrences(rows, [monthly]).map((c) => c.occurredOn)).toEqual(['2026-10-01', '2026-11-01']);
    // Paused or ended: not bounded by nextOccurrenceOn (the markers say what was recorded).
    expect(candidateOccurrences(rows, [{ ...monthly, nextOccurrenceOn: null }]).map((c) => c.occurredOn)).toEqual(['2026-10-01', '2026-11-01', '2026-12-01']);
  });

  it('skips other merchants and definitions without a merchant; another amount is a candidate (its marker holds the amount recorded)', () => {
    const rows = [row(1, '2026-11-03')];
    // The definition raised since: the occurrence may have been recorded at the row's amount.
    expect(candidateOccurrences(rows, [{ ...monthly, amount: 125000 }])).toEqual([{ recurringExpenseId: 'r1', occurredOn: '2026-11-01', amount: 125000, merchant: 'Acme Rentals' }]);
    expect(candidateOccurrences(rows, [{ ...monthly, merchant: 'Other' }])).toEqual([]);
    const { merchant: _, ...noMerchant } = monthly;
    expect(candidateOccurrences(rows, [noMerchant])).toEqual([]);
  });

  it('past the bound, keeps the occurrences a row of the definition\'s amount asks for first', () => {
    const daily: MatchableDefinition = { ...monthly, schedule: { frequency: 'daily', interval: 1, startsOn: '2020-01-01' } };
    // 2,500 earlier rows of another amount (8 dates each, 2,504 dates in all) and one of the amount, the latest.
    const others = Array.from({ length: 2_500 }, (_, n) => row(n, addDays('2020-01-10', n), 999));
    const found = candidateOccurrences([...others, row(9_999, '2026-11-03')], [daily]);
    expect(found).toHaveLength(2_000);
    expect(found.map((c) => c.occurredOn)).toContain('2026-11-03');
    expect(found.at(-1)!.occurredOn).toBe('2026-11-05');
  });

  it('gives each occurrence once for many rows', () => {
    const daily: MatchableDefinition = { ...monthly, schedule: { frequency: 'daily', interval: 1, startsOn: '2026-01-01' } };
    const found = candidateOccurrences([row(1, '2026-11-10'), row(2, '2026-11-11')], [daily]);
    // Nov 5 (5 days before Nov 10) .. Nov 13 (2 days after Nov 11).
    expect(found.map((c) => c.occurredOn)).toEqual(['2026-11-05', '2026-11-06', '2026-11-07', '2026-11-08', '2026-11-09', '2026-11-10', '2026-11-11', '2026-11-12', '2026-11-13']);
  });
});

describe('billDistance (the one rule of both orders)', () => {
  const occurrence = { occurredOn: '2026-11-01', amount: 120000, merchant: 'Acme Rentals' };
  const bill = (occurredOn: string, amount = 120000, merchant: string | null = 'SEPA ACME RENTALS LTD') => ({ occurredOn, amount, ...(merchant === null ? {} : { merchant }) });

  it('is the days between them within 2 days before to 5 after, else undefined', () => {
    const days = ['2026-10-29', '2026-10-30', '2026-10-31', '2026-11-01', '2026-11-03', '2026-11-06', '2026-11-07'];
    expect(days.map((d) => billDistance(bill(d), occurrence))).toEqual([undefined, 2, 1, 0, 2, 5, undefined]);
  });

  it('needs the same amount and a matching merchant on both sides', () => {
    expect(billDistance(bill('2026-11-02', 120001), occurrence)).toBeUndefined();
    expect(billDistance(bill('2026-11-02', 120000, 'Acme Storage'), occurrence)).toBeUndefined();
    expect(billDistance(bill('2026-11-02', 120000, null), occurrence)).toBeUndefined();
    expect(billDistance(bill('2026-11-02'), { ...occurrence, merchant: undefined })).toBeUndefined();
    expect(billDistance(bill('2026-11-02', 120000, 'acme rentals'), occurrence)).toBe(1);
  });

  it('agrees with matchBills: a row matches exactly when it has a distance', () => {
    const rent: RecordedOccurrence = { recurringExpenseId: 'r1', ...occurrence };
    for (const d of ['2026-10-29', '2026-10-30', '2026-11-04', '2026-11-06', '2026-11-07']) {
      for (const amount of [119999, 120000]) {
        const fits = billDistance(bill(d, amount), occurrence) !== undefined;
        expect(matchBills([{ position: 1, ...bill(d, amount) }], [rent]).length).toBe(fits ? 1 : 0);
      }
    }
  });
});

describe('matchWindow', () => {
  it("is windowOffset's window: its ends are in it, the days beyond are not", () => {
    const { from, to } = matchWindow('2026-03-01');
    expect({ from, to }).toEqual({ from: '2026-02-27', to: '2026-03-06' });
    expect([from, to].map((d) => windowOffset('2026-03-01', d))).toEqual([-2, 5]);
    expect(['2026-02-26', '2026-03-07'].map((d) => windowOffset('2026-03-01', d))).toEqual([undefined, undefined]);
  });
});

describe('matchableMerchant', () => {
  it('needs a letter or digit', () => {
    expect([undefined, '', ' ', '...', 'A', 'Acme'].map(matchableMerchant)).toEqual([false, false, false, false, true, true]);
  });
});

describe('importedBillCandidates (the job: an occurrence and the imported expenses of its window)', () => {
  const occurrence = { occurredOn: '2026-11-01', amount: 120000, merchant: 'Acme Rentals' };
  const imported = (id: string, occurredOn: string, amount = 120000, merchant: string | null = 'ACME RENTALS') => ({
    id,
    occurredOn,
    amount,
    importId: 'i1',
    ...(merchant === null ? {} : { merchant }),
  });

  it('keeps the ones that fit, the closest date first, then the earlier date, then the id', () => {
    const found = importedBillCandidates(occurrence, [
      imported('e5', '2026-11-04'),
      imported('e4', '2026-11-02'),
      imported('e3', '2026-10-31'),
      imported('e2', '2026-11-01'),
      imported('e1', '2026-11-01'),
    ]);
    expect(found.map((e) => e.id)).toEqual(['e1', 'e2', 'e3', 'e4', 'e5']);
  });

  it('leaves out other amounts, other merchants, none, and dates outside the window', () => {
    const found = importedBillCandidates(occurrence, [
      imported('a', '2026-11-02', 120001),
      imported('b', '2026-11-02', 120000, 'Acme Storage'),
      imported('c', '2026-11-02', 120000, null),
      imported('d', '2026-10-29'),
      imported('e', '2026-11-07'),
      imported('f', '2026-11-06'),
    ]);
    expect(found.map((e) => e.id)).toEqual(['f']);
  });

  it('finds nothing for an occurrence without a merchant', () => {
    expect(importedBillCandidates({ ...occurrence, merchant: undefined }, [imported('a', '2026-11-01')])).toEqual([]);
  });
});
