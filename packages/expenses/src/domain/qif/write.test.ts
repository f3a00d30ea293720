import { isSafe } from 'redos-detector';
import { describe, expect, it } from 'vitest';
import type { Expense } from '../../model';
import { readQif } from './read';
import { BLANK_RUN, LINE_BREAK, QIF_HEADER, qifLine, qifRecords, type QifWriteContext } from './write';

/** The QIF export's writer: exact records (worked out by hand), and what our reader makes of them. */
const expense = (over: Partial<Expense>): Expense => ({
  id: 'e1',
  budgetId: 'b1',
  amount: 1250,
  categoryId: null,
  occurredOn: '2026-11-05',
  reviewed: true,
  createdBy: 'u1',
  version: 1,
  createdAt: '2026-11-05T00:00:00.000Z',
  updatedAt: '2026-11-05T00:00:00.000Z',
  ...over,
});

const names = new Map([
  ['food', 'Food'],
  ['home', 'Home'],
]);
const all: QifWriteContext = { currency: 'USD', names, wanted: () => true };

const EXPENSES = [
  expense({ amount: 1250, merchant: 'Corner Market', description: 'Weekly shop', categoryId: 'food', tags: ['vacation', 'work'] }),
  expense({ amount: 5999, occurredOn: '2026-11-04', refund: true, merchant: 'Amazon', categoryId: 'home' }),
  expense({
    amount: 4500,
    occurredOn: '2026-11-03',
    merchant: 'IKEA',
    description: 'Big\r\n  shop\n\nsecond',
    tags: ['home-2026'],
    splits: [
      { categoryId: 'home', amount: 2500, description: 'Lamp' },
      { categoryId: null, amount: 1500 },
      { categoryId: 'gone', amount: 500 },
    ],
  }),
  expense({ amount: 7, occurredOn: '2026-11-02', categoryId: 'gone' }),
];

/** EXPENSES written, worked out by hand. */
const WRITTEN = [
  '!Type:Bank',
  'D2026-11-05',
  'T-12.50',
  'PCorner Market',
  'MWeekly shop',
  'LFood/vacation',
  '^',
  // A refund: money in.
  'D2026-11-04',
  'T59.99',
  'PAmazon',
  'LHome',
  '^',
  // A split: 25.00 + 15.00 + 5.00 = 45.00; the removed category's part uncategorized; the line breaks one space each.
  'D2026-11-03',
  'T-45.00',
  'PIKEA',
  'MBig shop second',
  'L/home-2026',
  'SHome',
  'ELamp',
  '$-25.00',
  'S',
  '$-15.00',
  'S',
  '$-5.00',
  '^',
  // A removed category: none.
  'D2026-11-02',
  'T-0.07',
  '^',
  '',
].join('\r\n');

describe('QIF writer', () => {
  it('writes one record per expense: ISO date, minus the spending, P, M, L with the first tag as class, split lines, ^', () => {
    expect(QIF_HEADER + qifRecords(EXPENSES, all)).toBe(WRITTEN);
  });

  it('uses the currency exponent (JPY 0, KWD 3)', () => {
    expect(qifRecords([expense({ amount: 1234 })], { ...all, currency: 'JPY' })).toBe('D2026-11-05\r\nT-1234\r\n^\r\n');
    expect(qifRecords([expense({ amount: 1_234_567, refund: true })], { ...all, currency: 'KWD' })).toBe('D2026-11-05\r\nT1234.567\r\n^\r\n');
  });

  it('with a category filter writes only the parts in it: two stay a split of their sum, one is a plain record with its description', () => {
    const split = expense({
      amount: 1000,
      description: 'Shop',
      splits: [
        { categoryId: 'food', amount: 600, description: 'veg' },
        { categoryId: 'home', amount: 300 },
        { categoryId: 'food', amount: 100 },
      ],
    });
    expect(qifRecords([split], { ...all, wanted: (c) => c === 'home' })).toBe('D2026-11-05\r\nT-3.00\r\nMShop\r\nLHome\r\n^\r\n');
    expect(qifRecords([split], { ...all, wanted: (c) => c === 'food' })).toBe('D2026-11-05\r\nT-7.00\r\nMShop\r\nSFood\r\nEveg\r\n$-6.00\r\nSFood\r\n$-1.00\r\n^\r\n');
    expect(qifRecords([split], { ...all, wanted: (c) => c === null })).toBe('');
  });

  it('keeps every text field on one line', () => {
    expect(qifLine('a\nb')).toBe('a b');
    expect(qifLine('a \r\n\r\n  b\rc\u2028d\u0085e')).toBe('a b c d e');
    expect(qifLine('\n^\n')).toBe('^');
    const file = QIF_HEADER + qifRecords([expense({ merchant: 'M\nN', description: 'x\n^\n!Type:Cat' })], all);
    expect(file.split('\r\n')).toEqual(['!Type:Bank', 'D2026-11-05', 'T-12.50', 'PM N', 'Mx ^ !Type:Cat', '^', '']);
  });

  it('finds each run of blanks one way only, so texts full of spaces are written in linear time (checked by redos-detector, not a clock)', () => {
    expect(isSafe(BLANK_RUN).safe).toBe(true);
    expect(isSafe(LINE_BREAK).safe).toBe(true);
    // Before 42242909: blanks, then a break, then blanks, retried from each position of a run
    // (a 4 MB export of descriptions padded with spaces took 2 s).
    expect(isSafe(/[^\S\r\n\u2028\u2029\u0085]*[\r\n\u2028\u2029\u0085][\s\u2028\u2029\u0085]*/g).safe).toBe(false);
  });

  it('writes an export of texts full of spaces (4 MB, the export cap) as they are, a break among blanks as one space', () => {
    // A description may be 500 characters: two letters around 498 spaces is a valid one.
    const spaced = `a${' '.repeat(498)}b`;
    const expenses = Array.from({ length: 8000 }, (_, i) => expense({ id: `e${i}`, description: spaced, merchant: `m${' '.repeat(198)}n` }));
    const text = qifRecords(expenses, all);
    expect(text.length).toBeGreaterThan(4_000_000);
    expect(text).toContain(`M${spaced}\r\n`);
    expect(qifLine(`a${' '.repeat(200)}\n${' '.repeat(200)}b`)).toBe('a b');
  });

  it('reads back with our reader: dates, amounts, text, categories, classes as tags, split parts; the refund with credits=refunds', () => {
    const { rows, skipped } = readQif(QIF_HEADER + qifRecords(EXPENSES, all), undefined, 'refunds');
    expect(skipped).toEqual([]);
    expect(rows).toEqual([
      { line: 2, fields: ['2026-11-05', '12.5', 'Food', 'Weekly shop', 'Corner Market'], tags: ['vacation'] },
      { line: 8, fields: ['2026-11-04', '59.99', 'Home', '', 'Amazon'], refund: true },
      {
        line: 13,
        fields: ['2026-11-03', '45', '', 'Big shop second', 'IKEA'],
        tags: ['home-2026'],
        splits: [
          { line: 18, amount: '25', category: 'Home', description: 'Lamp' },
          { line: 21, amount: '15', category: '', description: '' },
          { line: 23, amount: '5', category: '', description: '' },
        ],
      },
      { line: 26, fields: ['2026-11-02', '0.07', '', '', ''] },
    ]);
  });
});

describe('QIF export date formats', () => {
  const one = [expense({ occurredOn: '2026-11-05', amount: 1250, merchant: 'Shop' })];
  const dateLine = (ctx: QifWriteContext) => qifRecords(one, ctx).split('\r\n')[0];

  it('writes D as ISO by default, month first or day first when asked', () => {
    expect(dateLine(all)).toBe('D2026-11-05');
    expect(dateLine({ ...all, dateFormat: 'YYYY-MM-DD' })).toBe('D2026-11-05');
    expect(dateLine({ ...all, dateFormat: 'MM/DD/YYYY' })).toBe('D11/05/2026');
    expect(dateLine({ ...all, dateFormat: 'DD/MM/YYYY' })).toBe('D05/11/2026');
  });

  it('reads back to the same date given the same dateFormat (a day of 1..12 reads two ways without it)', () => {
    for (const dateFormat of ['MM/DD/YYYY', 'DD/MM/YYYY'] as const) {
      const file = QIF_HEADER + qifRecords(one, { ...all, dateFormat });
      expect(readQif(file, dateFormat).rows[0]!.fields[0]).toBe('2026-11-05');
      expect(() => readQif(file)).toThrow(/dateFormat/);
    }
  });
});
