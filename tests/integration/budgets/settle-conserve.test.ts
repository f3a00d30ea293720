import fc from 'fast-check';
import { fixedClock } from '@budgeting/platform';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addMember, as, createBudget, signUp, type Actor } from '../../support/actors';
import { createTestSystem, type TestSystem } from '../../support/test-system';

/**
 * Does money between members add up? Property, through HTTP on DynamoDB Local: three people
 * (the owner and two editors), a random sequence of expenses recorded by any of them (for
 * everyone, shared with some, or by exact amounts; refunds), their edits and deletes, settle-up
 * payments recorded, corrected (amount, and a new day: the item moves, a pointer stays at its
 * home day), deleted, shares changed, members removed and added again, and "settle up now"
 * (recording exactly the suggested transfers). Then, over several ranges, with the expectation
 * taken from the lists (GET .../expenses, GET .../settlements) and a model of the payments
 * written here, never from the balances themselves:
 * - `total` is the listed expenses' sum (signed), `paid` each recorder's, and the `owes` add up
 *   to `total`;
 * - `sent` and `received` are the payments listed in the range, and the list is exactly the
 *   payments the model holds (ids, amounts, days, counted once whatever their moves);
 * - every `net` is paid - owes + sent - received, and the nets add up to 0;
 * - the suggested transfers are positive and add up to the positive nets; recording them zeroes
 *   every net of their range.
 * Seeded: SETTLE_SEED=<n> replays a failure (CI: 5 unless given), SETTLE_RUNS=<n> runs more (CI: 5, fixed seed; 10 elsewhere).
 */
const NOW = '2026-12-03T12:00:00Z';
const clock = fixedClock(NOW);
let t: TestSystem;
beforeAll(async () => {
  t = await createTestSystem({ clock });
});
afterAll(() => t?.destroy());

const DAY = fc.integer({ min: 1, max: 30 }).map((d) => `2026-11-${String(d).padStart(2, '0')}`);
const WHO = fc.integer({ min: 0, max: 2 });
const opArb = fc.oneof(
  {
    weight: 6,
    arbitrary: fc.record({
      op: fc.constant('expense' as const),
      who: WHO,
      amount: fc.integer({ min: 1, max: 90_000 }),
      on: DAY,
      refund: fc.boolean(),
      sharing: fc.constantFrom('everyone', 'with', 'exact'),
      among: fc.subarray([0, 1, 2], { minLength: 1 }),
    }),
  },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('editExpense' as const), pick: fc.nat(), on: DAY, amount: fc.integer({ min: 1, max: 90_000 }) }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('deleteExpense' as const), pick: fc.nat() }) },
  { weight: 4, arbitrary: fc.record({ op: fc.constant('pay' as const), from: WHO, to: WHO, amount: fc.integer({ min: 1, max: 50_000 }), on: DAY }) },
  { weight: 4, arbitrary: fc.record({ op: fc.constant('moveDay' as const), pick: fc.nat(), on: DAY }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('amend' as const), pick: fc.nat(), amount: fc.integer({ min: 1, max: 50_000 }) }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('unpay' as const), pick: fc.nat() }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('share' as const), who: WHO, share: fc.integer({ min: 0, max: 3 }) }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('leave' as const), who: fc.integer({ min: 1, max: 2 }) }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('rejoin' as const), who: fc.integer({ min: 1, max: 2 }) }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('settleUp' as const), from: DAY, to: DAY }) },
);
type Op = typeof opArb extends fc.Arbitrary<infer V> ? V : never;
const scenarioArb = fc.array(opArb, { minLength: 3, maxLength: Number(process.env.SETTLE_OPS ?? 20) });

interface Payment { id: string; from: string; to: string; amount: number; paidOn: string }
interface Member { userId: string; share: number; paid: number; sent: number; received: number; owes: number; net: number }
interface Balances { total: number; members: Member[]; settlements: { from: string; to: string; amount: number }[] }

async function runScenario(ops: Op[]): Promise<void> {
  clock.set(NOW);
  const people: Actor[] = await Promise.all([0, 1, 2].map((i) => signUp(t.app, `settle-${i}`)));
  const [owner] = people as [Actor, Actor, Actor];
  const budget = await createBudget(t.app, owner, { limit: 1_000_000, categories: [{ name: 'Food' }] });
  const base = `/v1/budgets/${budget.id}`;
  for (const p of people.slice(1)) await addMember(t.app, owner, budget.id, p, 'editor');
  const members = new Set([0, 1, 2]);
  const payments = new Map<string, Payment>();
  const ok = async (who: Actor, method: string, path: string, body?: unknown, expected = [200, 201, 204]) => {
    const res = await as(t.app, who)(method, `${base}${path}`, body === undefined ? {} : { body });
    expect(expected, `${method} ${path} ${JSON.stringify(body ?? '')}: ${res.status} ${res.text}`).toContain(res.status);
    return res;
  };
  const listExpenses = async () => {
    const items: { id: string; amount: number; occurredOn: string; refund?: boolean; createdBy: string; sharedAmounts?: unknown }[] = [];
    for (let cursor: string | null = null, first = true; first || cursor; first = false) {
      const res = await ok(owner, 'GET', `/expenses?limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
      items.push(...res.json.items);
      cursor = res.json.nextCursor ?? null;
    }
    return items;
  };
  const listPayments = async (from: string, to: string) => {
    const items: { id: string; fromUserId: string; toUserId: string; amount: number; paidOn: string }[] = [];
    for (let cursor: string | null = null, first = true; first || cursor; first = false) {
      const res = await ok(owner, 'GET', `/settlements?from=${from}&to=${to}&limit=7${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
      items.push(...res.json.items);
      cursor = res.json.nextCursor ?? null;
    }
    return items;
  };
  const balances = async (from: string, to: string): Promise<Balances> => (await ok(owner, 'GET', `/balances?from=${from}&to=${to}`)).json;
  const pick = <T,>(items: T[], n: number) => items[n % items.length];

  for (const op of ops) {
    switch (op.op) {
      case 'expense': {
        if (!members.has(op.who)) break;
        const among = op.among.filter((i) => members.has(i));
        if (op.sharing !== 'everyone' && among.length === 0) break;
        const ids = among.map((i) => people[i]!.id);
        let sharing = {};
        if (op.sharing === 'with') sharing = { sharedWith: ids };
        if (op.sharing === 'exact' && op.amount >= ids.length) {
          const part = Math.floor(op.amount / ids.length);
          sharing = { sharedAmounts: ids.map((userId, i) => ({ userId, amount: i === 0 ? op.amount - part * (ids.length - 1) : part })) };
        }
        await ok(people[op.who]!, 'POST', '/expenses', { amount: op.amount, occurredOn: op.on, ...(op.refund ? { refund: true } : {}), ...sharing });
        break;
      }
      case 'editExpense': {
        const items = await listExpenses();
        if (items.length === 0) break;
        const e = pick(items, op.pick)!;
        await ok(owner, 'PATCH', `/expenses/${e.id}`, { occurredOn: op.on, ...(e.sharedAmounts ? {} : { amount: op.amount }) });
        break;
      }
      case 'deleteExpense': {
        const items = await listExpenses();
        if (items.length === 0) break;
        await ok(owner, 'DELETE', `/expenses/${pick(items, op.pick)!.id}`);
        break;
      }
      case 'pay': {
        if (op.from === op.to || !members.has(op.from) || !members.has(op.to)) break;
        const res = await ok(people[op.from]!, 'POST', '/settlements', { fromUserId: people[op.from]!.id, toUserId: people[op.to]!.id, amount: op.amount, paidOn: op.on });
        payments.set(res.json.id, { id: res.json.id, from: people[op.from]!.id, to: people[op.to]!.id, amount: op.amount, paidOn: op.on });
        break;
      }
      case 'moveDay':
      case 'amend': {
        if (payments.size === 0) break;
        const p = pick([...payments.values()], op.pick)!;
        const body = op.op === 'moveDay' ? { paidOn: op.on } : { amount: op.amount };
        const res = await ok(owner, 'PATCH', `/settlements/${p.id}`, body);
        expect(res.json.id).toBe(p.id);
        payments.set(p.id, { ...p, ...body });
        break;
      }
      case 'unpay': {
        if (payments.size === 0) break;
        const p = pick([...payments.values()], op.pick)!;
        await ok(owner, 'DELETE', `/settlements/${p.id}`);
        payments.delete(p.id);
        break;
      }
      case 'share': {
        if (!members.has(op.who)) break;
        await ok(owner, 'PATCH', `/members/${people[op.who]!.id}`, { share: op.share });
        break;
      }
      case 'leave': {
        if (!members.has(op.who)) break;
        await ok(owner, 'DELETE', `/members/${people[op.who]!.id}`);
        members.delete(op.who);
        break;
      }
      case 'rejoin': {
        if (members.has(op.who)) break;
        await addMember(t.app, owner, budget.id, people[op.who]!, 'editor');
        members.add(op.who);
        break;
      }
      case 'settleUp': {
        const [from, to] = op.from <= op.to ? [op.from, op.to] : [op.to, op.from];
        const suggested = (await balances(from, to)).settlements;
        // A former member is settled outside the app (a payment needs two current members).
        const current = new Set([...members].map((i) => people[i]!.id));
        if (suggested.some((x) => !current.has(x.from) || !current.has(x.to))) break;
        for (const s of suggested) {
          const payer = people.find((p) => p.id === s.from)!;
          const res = await ok(payer, 'POST', '/settlements', { fromUserId: s.from, toUserId: s.to, amount: s.amount, paidOn: to });
          payments.set(res.json.id, { id: res.json.id, from: s.from, to: s.to, amount: s.amount, paidOn: to });
        }
        const after = await balances(from, to);
        expect({ range: `${from}..${to}`, after: 'settling up', nets: after.members.filter((m) => m.net !== 0), settlements: after.settlements }).toEqual({ range: `${from}..${to}`, after: 'settling up', nets: [], settlements: [] });
        break;
      }
    }
  }

  // ----- the invariants -----
  const expenses = await listExpenses();
  const RANGES: [string, string][] = [['2026-11-01', '2026-11-30'], ['2026-11-10', '2026-11-20'], ['2026-10-01', '2026-12-31'], ['2026-11-30', '2026-11-30']];
  const allListed = await listPayments('2026-10-01', '2026-12-31');
  expect({ check: 'payments listed', items: allListed.map((p) => ({ id: p.id, from: p.fromUserId, to: p.toUserId, amount: p.amount, paidOn: p.paidOn })).sort((a, b) => a.id.localeCompare(b.id)) }).toEqual({
    check: 'payments listed',
    items: [...payments.values()].sort((a, b) => a.id.localeCompare(b.id)),
  });
  for (const [from, to] of RANGES) {
    const range = `${from}..${to}`;
    const b = await balances(from, to);
    const inRange = expenses.filter((e) => e.occurredOn >= from && e.occurredOn <= to);
    const signed = (e: { amount: number; refund?: boolean }) => (e.refund ? -e.amount : e.amount);
    const paid: Record<string, number> = {};
    for (const e of inRange) paid[e.createdBy] = (paid[e.createdBy] ?? 0) + signed(e);
    const sent: Record<string, number> = {};
    const received: Record<string, number> = {};
    for (const p of payments.values()) {
      if (p.paidOn < from || p.paidOn > to) continue;
      sent[p.from] = (sent[p.from] ?? 0) + p.amount;
      received[p.to] = (received[p.to] ?? 0) + p.amount;
    }
    const nonzero = (r: Record<string, number>) => Object.fromEntries(Object.entries(r).filter(([, v]) => v !== 0).sort());
    const of = (f: (m: Member) => number) => nonzero(Object.fromEntries(b.members.map((m) => [m.userId, f(m)])));
    const positive = b.members.reduce((s, m) => s + Math.max(0, m.net), 0);
    expect({
      range,
      total: b.total,
      paid: of((m) => m.paid),
      owesInAll: b.members.reduce((s, m) => s + m.owes, 0),
      sent: of((m) => m.sent),
      received: of((m) => m.received),
      netsWrong: b.members.filter((m) => m.net !== m.paid - m.owes + m.sent - m.received),
      netsInAll: b.members.reduce((s, m) => s + m.net, 0),
      transfers: b.settlements.reduce((s, x) => s + x.amount, 0),
      transfersNotPositive: b.settlements.filter((x) => x.amount <= 0),
    }).toEqual({
      range,
      total: inRange.reduce((s, e) => s + signed(e), 0),
      paid: nonzero(paid),
      owesInAll: inRange.reduce((s, e) => s + signed(e), 0),
      sent: nonzero(sent),
      received: nonzero(received),
      netsWrong: [],
      netsInAll: 0,
      transfers: positive,
      transfersNotPositive: [],
    });
  }
}

function seedOfRun(): number | undefined {
  if (process.env.SETTLE_SEED) return Number(process.env.SETTLE_SEED);
  return process.env.CI ? 5 : undefined;
}

describe('does money between members add up? balances, payments and members against the lists', { timeout: 900_000 }, () => {
  it('holds for random expenses, payments (recorded, corrected, moved, deleted), shares and members', async () => {
    await fc.assert(
      fc.asyncProperty(scenarioArb, async (ops) => runScenario(ops)),
      { numRuns: Number(process.env.SETTLE_RUNS ?? (process.env.CI ? 5 : 10)), endOnFailure: true, seed: seedOfRun() },
    );
  });
});
