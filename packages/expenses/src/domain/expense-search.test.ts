import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { expenseSearchOf, isUncategorized, matchesSearch } from './expense-search';

/**
 * The search predicate against a reference written without Unicode normalization: text is
 * built from tokens whose plain letter is known by construction (each letter in several
 * spellings: capitals, precomposed and decomposed accents, compatibility forms), so the
 * reference folds by looking the letter up, and compares with plain `includes` / `===`.
 */
const SPELLINGS: Record<string, string[]> = {
  a: ['a', 'A', 'à', 'Å', 'a\u0301'],
  c: ['c', 'C', 'ç', 'Ç', 'Ｃ'],
  e: ['e', 'E', 'é', 'É', 'E\u0301', 'ê', 'ë'],
  f: ['f', 'F'],
  i: ['i', 'I', 'İ', 'í'],
  o: ['o', 'O', 'ö', 'Ö', 'ó'],
  z: ['z', 'Z', 'ž'],
  ' ': [' ', '  ', '\u00a0', '\t'],
};
const LETTERS = Object.keys(SPELLINGS);

/** A text as tokens: each token is a letter (or a space) in one of its spellings. */
type Token = { letter: string; spelling: number };
const token = fc.record({ letter: fc.constantFrom(...LETTERS), spelling: fc.nat(6) });
const tokens = fc.array(token, { maxLength: 12 });

const spell = (ts: Token[]) => ts.map((t) => SPELLINGS[t.letter]![t.spelling % SPELLINGS[t.letter]!.length]).join('');
/** The reference fold: the known letters, spaces collapsed and trimmed. */
const fold = (ts: Token[]) => ts.map((t) => t.letter).join('').replace(/ +/g, ' ').trim();

/** A query text that is often part of `source` (another spelling of a slice of it), otherwise random. */
const queryFor = (source: Token[]) =>
  fc.oneof(
    tokens,
    fc.tuple(fc.nat(), fc.nat(), fc.array(fc.nat(6), { minLength: 12, maxLength: 12 })).map(([a, b, respell]) => {
      const start = source.length === 0 ? 0 : a % source.length;
      const end = start + (source.length === 0 ? 0 : b % (source.length - start + 1));
      return source.slice(start, end).map((t, i) => ({ letter: t.letter, spelling: respell[i % 12]! }));
    }),
  );

const users = ['u1', 'u2', 'u3'];
const expense = fc.record({
  amount: fc.integer({ min: 1, max: 10_000 }),
  createdBy: fc.constantFrom(...users),
  merchant: fc.option(tokens, { nil: undefined }),
  description: fc.option(tokens, { nil: undefined }),
  tags: fc.option(fc.array(tokens, { maxLength: 4 }), { nil: undefined }),
  // undefined: a stored item without the flag, which reads as reviewed.
  reviewed: fc.option(fc.boolean(), { nil: undefined }),
});

/** A tag query: often another spelling of one of the stored tags, otherwise random. */
const tagFor = (stored: Token[][] | undefined) =>
  stored && stored.length > 0 ? fc.oneof(tokens, fc.nat().chain((n) => queryForWhole(stored[n % stored.length]!))) : tokens;
/** The whole of `source` respelled (a tag matches whole, not as a part). */
const queryForWhole = (source: Token[]) =>
  fc.array(fc.nat(6), { minLength: 12, maxLength: 12 }).map((respell) => source.map((t, i) => ({ letter: t.letter, spelling: respell[i % 12]! })));

describe('matchesSearch', () => {
  it('agrees with the reference for every combination of filters', () => {
    const cases = expense.chain((e) =>
      fc.record({
        e: fc.constant(e),
        q: fc.option(queryFor(e.merchant ?? e.description ?? []), { nil: undefined }),
        merchant: fc.option(fc.oneof(queryFor(e.merchant ?? []), tokens), { nil: undefined }),
        minAmount: fc.option(fc.integer({ min: 0, max: 10_000 }), { nil: undefined }),
        maxAmount: fc.option(fc.integer({ min: 0, max: 10_000 }), { nil: undefined }),
        createdBy: fc.option(fc.constantFrom(...users), { nil: undefined }),
        tag: fc.option(tagFor(e.tags), { nil: undefined }),
        reviewed: fc.option(fc.constantFrom('true' as const, 'false' as const), { nil: undefined }),
      }),
    );
    fc.assert(
      fc.property(cases, ({ e, q, merchant, minAmount, maxAmount, createdBy, tag, reviewed }) => {
        // The API refuses a blank q or merchant (the schema): not a search to run.
        fc.pre(q === undefined || fold(q) !== '');
        fc.pre(merchant === undefined || fold(merchant) !== '');
        fc.pre(tag === undefined || fold(tag) !== '');
        const stored = {
          amount: e.amount,
          createdBy: e.createdBy,
          ...(e.merchant === undefined ? {} : { merchant: spell(e.merchant) }),
          ...(e.description === undefined ? {} : { description: spell(e.description) }),
          ...(e.tags === undefined ? {} : { tags: e.tags.map(spell) }),
          ...(e.reviewed === undefined ? {} : { reviewed: e.reviewed }),
        };
        const query = {
          ...(q === undefined ? {} : { q: spell(q) }),
          ...(merchant === undefined ? {} : { merchant: spell(merchant) }),
          ...(minAmount === undefined ? {} : { minAmount }),
          ...(maxAmount === undefined ? {} : { maxAmount }),
          ...(createdBy === undefined ? {} : { createdBy }),
          ...(tag === undefined ? {} : { tag: spell(tag) }),
          ...(reviewed === undefined ? {} : { reviewed }),
        };
        const reference =
          (q === undefined || [e.merchant, e.description].some((field) => field !== undefined && fold(field).includes(fold(q)))) &&
          (merchant === undefined || (e.merchant !== undefined && fold(e.merchant) === fold(merchant))) &&
          (minAmount === undefined || e.amount >= minAmount) &&
          (maxAmount === undefined || e.amount <= maxAmount) &&
          (createdBy === undefined || e.createdBy === createdBy) &&
          (tag === undefined || (e.tags ?? []).some((t) => fold(t) === fold(tag))) &&
          (reviewed === undefined || (reviewed === 'false' ? e.reviewed === false : e.reviewed !== false));
        const search = expenseSearchOf(query);
        expect(search === undefined).toBe(Object.keys(query).length === 0);
        expect(search === undefined || matchesSearch(stored, search)).toBe(reference);
      }),
      { numRuns: 2000 },
    );
  });

  it('matches every spelling of a merchant, and nothing once a letter differs', () => {
    const search = expenseSearchOf({ q: 'cafe zoe' })!;
    for (const merchant of ['Café Zoë', 'CAFE\u0301 ZOE', 'ｃａｆｅ  zoe', 'Le Café Zoë Bar']) expect(matchesSearch({ amount: 1, createdBy: 'u', merchant }, search), merchant).toBe(true);
    for (const merchant of ['Café Zoá', 'Cafe', 'CafeZoe']) expect(matchesSearch({ amount: 1, createdBy: 'u', merchant }, search), merchant).toBe(false);
    expect(matchesSearch({ amount: 1, createdBy: 'u', description: 'coffee at café zoë' }, search)).toBe(true);
    expect(matchesSearch({ amount: 1, createdBy: 'u' }, search)).toBe(false);
  });

  it('searches a split expense as one: amount bounds on the whole amount, q also in its parts\' descriptions', () => {
    const split = {
      amount: 12_000,
      createdBy: 'u',
      merchant: 'Supermarket',
      splits: [
        { categoryId: 'food', amount: 8_000 },
        { categoryId: 'home', amount: 4_000, description: 'Batteries' },
      ],
    };
    expect(matchesSearch(split, expenseSearchOf({ minAmount: 10_000 })!)).toBe(true);
    expect(matchesSearch(split, expenseSearchOf({ maxAmount: 8_000 })!)).toBe(false);
    expect(matchesSearch(split, expenseSearchOf({ q: 'batteries' })!)).toBe(true);
    expect(matchesSearch(split, expenseSearchOf({ q: 'glue' })!)).toBe(false);
    // merchant stays the expense's merchant, whole: a part's description is no merchant.
    expect(matchesSearch(split, expenseSearchOf({ merchant: 'batteries' })!)).toBe(false);
  });
});

describe('matchesSearch: tags', () => {
  it('matches a tag whole, in any spelling, and only among the tags', () => {
    const e = { amount: 1, createdBy: 'u', merchant: 'Reimbursable Inc', tags: ['Vacation-2026', 'Réimbursable'] };
    for (const tag of ['vacation-2026', 'VACATION-2026', 'reimbursable', 'REIMBURSABLE', 're\u0301imbursable']) expect(matchesSearch(e, expenseSearchOf({ tag })!), tag).toBe(true);
    // Part of a tag, or text that is only in the merchant, is no tag.
    for (const tag of ['vacation', 'reimbursable inc', 'vacation-2027']) expect(matchesSearch(e, expenseSearchOf({ tag })!), tag).toBe(false);
    expect(matchesSearch({ amount: 1, createdBy: 'u' }, expenseSearchOf({ tag: 'vacation-2026' })!)).toBe(false);
    // With other filters: AND.
    expect(matchesSearch(e, expenseSearchOf({ tag: 'vacation-2026', minAmount: 2 })!)).toBe(false);
  });
});

describe('matchesSearch: recurringExpenseId', () => {
  it('matches the link exactly; an expense without one never matches', () => {
    const recorded = { amount: 1_549, createdBy: 'u', merchant: 'Netflix', recurringExpenseId: '01JDRECURRING00000000000001' };
    expect(matchesSearch(recorded, expenseSearchOf({ recurringExpenseId: '01JDRECURRING00000000000001' })!)).toBe(true);
    // Ids are compared as they are: another id, or another case, is another definition.
    expect(matchesSearch(recorded, expenseSearchOf({ recurringExpenseId: '01JDRECURRING00000000000002' })!)).toBe(false);
    expect(matchesSearch(recorded, expenseSearchOf({ recurringExpenseId: '01jdrecurring00000000000001' })!)).toBe(false);
    // The same bill entered by hand carries no link.
    expect(matchesSearch({ amount: 1_549, createdBy: 'u', merchant: 'Netflix' }, expenseSearchOf({ recurringExpenseId: '01JDRECURRING00000000000001' })!)).toBe(false);
    // With other filters: AND.
    expect(matchesSearch(recorded, expenseSearchOf({ recurringExpenseId: '01JDRECURRING00000000000001', createdBy: 'v' })!)).toBe(false);
  });
});

describe('isUncategorized (the list by categoryId=uncategorized)', () => {
  const kept = new Set(['food', 'home']);
  it('an expense without a category, or in a category the budget no longer has', () => {
    expect(isUncategorized({ categoryId: null }, kept)).toBe(true);
    expect(isUncategorized({ categoryId: 'gone' }, kept)).toBe(true);
    expect(isUncategorized({ categoryId: 'food' }, kept)).toBe(false);
  });
  it('a split expense with a part without a category or in a removed one; not one whose parts are all in kept categories', () => {
    const split = (...ids: (string | null)[]) => ({ categoryId: null, splits: ids.map((categoryId) => ({ categoryId, amount: 100 })) });
    expect(isUncategorized(split('food', null), kept)).toBe(true);
    expect(isUncategorized(split('food', 'gone'), kept)).toBe(true);
    expect(isUncategorized(split('food', 'home'), kept)).toBe(false);
  });
});
