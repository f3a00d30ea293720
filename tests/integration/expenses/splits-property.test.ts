import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, type Harness, type User } from './harness';

/**
 * Property (DynamoDB Local, through HTTP): after any sequence of creates, PATCHes and
 * deletes of split and unsplit expenses, the budget summary shows per category exactly the
 * sum of the parts (or whole amounts) of the expenses that remain, recomputed here from what
 * the test itself asked for, and the list by category finds exactly the expenses with a
 * part (or their category) in it. Each run gets a budget of its own.
 */
let h: Harness;
let owner: User;

beforeAll(async () => {
  h = await createHarness();
  owner = await h.signup('owner');
});
afterAll(() => h.destroy());

const CATEGORY_SLOTS = 3;
/** A part or an expense's category: one of the budget's by slot, or null (uncategorized). */
const slot = fc.option(fc.integer({ min: 0, max: CATEGORY_SLOTS - 1 }), { nil: null });
const shape = fc.oneof(
  fc.record({ kind: fc.constant('single' as const), amount: fc.integer({ min: 1, max: 10_000 }), category: slot }),
  fc.record({ kind: fc.constant('split' as const), parts: fc.array(fc.tuple(fc.integer({ min: 1, max: 5_000 }), slot), { minLength: 2, maxLength: 4 }) }),
);
const day = fc.constantFrom('2026-11-01', '2026-11-15', '2026-11-30');
const op = fc.oneof(
  fc.record({ op: fc.constant('create' as const), shape, day }),
  fc.record({ op: fc.constant('patch' as const), target: fc.nat(), shape, day: fc.option(day, { nil: undefined }) }),
  fc.record({ op: fc.constant('delete' as const), target: fc.nat() }),
);

type Shape = { kind: 'single'; amount: number; category: number | null } | { kind: 'split'; parts: [number, number | null][] };

describe('split expenses: summary per category = the parts recomputed', { timeout: 600_000 }, () => {
  it('holds for random create / patch / delete sequences', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(op, { minLength: 1, maxLength: 8 }), async (ops) => {
        const budget = await h.createBudget(owner, { categories: ['A', 'B', 'C'] });
        const ids = budget.categories.map((c) => c.id);
        const cat = (s: number | null) => (s === null ? null : ids[s]!);
        const path = `/v1/budgets/${budget.id}/expenses`;
        /** What the test believes each live expense is: its version and contribution. */
        const live = new Map<string, { version: number; shape: Shape }>();
        const body = (s: Shape) =>
          s.kind === 'single'
            ? { amount: s.amount, categoryId: cat(s.category) }
            : { amount: s.parts.reduce((sum, [a]) => sum + a, 0), splits: s.parts.map(([a, c]) => ({ categoryId: cat(c), amount: a })) };

        for (const o of ops) {
          const target = o.op === 'create' ? undefined : [...live.keys()][o.target % Math.max(live.size, 1)];
          if (o.op === 'create') {
            const res = await h.call('POST', path, { token: owner.token, body: { ...body(o.shape), occurredOn: o.day } });
            expect(res.status, res.text).toBe(201);
            live.set(res.json.id, { version: 1, shape: o.shape });
          } else if (target && o.op === 'patch') {
            const current = live.get(target)!;
            // From split to single, the parts must go (splits: null); from anything to split, categoryId null.
            const patch = { ...body(o.shape), ...(o.shape.kind === 'single' && current.shape.kind === 'split' ? { splits: null } : {}), ...(o.day ? { occurredOn: o.day } : {}) };
            const res = await h.call('PATCH', `${path}/${target}`, { token: owner.token, body: patch, headers: { 'if-match': `"${current.version}"` } });
            expect(res.status, res.text).toBe(200);
            live.set(target, { version: res.json.version, shape: o.shape });
          } else if (target && o.op === 'delete') {
            const res = await h.call('DELETE', `${path}/${target}`, { token: owner.token, headers: { 'if-match': `"${live.get(target)!.version}"` } });
            expect(res.status, res.text).toBe(204);
            live.delete(target);
          }
        }

        // Recomputed independently: each remaining expense's parts (or whole amount) per category.
        const expected = { spent: 0, uncategorized: 0, byCategory: Object.fromEntries(ids.map((id) => [id, 0])) as Record<string, number> };
        const members = new Map<string, Set<string>>(ids.map((id) => [id, new Set()]));
        for (const [id, { shape: s }] of live) {
          const parts: [number, number | null][] = s.kind === 'single' ? [[s.amount, s.category]] : s.parts;
          for (const [amount, c] of parts) {
            expected.spent += amount;
            if (c === null) expected.uncategorized += amount;
            else {
              expected.byCategory[ids[c]!]! += amount;
              members.get(ids[c]!)!.add(id);
            }
          }
        }
        const summary = (await h.call('GET', `/v1/budgets/${budget.id}/summary?date=2026-11-24`, { token: owner.token })).json;
        expect({
          spent: summary.spent,
          uncategorized: summary.uncategorizedSpent,
          byCategory: Object.fromEntries(summary.categories.map((c: { categoryId: string; spent: number }) => [c.categoryId, c.spent])),
        }).toEqual(expected);
        for (const id of ids) {
          const listed = await h.call('GET', `${path}?categoryId=${id}&limit=100`, { token: owner.token });
          expect(listed.status, listed.text).toBe(200);
          expect(new Set(listed.json.items.map((e: { id: string }) => e.id))).toEqual(members.get(id));
        }
      }),
      { numRuns: 12 },
    );
  });
});
