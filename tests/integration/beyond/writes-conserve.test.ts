import fc from 'fast-check';
import { createLogger, fixedClock } from '@budgeting/platform';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBudget, signUp, tokenAtClock } from '../../support/actors';
import { runRecurringIncomeJob, runRecurringJob } from '../../support/recurring-job';
import { call as httpCall, type CallOptions } from '../../support/http';
import { createFanOutSystem, type FanOutSystem } from '../jobs/support';
import type { Budget, User } from '../expenses/harness';

/**
 * Does any mix of writes make money appear or vanish? Property, through HTTP on DynamoDB Local:
 * one owner, a random sequence of every kind of write that moves an expense or an income entry
 * (create with splits, refunds, merchants and tags; PATCH of each counted field; DELETE and
 * restore; bulk recategorize, tag, untag and delete, and a later undo of one of them; a category
 * reassign; a category removed from the budget; merchant and tag renames; a rule applied; a CSV
 * import with credits as income, and a later undo of it; income created, PATCHed, deleted and
 * restored; recurring expenses and income recorded; the offline push), in any order, so an undo
 * or a restore meets what later writes did. After EVERY write a phone syncs on from its cursor;
 * at the end, with nothing of the code under test computing the expectation:
 * - the phone, and a phone syncing from nothing, equal the lists (expenses, income, recurring
 *   definitions: whole items);
 * - each month's summary is the listed expenses' sum (signed by `refund`, split parts in their
 *   own categories, a category the budget no longer has counted as uncategorized);
 * - the cash flow's months are the lists' sums (spending and income);
 * - the CSV exports of expenses and income hold exactly the listed items' amounts;
 * - `expenses-totals-check` finds no difference between the running totals and the items.
 * Seeded: CONSERVE_SEED=<n> replays a failure (CI: 3 unless given), CONSERVE_RUNS=<n> runs more (CI: 4 a property, fixed seed: the same sequences every run; 10 elsewhere).
 */
const NOW = '2026-11-24T12:00:00Z';
const clock = fixedClock(NOW);
const quiet = { logger: createLogger('SILENT') };
let s: FanOutSystem;
/** The few steps of the expenses harness used here, on a system whose jobs go over the local queue (the data export's units too). */
const h = {
  get t() {
    return s.t;
  },
  call: (method: string, path: string, options: CallOptions = {}) => httpCall(s.t.app, method, path, options),
  signup: (label: string): Promise<User> => signUp(s.t.app, label),
  createBudget: async (owner: User, categories: string[]): Promise<Budget> => {
    const b = await createBudget(s.t.app, owner, { limit: 1_000_000_000, categories: categories.map((name) => ({ name })) });
    return { id: b.id, currency: b.currency, categories: b.categories };
  },
  importCsv: (budget: Budget, who: User, csv: string, query: Record<string, string>) =>
    httpCall(s.t.app, 'POST', `/v1/budgets/${budget.id}/expenses/import?${new URLSearchParams(query).toString()}`, { token: who.token, rawBody: csv, headers: { 'content-type': 'text/csv', prefer: 'wait=25' } }),
};
beforeAll(async () => {
  s = await createFanOutSystem({ clock });
});
afterAll(() => s?.t.destroy());

const MERCHANTS = ['Corner Shop', 'Bakery', 'Fuel Co'];
const TAGS = ['trip', 'work', 'kids'];
const CATS = 3;
const cat = fc.option(fc.integer({ min: 0, max: CATS - 1 }), { nil: null, freq: 4 });
const day = fc.record({ month: fc.constantFrom('10', '11'), day: fc.integer({ min: 1, max: 28 }) }).map(({ month, day }) => `2026-${month}-${String(day).padStart(2, '0')}`);
const amount = fc.integer({ min: 1, max: 50_000 });
const shape = fc.oneof(
  fc.record({ amount, cat }).map(({ amount, cat }) => ({ parts: [[amount, cat]] as [number, number | null][], split: false })),
  fc.array(fc.tuple(fc.integer({ min: 1, max: 20_000 }), cat), { minLength: 2, maxLength: 3 }).map((parts) => ({ parts: parts as [number, number | null][], split: true })),
);
const create = fc.record({
  op: fc.constant('create' as const),
  shape,
  on: day,
  refund: fc.boolean(),
  merchant: fc.option(fc.integer({ min: 0, max: MERCHANTS.length - 1 }), { nil: null }),
  tag: fc.option(fc.integer({ min: 0, max: TAGS.length - 1 }), { nil: null }),
  via: fc.constantFrom('api', 'push'),
  omit: fc.boolean(),
});
const patch = fc.record({
  op: fc.constant('patch' as const),
  pick: fc.nat(),
  change: fc.oneof(
    fc.record({ f: fc.constant('amount' as const), amount }),
    fc.record({ f: fc.constant('category' as const), cat }),
    fc.record({ f: fc.constant('date' as const), on: day }),
    fc.record({ f: fc.constant('refund' as const) }),
    fc.record({ f: fc.constant('shape' as const), shape }),
    fc.record({ f: fc.constant('merchant' as const), merchant: fc.integer({ min: 0, max: MERCHANTS.length - 1 }) }),
  ),
  via: fc.constantFrom('api', 'push'),
});
const opArb = fc.oneof(
  { weight: 6, arbitrary: create },
  { weight: 4, arbitrary: patch },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('delete' as const), pick: fc.nat(), via: fc.constantFrom('api', 'push') }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('restore' as const), pick: fc.nat() }) },
  {
    weight: 2,
    arbitrary: fc.record({
      op: fc.constant('bulk' as const),
      picks: fc.array(fc.nat(), { minLength: 1, maxLength: 4 }),
      action: fc.oneof(
        fc.record({ type: fc.constant('recategorize' as const), cat }),
        fc.record({ type: fc.constant('addTags' as const), tag: fc.integer({ min: 0, max: TAGS.length - 1 }) }),
        fc.record({ type: fc.constant('removeTags' as const), tag: fc.integer({ min: 0, max: TAGS.length - 1 }) }),
        fc.record({ type: fc.constant('delete' as const) }),
      ),
    }),
  },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('undoBulk' as const), pick: fc.nat() }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('reassign' as const), from: fc.integer({ min: 0, max: CATS - 1 }), to: fc.integer({ min: 0, max: CATS - 1 }) }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('removeCategory' as const), cat: fc.integer({ min: 1, max: CATS - 1 }) }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('renameMerchant' as const), from: fc.integer({ min: 0, max: MERCHANTS.length - 1 }), to: fc.integer({ min: 0, max: MERCHANTS.length - 1 }) }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('renameTag' as const), from: fc.integer({ min: 0, max: TAGS.length - 1 }), to: fc.option(fc.integer({ min: 0, max: TAGS.length - 1 }), { nil: null }) }) },
  {
    weight: 1,
    arbitrary: fc.record({
      op: fc.constant('rule' as const),
      merchant: fc.integer({ min: 0, max: MERCHANTS.length - 1 }),
      cat: fc.integer({ min: 0, max: CATS - 1 }),
      /** A split rule: `percent` to `cat`, the rest to the next category. */
      split: fc.option(fc.integer({ min: 1, max: 99 }), { nil: null }),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      op: fc.constant('import' as const),
      rows: fc.array(fc.record({ on: day, amount: fc.integer({ min: -50_000, max: 50_000 }).filter((a) => a !== 0), merchant: fc.integer({ min: 0, max: MERCHANTS.length - 1 }) }), { minLength: 1, maxLength: 3 }),
    }),
  },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('undoImport' as const), pick: fc.nat() }) },
  {
    weight: 3,
    arbitrary: fc.record({
      op: fc.constant('income' as const),
      what: fc.constantFrom('create', 'create', 'patch', 'delete', 'restore'),
      pick: fc.nat(),
      amount,
      on: day,
      via: fc.constantFrom('api', 'push'),
    }),
  },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('tick' as const), days: fc.integer({ min: 1, max: 20 }) }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('recurring' as const), income: fc.boolean(), amount, on: day, cat, times: fc.integer({ min: 1, max: 2 }) }) },
);
type Op = typeof opArb extends fc.Arbitrary<infer V> ? V : never;
const scenarioArb = fc.array(opArb, { minLength: 3, maxLength: Number(process.env.CONSERVE_OPS ?? 16) });

type Item = { id: string; version: number } & Record<string, any>;
const LISTS = { expenses: 'expenses', income: 'income', recurringExpenses: 'recurring-expenses', recurringIncome: 'recurring-income' } as const;
type ListName = keyof typeof LISTS;

/** A phone: what GET /changes told it, applied in order, and its cursor. */
class Phone {
  readonly items: Record<ListName, Map<string, Item>> = { expenses: new Map(), income: new Map(), recurringExpenses: new Map(), recurringIncome: new Map() };
  /** The Budget resource as the pages last sent it. */
  shownBudget: unknown;
  private token: string | undefined;
  constructor(private readonly budget: Budget, private readonly user: User) {}
  async sync(): Promise<void> {
    for (let pages = 0; ; pages++) {
      expect(pages, 'sync pages').toBeLessThan(100);
      const first = this.token === undefined;
      const res = await h.call('GET', `/v1/budgets/${this.budget.id}/changes?limit=7${this.token ? `&since=${encodeURIComponent(this.token)}` : ''}`, { token: this.user.token });
      expect(res.status, res.text).toBe(200);
      for (const list of Object.keys(LISTS) as ListName[]) {
        for (const { kind, ...item } of (res.json[list] ?? []) as (Item & { kind: string })[]) {
          if (kind === 'deleted') this.items[list].delete(item.id);
          else this.items[list].set(item.id, item as Item);
        }
      }
      if (res.json.budget) this.shownBudget = res.json.budget;
      this.token = res.json.serverKnowledge;
      if (!res.json.hasMore) {
        // A first sync's last page: what was written during its pages comes with the next one.
        if (first) continue;
        return;
      }
    }
  }
}

async function listAll(budget: Budget, user: User, list: ListName): Promise<Map<string, Item>> {
  const items: Item[] = [];
  let cursor: string | null = null;
  do {
    const res = await h.call('GET', `/v1/budgets/${budget.id}/${LISTS[list]}?limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`, { token: user.token });
    expect(res.status, res.text).toBe(200);
    items.push(...res.json.items);
    cursor = res.json.nextCursor ?? null;
  } while (cursor);
  return new Map(items.map((i) => [i.id, i]));
}

/** Money of a CSV export's amount column (major units, 2 decimals) in minor units. */
const minor = (s: string) => Math.round(Number(s) * 100);

/**
 * `batches`: how many writes go at once (1: one after another). Writes sent together may
 * refuse each other (404 gone, 409, 412, 422, a push's `conflict`): allowed then, never a 5xx;
 * and the phone syncs while they run.
 */
async function runScenario(ops: Op[], batches: number[] = []): Promise<void> {
  clock.set(NOW);
  const owner = await h.signup('conserve');
  const budget = await h.createBudget(owner, ['Food', 'Fun', 'Home']);
  const base = `/v1/budgets/${budget.id}`;
  const catIds = budget.categories.map((c) => c.id);
  const removed = new Set<string>();
  const catOf = (slot: number | null) => (slot === null || removed.has(catIds[slot]!) ? null : catIds[slot]!);
  const call = (method: string, path: string, options: { body?: unknown; headers?: Record<string, string>; rawBody?: string } = {}) => h.call(method, `${base}${path}`, { token: owner.token, ...options });
  const concurrent = batches.some((n) => n > 1);
  const ok = async (method: string, path: string, options: { body?: unknown; headers?: Record<string, string>; rawBody?: string } = {}) => {
    const res = await call(method, path, options);
    if (concurrent && method !== 'GET' && [404, 409, 412, 422].includes(res.status)) return res.json ?? {};
    expect(res.status, `${method} ${path} ${JSON.stringify(options.body ?? '')}: ${res.text}`).toBeLessThan(300);
    return res.json;
  };
  const push = async (mutation: Record<string, unknown>) => {
    const res = await ok('POST', '/changes', { body: { mutations: [mutation] } });
    if (concurrent && !res.results) return undefined;
    if (!(concurrent && ['conflict', 'error'].includes(res.results[0].status))) expect(res.results[0].status, JSON.stringify(res.results[0])).toBe('applied');
    return res.results[0];
  };
  const bodyOf = (s: { parts: [number, number | null][]; split: boolean }) =>
    s.split
      ? { amount: s.parts.reduce((sum, [a]) => sum + a, 0), splits: s.parts.map(([a, c]) => ({ amount: a, categoryId: catOf(c) })) }
      : { amount: s.parts[0]![0], categoryId: catOf(s.parts[0]![1]) };
  const phone = new Phone(budget, owner);
  await phone.sync();
  const live = async () => [...(await listAll(budget, owner, 'expenses')).values()];
  const deleted = async (what: 'expenses' | 'income') => ((await ok('GET', `/${what}/deleted?limit=100`)).items as Item[]);
  const bulks: string[] = [];
  const imports: string[] = [];

  const apply = async (op: Op): Promise<void> => {
    switch (op.op) {
      case 'create': {
        const shaped = bodyOf(op.shape);
        // Uncategorized: half the time without the field, so the budget's rules file it.
        if (op.omit && 'categoryId' in shaped && shaped.categoryId === null) delete (shaped as { categoryId?: string | null }).categoryId;
        const body = { ...shaped, occurredOn: op.on, ...(op.refund ? { refund: true } : {}), ...(op.merchant !== null ? { merchant: MERCHANTS[op.merchant] } : {}), ...(op.tag !== null ? { tags: [TAGS[op.tag]] } : {}) };
        if (op.via === 'push') await push({ op: 'create', expense: body });
        else await ok('POST', '/expenses', { body });
        break;
      }
      case 'patch': {
        const items = await live();
        if (items.length === 0) break;
        const e = items[op.pick % items.length]!;
        const c = op.change;
        const body =
          c.f === 'amount' ? (e.splits ? null : { amount: c.amount })
          : c.f === 'category' ? (e.splits ? null : { categoryId: catOf(c.cat) })
          : c.f === 'date' ? { occurredOn: c.on }
          : c.f === 'refund' ? { refund: !e.refund }
          : c.f === 'merchant' ? { merchant: MERCHANTS[c.merchant] }
          : { ...bodyOf(c.shape), ...(e.splits && !c.shape.split ? { splits: null } : {}) };
        if (body === null) break;
        if (op.via === 'push') await push({ op: 'update', id: e.id, baseVersion: e.version, patch: body });
        else await ok('PATCH', `/expenses/${e.id}`, { body, headers: { 'if-match': `"${e.version}"` } });
        break;
      }
      case 'delete': {
        const items = await live();
        if (items.length === 0) break;
        const e = items[op.pick % items.length]!;
        if (op.via === 'push') await push({ op: 'delete', id: e.id, baseVersion: e.version });
        else await ok('DELETE', `/expenses/${e.id}`);
        break;
      }
      case 'restore': {
        const gone = await deleted('expenses');
        if (gone.length === 0) break;
        await ok('POST', `/expenses/${gone[op.pick % gone.length]!.id}/restore`);
        break;
      }
      case 'bulk': {
        const items = await live();
        if (items.length === 0) break;
        const ids = [...new Set(op.picks.map((p) => items[p % items.length]!.id))];
        const a = op.action;
        const action = a.type === 'recategorize' ? { type: a.type, categoryId: catOf(a.cat) } : a.type === 'delete' ? { type: a.type } : { type: a.type, tags: [TAGS[a.tag]] };
        const res = await ok('POST', '/expenses/bulk', { body: { expenseIds: ids, action } });
        if (res.undo?.id) bulks.push(res.undo.id);
        break;
      }
      case 'undoBulk': {
        if (bulks.length === 0) break;
        const res = await call('POST', `/expenses/bulk/${bulks[op.pick % bulks.length]}/undo`);
        // An undo made once, or gone: 409/404/410 are its documented refusals; never a 5xx.
        expect(res.status, res.text).toBeLessThan(500);
        break;
      }
      case 'reassign': {
        const [from, to] = [catIds[op.from]!, catIds[op.to]!];
        // From a removed category too (its expenses still name it); never into one.
        if (from === to || removed.has(to)) break;
        const res = await ok('POST', `/categories/${from}/reassign`, { body: { to } });
        // (Sent with a removal of `to`, its writes are refused as the PATCH refuses them.)
        if (!concurrent) expect(res.failed, JSON.stringify(res)).toEqual([]);
        // Its undo is a bulk undo's (one record kind for the three).
        if (res.undo?.id) bulks.push(res.undo.id);
        break;
      }
      case 'removeCategory': {
        const id = catIds[op.cat]!;
        if (removed.has(id)) break;
        removed.add(id);
        const b = await ok('GET', '');
        await ok('PATCH', '', { body: { categories: (b.categories as { id: string; name: string }[]).filter((c) => c.id !== id).map(({ id, name }) => ({ id, name })) } });
        break;
      }
      case 'renameMerchant': {
        if (op.from === op.to) break;
        const res = await call('POST', '/merchants/rename', { body: { from: [MERCHANTS[op.from]], to: MERCHANTS[op.to] }, headers: { prefer: 'wait=20' } });
        // Nothing to rename is a 4xx of its own; a job must finish.
        expect(res.status, res.text).toBeLessThan(500);
        if (res.status < 300) expect(res.json.status ?? 'succeeded', res.text).toBe('succeeded');
        break;
      }
      case 'renameTag': {
        if (op.from === op.to) break;
        const res = await call('POST', '/tags/rename', { body: { from: [TAGS[op.from]], to: op.to === null ? null : TAGS[op.to] }, headers: { prefer: 'wait=20' } });
        expect(res.status, res.text).toBeLessThan(500);
        if (res.status < 300) expect(res.json.status ?? 'succeeded', res.text).toBe('succeeded');
        break;
      }
      case 'rule': {
        if (removed.has(catIds[op.cat]!)) break;
        const other = catIds[(op.cat + 1) % CATS]!;
        if (op.split !== null && removed.has(other)) break;
        const action = op.split === null ? { categoryId: catIds[op.cat] } : { split: [{ categoryId: catIds[op.cat], percent: op.split }, { categoryId: other, percent: 100 - op.split }] };
        const rule = await ok('POST', '/rules', { body: { merchant: { contains: MERCHANTS[op.merchant] }, ...action } });
        const res = await call('POST', `/rules/${rule.id}/apply`, { body: {}, headers: { prefer: 'wait=20' } });
        expect(res.status, res.text).toBeLessThan(300);
        if (res.json.undo?.id) bulks.push(res.json.undo.id);
        break;
      }
      case 'import': {
        const file = ['Date,Amount,Payee', ...op.rows.map((r) => `${r.on},${(r.amount / 100).toFixed(2)},${MERCHANTS[r.merchant]}`), ''].join('\n');
        const mapping = { dateColumn: 'Date', amountColumn: 'Amount', merchantColumn: 'Payee', amountSign: 'negativeIsSpending', credits: 'income' };
        const res = await h.importCsv(budget, owner, file, mapping);
        expect(res.status, res.text).toBe(200);
        expect(res.json.status, res.text).toBe('succeeded');
        imports.push(res.json.id);
        break;
      }
      case 'undoImport': {
        if (imports.length === 0) break;
        const res = await call('POST', `/imports/${imports[op.pick % imports.length]}/undo`, { headers: { prefer: 'wait=20' } });
        expect(res.status, res.text).toBeLessThan(500);
        break;
      }
      case 'income': {
        if (op.what === 'create') {
          const body = { amount: op.amount, receivedOn: op.on, source: 'Pay' };
          if (op.via === 'push') await push({ type: 'income', op: 'create', income: body });
          else await ok('POST', '/income', { body });
          break;
        }
        if (op.what === 'restore') {
          const gone = await deleted('income');
          if (gone.length) await ok('POST', `/income/${gone[op.pick % gone.length]!.id}/restore`);
          break;
        }
        const items = [...(await listAll(budget, owner, 'income')).values()];
        if (items.length === 0) break;
        const entry = items[op.pick % items.length]!;
        if (op.what === 'delete') {
          if (op.via === 'push') await push({ type: 'income', op: 'delete', id: entry.id, baseVersion: entry.version });
          else await ok('DELETE', `/income/${entry.id}`);
        } else if (op.via === 'push') await push({ type: 'income', op: 'update', id: entry.id, baseVersion: entry.version, patch: { amount: op.amount, receivedOn: op.on } });
        else await ok('PATCH', `/income/${entry.id}`, { body: { amount: op.amount, receivedOn: op.on } });
        break;
      }
      case 'tick': {
        // Days go by (at most 45 in a run) and the recurring jobs record what fell due (not
        // among writes sent at once: their tokens are of the clock they were sent at).
        if (concurrent) break;
        if (Date.parse(clock.now().toISOString()) + op.days * 86_400_000 > Date.parse(NOW) + 45 * 86_400_000) break;
        clock.advance(op.days * 86_400_000);
        owner.token = await tokenAtClock(s.t, owner);
        await runRecurringJob(s.t);
        await runRecurringIncomeJob(s.t);
        await s.queue.idle();
        break;
      }
      case 'recurring': {
        const schedule = { frequency: 'monthly', startsOn: op.on };
        const def = op.income
          ? await ok('POST', '/recurring-income', { body: { amount: op.amount, source: 'Employer', schedule } })
          : await ok('POST', '/recurring-expenses', { body: { amount: op.amount, categoryId: catOf(op.cat), merchant: 'Netflix', schedule } });
        for (let i = 0; i < op.times; i++) {
          const res = await call('POST', `/${op.income ? 'recurring-income' : 'recurring-expenses'}/${def.id}/record-next`, { body: {} });
          expect(res.status, res.text).toBeLessThan(500);
        }
        break;
      }
    }
  };
  for (let i = 0, b = 0; i < ops.length; b++) {
    const n = Math.max(1, batches[b] ?? 1);
    const batch = ops.slice(i, i + n);
    i += n;
    if (batch.length === 1) await apply(batch[0]!);
    else await Promise.all([...batch.map(apply), phone.sync()]);
    await phone.sync();
  }

  // ----- the invariants -----
  const lists = {} as Record<ListName, Map<string, Item>>;
  for (const list of Object.keys(LISTS) as ListName[]) lists[list] = await listAll(budget, owner, list);
  const fresh = new Phone(budget, owner);
  await fresh.sync();
  const shown = await ok('GET', '');
  expect({ check: 'phone budget', budget: phone.shownBudget, fresh: fresh.shownBudget }).toEqual({ check: 'phone budget', budget: shown, fresh: shown });
  for (const list of Object.keys(LISTS) as ListName[]) {
    expect({ check: `phone ${list}`, items: phone.items[list] }).toEqual({ check: `phone ${list}`, items: lists[list] });
    expect({ check: `fresh phone ${list}`, items: fresh.items[list] }).toEqual({ check: `fresh phone ${list}`, items: lists[list] });
  }

  const expenses = [...lists.expenses.values()];
  const income = [...lists.income.values()];
  const kept = new Set(catIds.filter((c) => !removed.has(c)));
  // Every month an item can fall in (recorded bills and paychecks reach into next year).
  const months = ['2026-09', '2026-10', '2026-11', '2026-12', '2027-01', '2027-02', '2027-03', '2027-04', '2027-05'];
  const outside = [...expenses.map((e) => String(e.occurredOn)), ...income.map((i) => String(i.receivedOn))].filter((d) => !months.includes(d.slice(0, 7)));
  expect({ outside }).toEqual({ outside: [] });
  for (const month of months) {
    const mine = expenses.filter((e) => String(e.occurredOn).startsWith(month));
    const expected = { spent: 0, byCategory: {} as Record<string, number>, uncategorized: 0 };
    for (const e of mine) {
      const sign = e.refund === true ? -1 : 1;
      expected.spent += sign * e.amount;
      for (const part of e.splits ?? [e]) {
        if (part.categoryId && kept.has(part.categoryId)) expected.byCategory[part.categoryId] = (expected.byCategory[part.categoryId] ?? 0) + sign * part.amount;
        else expected.uncategorized += sign * part.amount;
      }
    }
    const summary = await ok('GET', `/summary?date=${month}-15`);
    const byCategory = Object.fromEntries((summary.categories as { categoryId: string; spent: number }[]).filter((c) => c.spent !== 0).map((c) => [c.categoryId, c.spent]));
    expect({ route: `summary ${month}`, spent: summary.spent, byCategory, uncategorized: summary.uncategorizedSpent }).toEqual({
      route: `summary ${month}`,
      spent: expected.spent,
      byCategory: Object.fromEntries(Object.entries(expected.byCategory).filter(([, v]) => v !== 0)),
      uncategorized: expected.uncategorized,
    });
  }
  const flow = await ok('GET', `/cash-flow?from=${months[0]}&to=${months.at(-1)}`);
  expect({ route: 'cash-flow', months: (flow.months as { month: string; spent: number; income: number }[]).map((m) => [m.month, m.spent, m.income]) }).toEqual({
    route: 'cash-flow',
    months: months.map((m) => [
      m,
      expenses.filter((e) => String(e.occurredOn).startsWith(m)).reduce((s, e) => s + (e.refund ? -e.amount : e.amount), 0),
      income.filter((i) => String(i.receivedOn).startsWith(m)).reduce((s, i) => s + i.amount, 0),
    ]),
  });

  const exported = await call('GET', '/expenses/export?from=2026-09-01&to=2027-05-31');
  expect(exported.status, exported.text).toBe(200);
  const rows = exported.text.split('\r\n').slice(1).filter((l) => l !== '');
  expect({ route: 'expenses export', rows: rows.length, total: rows.reduce((s, l) => s + minor(l.split(',')[1]!), 0) }).toEqual({
    route: 'expenses export',
    // A split expense: one row per part.
    rows: expenses.reduce((n, e) => n + (e.splits?.length ?? 1), 0),
    total: expenses.reduce((s, e) => s + (e.refund ? -e.amount : e.amount), 0),
  });

  // A merchant's and a tag's months (GET .../spending/monthly), and the suggestions' counts.
  const norm = (x: string) => x.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
  const names = [...new Set([...MERCHANTS, 'Netflix', ...expenses.map((e) => e.merchant).filter(Boolean)])];
  for (const [by, value, has] of [
    ...names.map((m) => ['merchant', m, (e: Item) => typeof e.merchant === 'string' && norm(e.merchant) === norm(m)] as const),
    ...TAGS.map((tag) => ['tag', tag, (e: Item) => ((e.tags ?? []) as string[]).some((x) => norm(x) === norm(tag))] as const),
  ]) {
    const res = await ok('GET', `/spending/monthly?${by}=${encodeURIComponent(value)}&from=${months[0]}&to=${months.at(-1)}`);
    const mine = expenses.filter(has);
    expect({ route: `spending monthly ${by}=${value}`, months: (res.months as { month: string; spent: number }[]).map((m) => [m.month, m.spent]), total: res.total }).toEqual({
      route: `spending monthly ${by}=${value}`,
      months: months.map((m) => [m, mine.filter((e) => String(e.occurredOn).startsWith(m)).reduce((sum, e) => sum + (e.refund ? -e.amount : e.amount), 0)]),
      total: mine.reduce((sum, e) => sum + (e.refund ? -e.amount : e.amount), 0),
    });
  }
  const merchants = await ok('GET', '/merchants');
  const tags = await ok('GET', '/tags');
  const counted = (items: Item[], key: (e: Item) => string[]) => {
    const out: Record<string, number> = {};
    for (const e of items) for (const k of new Set(key(e).map(norm))) out[k] = (out[k] ?? 0) + 1;
    return out;
  };
  expect({ route: 'merchants', counts: Object.fromEntries((merchants.items as { merchant: string; count: number }[]).map((m) => [norm(m.merchant), m.count])) }).toEqual({
    route: 'merchants',
    counts: counted(expenses, (e) => (typeof e.merchant === 'string' ? [e.merchant] : [])),
  });
  expect({ route: 'tags', counts: Object.fromEntries((tags.items as { tag: string; count: number }[]).map((m) => [norm(m.tag), m.count])) }).toEqual({
    route: 'tags',
    counts: counted(expenses, (e) => (e.tags ?? []) as string[]),
  });

  // The data export holds exactly what the lists show: the expenses and income entries (whole),
  // the restorable deleted ones (as GET .../deleted lists them), the recurring definitions.
  const started = await h.call('POST', '/v1/me/export', { token: owner.token });
  expect(started.status, started.text).toBe(202);
  await s.queue.idle();
  const done = await h.call('GET', started.headers.get('location')!, { token: owner.token });
  expect(done.json.status, done.text).toBe('succeeded');
  const file = await fetch(done.json.download.url);
  const lines = (await file.text()).trimEnd().split('\n').map((l) => JSON.parse(l) as { type: string; budgetId?: string; data: Item });
  const byId = (items: Item[]) => [...items].sort((a, b) => (a.id < b.id ? -1 : 1));
  const exportedOf = (type: string) => byId(lines.filter((l) => l.type === type && l.budgetId === budget.id).map((l) => l.data));
  const deletedListed = async (what: 'expenses' | 'income') => {
    const items: Item[] = [];
    for (let cursor: string | null = null, first = true; first || cursor; first = false) {
      const res = await call('GET', `/${what}/deleted?limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
      expect(res.status, res.text).toBe(200);
      items.push(...res.json.items);
      cursor = res.json.nextCursor ?? null;
    }
    return byId(items);
  };
  expect({ section: 'expense', items: exportedOf('expense') }).toEqual({ section: 'expense', items: byId(expenses) });
  expect({ section: 'income', items: exportedOf('income') }).toEqual({ section: 'income', items: byId(income) });
  expect({ section: 'deletedExpense', items: exportedOf('deletedExpense') }).toEqual({ section: 'deletedExpense', items: await deletedListed('expenses') });
  expect({ section: 'deletedIncome', items: exportedOf('deletedIncome') }).toEqual({ section: 'deletedIncome', items: await deletedListed('income') });
  expect({ section: 'recurring', ids: exportedOf('recurringExpense').map((r) => r.id), incomeIds: exportedOf('recurringIncome').map((r) => r.id) }).toEqual({
    section: 'recurring',
    ids: byId([...lists.recurringExpenses.values()]).map((r) => r.id),
    incomeIds: byId([...lists.recurringIncome.values()]).map((r) => r.id),
  });

  const checked = await h.t.system.operations.find((o) => o.name === 'expenses-totals-check')!.run({ budget: budget.id, operator: 'conserve' }, quiet);
  expect({ check: 'totals', differences: checked.summary.differences }).toEqual({ check: 'totals', differences: [] });
}

function seedOfRun(): number | undefined {
  if (process.env.CONSERVE_SEED) return Number(process.env.CONSERVE_SEED);
  return process.env.CI ? 3 : undefined;
}

describe('does any mix of writes make money appear or vanish?', { timeout: 900_000 }, () => {
  it('holds for random sequences of every write that moves an expense or an income entry', async () => {
    await fc.assert(
      fc.asyncProperty(scenarioArb, async (ops) => runScenario(ops)),
      { numRuns: Number(process.env.CONSERVE_RUNS ?? (process.env.CI ? 4 : 10)), endOnFailure: true, seed: seedOfRun() },
    );
  });

  it('holds when writes go two or three at once, the phone syncing meanwhile', async () => {
    await fc.assert(
      fc.asyncProperty(scenarioArb, fc.array(fc.integer({ min: 1, max: 3 }), { minLength: 16, maxLength: 16 }), async (ops, batches) => runScenario(ops, batches)),
      { numRuns: Number(process.env.CONSERVE_RUNS ?? (process.env.CI ? 4 : 10)), endOnFailure: true, seed: seedOfRun() },
    );
  });
});
