/**
 * `npx tsx bench/totals-item-size.ts`: the stored size of a running-totals month item (and of
 * the old day + month items it replaces) for a typical, a busy and the worst-case budget, by
 * DynamoDB's size rules: per attribute its name's UTF-8 bytes plus, for a number, 1 byte per 2
 * significant digits + 1; strings their bytes. Write units: 1 per started KB of the item
 * (an update is billed by the larger of its sizes before and after; doubled in a transaction).
 * The names come from the app's own totals-attributes.ts. Figures: packages/expenses/docs/storage-and-totals.md "Running totals".
 */
import { TOTAL_ATTRIBUTE, UNCATEGORIZED_ATTRIBUTE, categoryAttribute, dayAttribute } from '../packages/expenses/src/repository/totals-attributes';

const ID = '01JDXXXXXXXXXXXXXXXXXXXXXX'; // a ULID: budget and category ids
const numberBytes = (n: number) => Math.ceil(String(Math.abs(n)).replace(/^0+/, '').replace(/0+$/, '').length / 2) + 1;
const itemBytes = (sk: string, figures: [string, number][]) =>
  'pk'.length + `expenses#totals#${ID}`.length + 'sk'.length + sk.length + figures.reduce((sum, [name, value]) => sum + name.length + numberBytes(value), 0);

interface Case {
  /** Days of the month with spending, in one shard's item. */
  days: number;
  categoriesPerDay: number;
  categories: number;
  uncategorized: boolean;
  daySum: number;
  monthSum: number;
}

const cases: Record<string, Case> = {
  'typical: 60 expenses a month in 6 categories (one shard: ~15 of them on ~12 days, one category each)': {
    days: 12, categoriesPerDay: 1, categories: 6, uncategorized: false, daySum: 4250, monthSum: 123456,
  },
  'busy: 600 a month in 20 categories (one shard: every day, 4 categories + uncategorized)': {
    days: 31, categoriesPerDay: 4, categories: 20, uncategorized: true, daySum: 123456, monthSum: 12345678,
  },
  'worst: every day, all 50 categories and uncategorized, 15-digit sums': {
    days: 31, categoriesPerDay: 50, categories: 50, uncategorized: true, daySum: 123456789012345, monthSum: 123456789012345,
  },
};

const category = (i: number) => categoryAttribute(`${ID.slice(0, -2)}${String(i).padStart(2, '0')}`);
const names = (c: Case, count: number) => [TOTAL_ATTRIBUTE, ...(c.uncategorized ? [UNCATEGORIZED_ATTRIBUTE] : []), ...Array.from({ length: count }, (_, i) => category(i))];
const units = (bytes: number) => Math.ceil(bytes / 1024);

for (const [label, c] of Object.entries(cases)) {
  const monthLevel = names(c, c.categories).map((n): [string, number] => [n, c.monthSum]);
  const dayLevel = Array.from({ length: c.days }, (_, d) => `2026-11-${String(d + 1).padStart(2, '0')}`).flatMap((date) =>
    names(c, c.categoriesPerDay).map((n): [string, number] => [dayAttribute(date, n), c.daySum]),
  );
  const month = itemBytes('expenses#month#2026-11#0', [...monthLevel, ...dayLevel]);
  const oldMonth = itemBytes('expenses#month#2026-11#0', monthLevel);
  const oldDay = itemBytes('expenses#day#2026-11-24#0', names(c, c.categoriesPerDay).map((n): [string, number] => [n, c.daySum]));
  console.log(label);
  console.log(`  month item: ${month} B, ${units(month)} write units per ADD (${2 * units(month)} in a transaction), ${Math.ceil(month / 4096)} strongly consistent read units`);
  console.log(`  before: day item ${oldDay} B + month item ${oldMonth} B, ${units(oldDay) + units(oldMonth)} write units (${2 * (units(oldDay) + units(oldMonth))} in a transaction)`);
}
