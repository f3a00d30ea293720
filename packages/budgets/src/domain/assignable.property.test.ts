import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Category } from '../model';
import { assignedIn, periodsStartingIn, readyToAssign, type CategoryAssigned } from './assignable';
import { testBudget } from './test-budget';

/**
 * Ready to assign's invariants, against references built from the README's rules alone
 * (JavaScript's own calendar for weekdays; BigInt sums), never from the code under test.
 */

const MAX = BigInt(Number.MAX_SAFE_INTEGER);
const iso = (ms: number) => new Date(ms).toISOString().slice(0, 10);
const DAY = 86_400_000;
// 1900-01-01 to 9998-11-30: the API's dates, leaving a month after for the "next month" look-up.
const FROM = Date.UTC(1900, 0, 1);
const TO = Date.UTC(9998, 10, 30);
const aDay = fc.integer({ min: 0, max: (TO - FROM) / DAY }).map((n) => FROM + n * DAY);
const monthOf = (ms: number) => iso(ms).slice(0, 7);
const shiftMonth = (ms: number, by: number) => {
  const d = new Date(ms);
  return iso(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + by, 1)).slice(0, 7);
};

describe('periodsStartingIn: every weekly period counted in exactly one month', () => {
  it("a week is listed by the month of its Monday and by no other month it touches", () => {
    fc.assert(
      fc.property(aDay, (ms) => {
        // The Monday of the week holding `ms` (getUTCDay: Sunday 0), by JavaScript's calendar.
        const monday = ms - ((new Date(ms).getUTCDay() + 6) % 7) * DAY;
        if (monday < FROM) return;
        const start = iso(monday);
        const end = iso(monday + 6 * DAY);
        const listedIn = [-1, 0, 1].map((by) => shiftMonth(monday, by)).filter((month) => periodsStartingIn('weekly', month, '1900-01-01')!.some((w) => w.start === start));
        expect(listedIn).toEqual([monthOf(monday)]);
        // And as the whole week: Monday to Sunday.
        expect(periodsStartingIn('weekly', monthOf(monday), '1900-01-01')!.find((w) => w.start === start)).toEqual({ start, end });
      }),
      { numRuns: 500 },
    );
  });

  it("a year's twelve months list its Mondays, each once, in order", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1901, max: 9997 }), (year) => {
        const mondays: string[] = [];
        for (let ms = Date.UTC(year, 0, 1); ms < Date.UTC(year + 1, 0, 1); ms += DAY) if (new Date(ms).getUTCDay() === 1) mondays.push(iso(ms));
        const months = Array.from({ length: 12 }, (_, i) => `${String(year).padStart(4, '0')}-${String(i + 1).padStart(2, '0')}`);
        const listed = months.flatMap((m) => periodsStartingIn('weekly', m, '1900-01-01')!.map((w) => w.start));
        expect(listed).toEqual(mondays);
      }),
      { numRuns: 100 },
    );
  });

  it("never lists a period before the budget's first, and leaves every later one", () => {
    fc.assert(
      fc.property(aDay, aDay, fc.constantFrom('weekly' as const, 'monthly' as const), (monthMs, firstMs, kind) => {
        const month = monthOf(monthMs);
        const firstStart = iso(firstMs);
        const all = periodsStartingIn(kind, month, '1900-01-01')!;
        expect(periodsStartingIn(kind, month, firstStart)).toEqual(all.filter((p) => p.start >= firstStart));
        expect(periodsStartingIn('yearly', month, firstStart)).toBeNull();
      }),
      { numRuns: 300 },
    );
  });
});

const limit = fc.option(fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }), { nil: undefined });
const categories = fc.uniqueArray(fc.record({ id: fc.constantFrom('a', 'b', 'c', 'd', 'e'), limit }), { selector: (c) => c.id, maxLength: 5 });

describe('assignedIn and readyToAssign', () => {
  it('a month assigns the sum of its periods, each taken alone (overrides and limit history per period)', () => {
    const period = fc.constantFrom(...['2026-01', '2026-02', '2026-03', '2026-04'].map((m) => periodsStartingIn('monthly', m, '1900-01-01')![0]!));
    fc.assert(
      fc.property(
        categories,
        fc.array(fc.record({ periodStart: fc.constantFrom('2026-01-01', '2026-02-01', '2026-03-01', '2026-04-01'), categoryId: fc.constantFrom('a', 'b', 'c'), limit: fc.integer({ min: 0, max: 10 ** 12 }) }), { maxLength: 4 }),
        fc.array(fc.record({ before: fc.constantFrom('2026-02-01', '2026-03-01', '2026-04-01'), categoryId: fc.constantFrom('a', 'b', 'c'), limit: fc.integer({ min: 0, max: 10 ** 12 }) }), { maxLength: 3 }),
        fc.uniqueArray(period, { selector: (p) => p.start, maxLength: 4 }),
        (cats, periodLimits, limitHistory, periods) => {
          const budget = testBudget({
            categories: cats.map((c): Category => ({ id: c.id, name: c.id.toUpperCase(), ...(c.limit === undefined ? {} : { limit: c.limit }) })),
            periodLimits: dedupe(periodLimits, (p) => `${p.periodStart}#${p.categoryId}`),
            limitHistory: dedupe(limitHistory, (h) => `${h.before}#${h.categoryId}`).sort((x, y) => x.before.localeCompare(y.before) || x.categoryId.localeCompare(y.categoryId)),
          });
          const whole = assignedIn(budget, periods);
          const alone = periods.map((p) => assignedIn(budget, [p]));
          expect(whole.assigned).toBe(alone.reduce((sum, a) => sum + a.assigned, 0n));
          for (const line of whole.categories) {
            expect(line.assigned).toBe(alone.reduce((sum, a) => sum + (a.categories.find((c) => c.categoryId === line.categoryId)?.assigned ?? 0n), 0n));
          }
          expect(whole.assigned).toBe(whole.categories.reduce((sum, c) => sum + c.assigned, 0n));
          // In the budget's order, each category once.
          const order = budget.categories.map((c) => c.id);
          expect(whole.categories.map((c) => c.categoryId)).toEqual(order.filter((id) => whole.categories.some((c) => c.categoryId === id)));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('readyToAssign = income - sum(categories.assigned), exact, or null when a figure passes 2^53 - 1', () => {
    const line = fc.record({ categoryId: fc.string(), name: fc.string(), assigned: fc.bigInt({ min: 0n, max: 2n * MAX }) });
    fc.assert(
      fc.property(fc.integer({ min: -Number.MAX_SAFE_INTEGER, max: Number.MAX_SAFE_INTEGER }), fc.array(line, { maxLength: 4 }), (income, lines: CategoryAssigned[]) => {
        const assigned = lines.reduce((sum, c) => sum + c.assigned, 0n);
        const ready = BigInt(income) - assigned;
        const answer = readyToAssign('2026-11', 'EUR', income, { categories: lines, assigned });
        const fits = [ready, assigned, ...lines.map((c) => c.assigned)].every((n) => n <= MAX && n >= -MAX);
        if (!fits) {
          expect(answer).toBeNull();
          return;
        }
        expect(answer).not.toBeNull();
        expect(BigInt(answer!.readyToAssign)).toBe(BigInt(answer!.income) - answer!.categories.reduce((sum, c) => sum + BigInt(c.assigned), 0n));
        expect(BigInt(answer!.assigned)).toBe(assigned);
        expect(answer!.overAssigned).toBe(answer!.readyToAssign < 0);
      }),
      { numRuns: 500 },
    );
  });
});

function dedupe<T>(items: T[], key: (item: T) => string): T[] {
  const seen = new Map<string, T>();
  for (const item of items) if (!seen.has(key(item))) seen.set(key(item), item);
  return [...seen.values()];
}
