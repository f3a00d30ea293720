import fc from 'fast-check';
import { fixedClock } from '@budgeting/platform';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addMember, as, createBudget, signUp, tokenAtClock, type Actor } from '../../support/actors';
import { createTestSystem, type TestSystem } from '../../support/test-system';

/**
 * Do the figures agree? The same money is read by many routes, each computed its own way
 * (running totals by day and month, list Queries, folds over the expenses). Property, through
 * HTTP on DynamoDB Local: after random expenses (splits, refunds, uncategorized, tags, merchants
 * spelled with case and accent variants, dates at period and month edges) and random edits
 * (moved across an edge, new amount or parts, refund flipped, merchant and tags changed, deleted,
 * restored), through the REST routes or the offline push and by either member, then maybe a
 * category removed, a category reassign and the editor leaving, and a little income, every
 * route that covers a range answers what a small model of the writes made here expects: the
 * period summary, trends, daily spending, the spending breakdown by category, group, merchant,
 * tag and member, the CSV export (whole and by category), the year in review, safe to spend,
 * spending insights, the period report, the overview, the cash flow and the balances. The
 * model knows nothing of the code under test: a refund counts -amount, a split counts its parts.
 *
 * Budgets are far from UTC (Kiritimati, UTC+14: its today is the UTC tomorrow; St John's,
 * UTC-3:30), monthly or weekly (ISO weeks, Monday first), made on 1 October; the writes and reads
 * happen at one of NOWS, chosen where the zone's today and UTC's fall in different periods.
 * `endOnFailure` keeps a failing run short (no shrinking): a failure prints the scenario and the
 * route that disagreed; shrink it by hand into a focused test below. FIGURES_RUNS=N runs more.
 * Under CI the scenarios come from a fixed seed (FIGURES_SEED, default 52), so a landing never
 * depends on the draw; a laptop run draws new ones each time (FIGURES_SEED=n replays a failure).
 *
 * A second, smaller property (FIGURES_SHARED_RUNS, default 10) covers the write paths the first
 * leaves out: three members with random shares (0 included), expenses shared with some
 * (`sharedWith`) or by exact amounts (`sharedAmounts`), through POST or the offline push, refunds
 * among them, one shared anew by a PATCH, a bulk edit
 * (recategorize, tag, untag, delete) and maybe its undo, a small CSV import and maybe its undo,
 * then a member leaving; the summary, the breakdown by category, tag and member, the CSV export
 * and the balances (paid, owes and net of each member, worked as packages/budgets/docs/settle-up.md "Balances" says)
 * answer what its model expects.
 */
const NOW = '2026-12-10T12:00:00Z';
const NOWS = [
  NOW,
  // UTC's December; St John's 30 November 22:30 (its November), Kiritimati's 1 December.
  '2026-12-01T02:00:00Z',
  // UTC's and Kiritimati's Monday 30 November (a new week); St John's Sunday 29 November.
  '2026-11-30T02:00:00Z',
  // UTC's Sunday 29 November; Kiritimati's Monday 30 November (a new week), St John's Sunday.
  '2026-11-29T12:00:00Z',
];
/** The day `instant` falls on in `zone` (the test's own arithmetic, through Intl). */
const zoneDay = (instant: string, zone: Zone) => new Intl.DateTimeFormat('en-CA', { timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date(instant));
const CREATED = '2026-10-01T12:00:00Z';
/** That moment's day in each zone. */
const CREATED_DAY: Record<Zone, string> = { 'Pacific/Kiritimati': '2026-10-02', 'America/St_Johns': '2026-10-01' };
const ZONES = ['Pacific/Kiritimati', 'America/St_Johns'] as const;
type Zone = (typeof ZONES)[number];
/** Month and ISO-week edges (2026-11-01 is a Sunday, 11-02 and 11-30 Mondays). */
const EDGE_DAYS = ['2026-10-31', '2026-11-01', '2026-11-02', '2026-11-15', '2026-11-29', '2026-11-30', '2026-12-01', '2026-12-06', '2026-12-07'];
/**
 * The days an expense may fall on: the edges (some ahead of an earlier NOW), the zone's today,
 * and two days ahead of every NOW (12-12; 12-31, whose ISO week reaches into 2027).
 */
const daysOf = (zone: Zone, now: string) => [...EDGE_DAYS, zoneDay(now, zone), '2026-12-12', '2026-12-31'];
const DAY = fc.integer({ min: 0, max: EDGE_DAYS.length + 2 });
/** The widest range every check covers: all the days above. */
const FROM = '2026-10-01';
const TO = '2026-12-31';

/** Merchant spellings: each family is one payee to the breakdown (case, accents and spacing ignored). */
const MERCHANTS: [string, string][] = [
  ['Café Rio', 'cafe'],
  ['cafe rio', 'cafe'],
  ['CAFÉ  RIO', 'cafe'],
  ['Müller Markt', 'muller'],
  ['muller markt', 'muller'],
  ['Shell', 'shell'],
];
const FAMILY_OF = new Map(MERCHANTS);
/** Tag spellings by family; an expense carries at most one spelling of a family. */
const TAGS: Record<string, string[]> = { trip: ['trip', 'Trip'], work: ['work', 'WORK'], kids: ['kids'] };

type Slot = number | null;
/** How a write is sent: the REST routes or the offline push. */
type Via = 'api' | 'push';
const VIA = fc.constantFrom<Via>('api', 'push');
/** Who writes: the owner or the editor (an expense stays its recorder's whoever edits it). */
const BY = fc.constantFrom(0 as const, 1 as const);
interface Entry {
  via: Via;
  who: 0 | 1;
  day: number;
  refund: boolean;
  /** [amount, category slot or null]; one part = not split. */
  parts: [number, Slot][];
  split: boolean;
  merchant: number | null;
  tags: [string, number][];
}

const slot = (n: number) => fc.option(fc.integer({ min: 0, max: n - 1 }), { nil: null, freq: 4 });
const partsArb = (n: number) =>
  fc.oneof(
    fc.tuple(fc.integer({ min: 1, max: 50_000 }), slot(n)).map((p) => ({ split: false, parts: [p] as [number, Slot][] })),
    fc.array(fc.tuple(fc.integer({ min: 1, max: 20_000 }), slot(n)), { minLength: 2, maxLength: 3 }).map((parts) => ({ split: true, parts })),
  );
const entryArb = (n: number): fc.Arbitrary<Entry> =>
  fc
    .record({
      via: VIA,
      who: BY,
      day: DAY,
      refund: fc.boolean(),
      shape: partsArb(n),
      merchant: fc.option(fc.integer({ min: 0, max: MERCHANTS.length - 1 }), { nil: null }),
      tags: fc.subarray(Object.keys(TAGS)).chain((families) => fc.tuple(...families.map((fam) => fc.tuple(fc.constant(fam), fc.integer({ min: 0, max: TAGS[fam]!.length - 1 }))))),
    })
    .map(({ shape, ...rest }) => ({ ...rest, ...shape, tags: rest.tags as [string, number][] }));

const editArb = (n: number) =>
  fc.tuple(
    fc.record({ via: VIA, by: BY }),
    fc.oneof(
    fc.record({ op: fc.constant('move' as const), target: fc.nat(), day: DAY }),
    fc.record({ op: fc.constant('reshape' as const), target: fc.nat(), shape: partsArb(n) }),
    fc.record({ op: fc.constant('delete' as const), target: fc.nat() }),
    fc.record({ op: fc.constant('restore' as const), target: fc.nat() }),
    // A purchase made a refund or back (its figures move by twice its amount).
    fc.record({ op: fc.constant('flip' as const), target: fc.nat() }),
    // Another payee (maybe another spelling of the same one) and other tags.
    fc.record({ op: fc.constant('relabel' as const), target: fc.nat(), merchant: fc.integer({ min: 0, max: MERCHANTS.length - 1 }), tag: fc.constantFrom(...Object.keys(TAGS)) }),
    ),
  ).map(([how, edit]) => ({ ...how, ...edit }));

const scenarioArb = fc
  .record({
    period: fc.constantFrom('monthly' as const, 'weekly' as const),
    zone: fc.constantFrom(...ZONES),
    now: fc.constantFrom(...NOWS),
    categories: fc.integer({ min: 2, max: 4 }),
    /** Which categories are in the group "Home" (the first always is). */
    grouped: fc.array(fc.boolean(), { minLength: 4, maxLength: 4 }),
  })
  .chain((budget) =>
    fc.record({
      budget: fc.constant(budget),
      entries: fc.array(entryArb(budget.categories), { minLength: 1, maxLength: 7 }),
      edits: fc.array(editArb(budget.categories), { maxLength: 5 }),
      income: fc.array(fc.tuple(DAY, fc.integer({ min: 1, max: 90_000 })), { maxLength: 2 }),
      /** A category removed from the budget at the end (its expenses keep it; their spending turns uncategorized). */
      removed: fc.option(fc.integer({ min: 1, max: budget.categories - 1 }), { nil: null, freq: 2 }),
      /**
       * Then every expense of one category (maybe the removed one) moved to another by the
       * category reassign (split parts included): [from, to] slots; `to` is skipped when it is
       * the removed one or `from`.
       */
      /** The editor leaves the budget at the end: their expenses stay theirs (by member, balances' payer). */
      editorLeaves: fc.boolean(),
      reassign: fc.option(fc.tuple(fc.integer({ min: 0, max: budget.categories - 1 }), fc.integer({ min: 0, max: budget.categories - 1 })), { nil: null, freq: 2 }),
    }),
  );
type Scenario = typeof scenarioArb extends fc.Arbitrary<infer V> ? V : never;

// ----- calendar arithmetic on YYYY-MM-DD (UTC dates: the days are the budget's, no zone needed) -----
const toDate = (d: string) => new Date(`${d}T00:00:00Z`);
const fmt = (d: Date) => d.toISOString().slice(0, 10);
const addDays = (d: string, n: number) => fmt(new Date(toDate(d).getTime() + n * 86_400_000));
function periodOf(period: 'monthly' | 'weekly', day: string): { start: string; end: string } {
  if (period === 'weekly') {
    const monday = addDays(day, -((toDate(day).getUTCDay() + 6) % 7));
    return { start: monday, end: addDays(monday, 6) };
  }
  const d = toDate(day);
  return { start: `${day.slice(0, 7)}-01`, end: fmt(new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 0))) };
}
const daysBetween = (from: string, to: string) => {
  const out: string[] = [];
  for (let d = from; d <= to; d = addDays(d, 1)) out.push(d);
  return out;
};

let t: TestSystem;
const clock = fixedClock(NOW);

beforeAll(async () => {
  t = await createTestSystem({ clock });
});
afterAll(() => t?.destroy());

/** Money of a CSV export's amount column (major units, 2 decimals) in minor units. */
const minor = (s: string) => Math.round(Number(s) * 100);

async function runScenario(s: Scenario): Promise<void> {
  const { period, zone } = s.budget;
  const days = daysOf(zone, s.budget.now);
  const today = zoneDay(s.budget.now, zone);
  // The budget is made on 1 October, so every period here is one of its own (a report's previous
  // period is null before the budget's first one); then the clock goes to the scenario's now.
  clock.set(CREATED);
  const [owner, editor] = await Promise.all([signUp(t.app, 'figures-owner'), signUp(t.app, 'figures-editor')]);
  const people: Actor[] = [owner, editor];
  const budget = await createBudget(t.app, owner, {
    period,
    timezone: zone,
    limit: 500_000,
    categories: Array.from({ length: s.budget.categories }, (_, i) => ({ name: `Cat ${i}`, limit: 50_000, ...(i === 0 || s.budget.grouped[i] ? { group: 'Home' } : {}) })),
  });
  await addMember(t.app, owner, budget.id, editor, 'editor');
  clock.set(s.budget.now);
  for (const who of people) who.token = await tokenAtClock(t, who);
  const inGroup = (i: number) => i === 0 || s.budget.grouped[i]!;
  const allCatIds = budget.categories.map((c) => c.id);
  const cat = (sl: Slot) => (sl === null ? null : allCatIds[sl]!);
  /** The categories the budget has at the end; a removed one's spending is in the uncategorized line, in no group. */
  const catIds = allCatIds.filter((_, i) => i !== s.removed);
  const lineOf = (sl: Slot) => (sl === null || sl === s.removed ? 'uncategorized' : allCatIds[sl]!);
  const groupOf = (sl: Slot) => (sl !== null && sl !== s.removed && inGroup(sl) ? 'Home' : '');
  const base = `/v1/budgets/${budget.id}`;
  const ownerCall = as(t.app, owner);

  // ----- the writes, and the model of what stays -----
  const model = new Map<string, { version: number; deleted: boolean; e: Entry }>();
  const order: string[] = [];
  const bodyOf = (e: Pick<Entry, 'parts' | 'split'>) =>
    e.split
      ? { amount: e.parts.reduce((sum, [a]) => sum + a, 0), splits: e.parts.map(([a, c]) => ({ amount: a, categoryId: cat(c) })) }
      : { amount: e.parts[0]![0], categoryId: cat(e.parts[0]![1]) };
  /**
   * One write, through the REST route or the offline push (POST .../changes: another path to the
   * running totals), by `who`: the expense's version after it, or undefined for a delete.
   */
  const write = async (via: Via, who: Actor, kind: 'create' | 'update' | 'delete', id: string | undefined, version: number, body: Record<string, unknown>) => {
    const call = as(t.app, who);
    if (via === 'push') {
      const mutation = kind === 'create' ? { op: 'create', expense: body } : kind === 'update' ? { op: 'update', id, baseVersion: version, patch: body } : { op: 'delete', id, baseVersion: version };
      const res = await call('POST', `${base}/changes`, { body: { mutations: [mutation] } });
      expect(res.status, res.text).toBe(200);
      expect(res.json.results[0]?.status, res.text).toBe('applied');
      return { id: (res.json.results[0].expense?.id ?? id) as string, version: res.json.results[0].expense?.version as number | undefined };
    }
    const headers = { 'if-match': `"${version}"` };
    if (kind === 'create') {
      const res = await call('POST', `${base}/expenses`, { body });
      expect(res.status, res.text).toBe(201);
      return { id: res.json.id as string, version: res.json.version as number };
    }
    if (kind === 'delete') {
      const res = await call('DELETE', `${base}/expenses/${id}`, { headers });
      expect(res.status, res.text).toBe(204);
      return { id: id!, version: undefined };
    }
    const res = await call('PATCH', `${base}/expenses/${id}`, { headers, body });
    expect(res.status, res.text).toBe(200);
    return { id: id!, version: res.json.version as number };
  };
  for (const e of s.entries) {
    const body = {
      ...bodyOf(e),
      occurredOn: days[e.day],
      ...(e.refund ? { refund: true } : {}),
      ...(e.merchant !== null ? { merchant: MERCHANTS[e.merchant]![0] } : {}),
      ...(e.tags.length ? { tags: e.tags.map(([f, i]) => TAGS[f]![i]) } : {}),
    };
    const { id, version } = await write(e.via, people[e.who]!, 'create', undefined, 0, body);
    model.set(id, { version: version!, deleted: false, e });
    order.push(id);
  }
  for (const edit of s.edits) {
    const id = order[edit.target % order.length]!;
    const m = model.get(id)!;
    if (edit.op === 'restore') {
      if (!m.deleted) continue;
      const res = await as(t.app, people[edit.by]!)('POST', `${base}/expenses/${id}/restore`);
      expect(res.status, res.text).toBe(200);
      model.set(id, { ...m, version: res.json.version, deleted: false });
      continue;
    }
    if (m.deleted) continue;
    const update = async (body: Record<string, unknown>, e: Entry) => {
      const { version } = await write(edit.via, people[edit.by]!, 'update', id, m.version, body);
      model.set(id, { ...m, version: version!, e });
    };
    if (edit.op === 'delete') {
      await write(edit.via, people[edit.by]!, 'delete', id, m.version, {});
      model.set(id, { ...m, deleted: true });
    } else if (edit.op === 'flip') {
      await update({ refund: !m.e.refund }, { ...m.e, refund: !m.e.refund });
    } else if (edit.op === 'relabel') {
      const tag: [string, number] = [edit.tag, TAGS[edit.tag]!.length - 1];
      await update({ merchant: MERCHANTS[edit.merchant]![0], tags: [TAGS[tag[0]]![tag[1]]] }, { ...m.e, merchant: edit.merchant, tags: [tag] });
    } else if (edit.op === 'move') {
      await update({ occurredOn: days[edit.day] }, { ...m.e, day: edit.day });
    } else {
      await update({ ...bodyOf(edit.shape), ...(m.e.split && !edit.shape.split ? { splits: null } : {}) }, { ...m.e, parts: edit.shape.parts, split: edit.shape.split });
    }
  }
  if (s.removed !== null) {
    const kept = budget.categories.filter((_, i) => i !== s.removed).map((c) => ({ id: c.id, name: c.name, limit: c.limit, ...(inGroup(allCatIds.indexOf(c.id)) ? { group: 'Home' } : {}) }));
    const res = await ownerCall('PATCH', base, { body: { categories: kept } });
    expect(res.status, res.text).toBe(200);
  }
  if (s.reassign !== null && s.reassign[1] !== s.removed && s.reassign[0] !== s.reassign[1]) {
    const [from, to] = s.reassign;
    const res = await ownerCall('POST', `${base}/categories/${allCatIds[from]}/reassign`, { body: { to: allCatIds[to] } });
    expect(res.status, res.text).toBe(200);
    expect(res.json.failed, res.text).toEqual([]);
    expect(res.json.more, res.text).toBe(false);
    for (const [id, m] of model) {
      const parts = m.e.parts.map(([a, c]): [number, Slot] => [a, c === from ? to : c]);
      // A deleted expense stays as it was (its restorable copy is not moved).
      if (!m.deleted) model.set(id, { ...m, e: { ...m.e, parts } });
    }
  }
  if (s.editorLeaves) {
    const res = await ownerCall('DELETE', `${base}/members/${editor.id}`);
    expect(res.status, res.text).toBe(204);
  }
  for (const [day, amount] of s.income) {
    const res = await ownerCall('POST', `${base}/income`, { body: { amount, receivedOn: days[day] } });
    expect(res.status, res.text).toBe(201);
  }

  // ----- the reference model -----
  const live = [...model.values()].filter((m) => !m.deleted).map((m) => m.e);
  const sign = (e: Entry) => (e.refund ? -1 : 1);
  const dayOf = (e: Entry) => days[e.day]!;
  const UNC = 'uncategorized';
  interface Figures { total: number; count: number; byCategory: Record<string, number>; byGroup: Record<string, number>; byDay: Record<string, number>; byMerchant: Record<string, number>; merchantCount: Record<string, number>; byTag: Record<string, number>; byMember: Record<string, number>; income: number }
  const figures = (from: string, to: string, through = to): Figures => {
    const f: Figures = { total: 0, count: 0, byCategory: Object.fromEntries([...catIds, UNC].map((c) => [c, 0])), byGroup: {}, byDay: {}, byMerchant: {}, merchantCount: {}, byTag: {}, byMember: {}, income: 0 };
    const add = (r: Record<string, number>, k: string, v: number) => (r[k] = (r[k] ?? 0) + v);
    for (const e of live) {
      const d = dayOf(e);
      if (d < from || d > to || d > through) continue;
      const amount = sign(e) * e.parts.reduce((sum, [a]) => sum + a, 0);
      f.total += amount;
      f.count += 1;
      add(f.byDay, d, amount);
      add(f.byMerchant, e.merchant === null ? '' : MERCHANTS[e.merchant]![1], amount);
      add(f.merchantCount, e.merchant === null ? '' : MERCHANTS[e.merchant]![1], 1);
      if (e.tags.length === 0) add(f.byTag, '', amount);
      for (const [fam] of e.tags) add(f.byTag, fam, amount);
      add(f.byMember, people[e.who]!.id, amount);
      for (const [a, c] of e.parts) {
        add(f.byCategory, lineOf(c), sign(e) * a);
        add(f.byGroup, groupOf(c), sign(e) * a);
      }
    }
    for (const [day, amount] of s.income) if (days[day]! >= from && days[day]! <= to) f.income += amount;
    return f;
  };
  const catSpent = (rows: { categoryId: string; spent: number }[]) => Object.fromEntries(rows.filter((r) => catIds.includes(r.categoryId)).map((r) => [r.categoryId, r.spent]));
  const expectedCats = (f: Figures) => Object.fromEntries(catIds.map((c) => [c, f.byCategory[c]]));
  /**
   * The reads are sent all at once (sendReads below) before the first is checked, and each is
   * then checked in the order of this file: GETs of settled data (every write has answered), so
   * their order can change no answer, only the wait (sent one at a time, the test's process sat
   * idle about 40% of its time waiting on DynamoDB Local, by a CPU profile; on a busy 2-core
   * machine this saves 10-25% of the first property's time). A read not sent ahead is sent when
   * checked.
   */
  const sent = new Map<string, ReturnType<ReturnType<typeof as>>>();
  const send = (path: string, who: Actor = owner) => {
    const key = `${who.id} ${path}`;
    if (!sent.has(key)) {
      const res = as(t.app, who)('GET', path);
      // Its failure is reported where it is checked, not as an unhandled rejection before.
      res.catch(() => undefined);
      sent.set(key, res);
    }
    return sent.get(key)!;
  };
  const get = async (path: string, who: Actor = owner) => {
    const res = await send(path, who);
    expect(res.status, `${path}: ${res.text}`).toBe(200);
    return res;
  };

  // The periods the days fall in, oldest first, through today's.
  const periods = [...new Map(days.map((d) => periodOf(period, d)).map((p) => [p.start, p])).values()].sort((a, b) => a.start.localeCompare(b.start));
  const allPeriods: { start: string; end: string }[] = [];
  for (let p = periods[0]!; p.start <= today; p = periodOf(period, addDays(p.end, 1))) allPeriods.push(p);
  const current = periodOf(period, today);
  /** The breakdown's ranges: everything, across the month's edge, the current period. */
  const ranges = [[FROM, TO], ['2026-10-31', '2026-11-30'], [current.start, current.end]] as const;
  const breakdownPath = (by: string, from: string, to: string) => `${base}/spending?by=${by}&from=${from}&to=${to}&limit=100`;
  const exportPath = (from: string, to: string, query: string) => `${base}/expenses/export?from=${from}&to=${to}${query}`;
  // Every read checked below, sent now.
  for (const p of periods) for (const query of ['', `&categoryId=${catIds[0]!}`, `&categoryId=${UNC}`]) send(`${base}/daily-spending?date=${p.start}${query}`);
  for (const p of periods) send(`${base}/summary?date=${p.start}`);
  send(`${base}/trends?periods=${allPeriods.length}&date=${today}`);
  for (const [from, to] of ranges) {
    for (const by of ['category', 'group', 'merchant', 'tag', 'member']) send(breakdownPath(by, from, to));
    for (const query of ['', ...[...catIds, UNC].map((c) => `&categoryId=${c}`)]) send(exportPath(from, to, query));
    send(`${base}/balances?from=${from}&to=${to}`);
  }
  for (const path of ['/year-review?year=2026', '/cash-flow?from=2026-10&to=2026-12', `/safe-to-spend?date=${today}`, `/spending-insights?date=${today}`]) send(`${base}${path}`);
  for (const who of s.editorLeaves ? [owner] : people) send('/v1/me/overview', who);

  // Summary, daily spending, of every period a day falls in.
  for (const p of periods) {
    const f = figures(p.start, p.end);
    const summary = (await get(`${base}/summary?date=${p.start}`)).json;
    expect({ route: 'summary', start: summary.periodStart, end: summary.periodEnd, spent: summary.spent, uncategorized: summary.uncategorizedSpent, categories: catSpent(summary.categories) }).toEqual({
      route: 'summary', start: p.start, end: p.end, spent: f.total, uncategorized: f.byCategory[UNC], categories: expectedCats(f),
    });
    const home = (summary.groups as { name: string; spent: number }[]).find((g) => g.name === 'Home');
    expect({ route: 'summary group', spent: home?.spent }).toEqual({ route: 'summary group', spent: f.byGroup.Home ?? 0 });

    const daily = (await get(`${base}/daily-spending?date=${p.start}`)).json;
    const prev = periodOf(period, addDays(p.start, -1));
    /**
     * The days as a chart needs them: consecutive from the first, each cumulative the running sum,
     * through today or the period's end, and on to the last day with spending dated ahead; here
     * reduced to {days with spending, whether the list holds that, the last day shown >= needed}.
     */
    const daysView = (q: { start: string; end: string }, list: { date: string; spent: number; cumulative: number }[]) => {
      let cumulative = 0;
      const consecutive = list.every((d, i) => d.date === addDays(q.start, i) && d.cumulative === (cumulative += d.spent));
      return { spending: Object.fromEntries(list.filter((d) => d.spent !== 0).map((d) => [d.date, d.spent])), consecutive, last: list.at(-1)?.date ?? null };
    };
    const expectedDays = (q: { start: string; end: string }, fig: Figures, list: { date: string }[]) => {
      const spending = Object.fromEntries(Object.entries(fig.byDay).filter(([d, v]) => v !== 0 && d >= q.start && d <= q.end).sort());
      // A period that has not started shows no day but those up to its last spending.
      const needed = [...Object.keys(spending), ...(q.start <= today ? [q.end < today ? q.end : today] : [])].sort().at(-1) ?? null;
      const last = list.at(-1)?.date ?? null;
      if (needed === null) return { spending, consecutive: true, last: last !== null && last <= q.end ? last : null };
      // Days past the needed one are allowed only when they are days of the period (a day whose spending went back to 0).
      return { spending, consecutive: true, last: last !== null && last >= needed && last <= q.end ? last : needed };
    };
    const fp = figures(prev.start, prev.end);
    expect({ route: 'daily-spending', spent: daily.period.spent, days: daysView(p, daily.period.days), previous: daily.previous.spent, previousDays: daysView(prev, daily.previous.days) }).toEqual({
      route: 'daily-spending', spent: f.total, days: expectedDays(p, f, daily.period.days), previous: fp.total, previousDays: expectedDays(prev, fp, daily.previous.days),
    });
    // With categoryId: one category's line (split parts in their own categories), and the uncategorized one.
    for (const c of [catIds[0]!, UNC]) {
      const line = (await get(`${base}/daily-spending?date=${p.start}&categoryId=${c}`)).json;
      const mine = (q: { start: string; end: string }) => {
        const byDay: Record<string, number> = {};
        for (const e of live) for (const [a, sl] of e.parts) if (lineOf(sl) === c && dayOf(e) >= q.start && dayOf(e) <= q.end) byDay[dayOf(e)] = (byDay[dayOf(e)] ?? 0) + sign(e) * a;
        return byDay;
      };
      expect({ route: `daily-spending categoryId=${c}`, spent: line.period.spent, days: daysView(p, line.period.days), previous: line.previous.spent }).toEqual({
        route: `daily-spending categoryId=${c}`, spent: f.byCategory[c], days: expectedDays(p, { ...f, byDay: mine(p) }, line.period.days), previous: fp.byCategory[c],
      });
    }
  }

  // Trends: every period from the first day's through today's.
  const trends = (await get(`${base}/trends?periods=${allPeriods.length}&date=${today}`)).json;
  const expectedTrends = allPeriods.map((p) => {
    const f = figures(p.start, p.end);
    return { start: p.start, end: p.end, spent: f.total, uncategorized: f.byCategory[UNC], categories: expectedCats(f) };
  });
  expect({ route: 'trends', periods: trends.periods.map((p: any) => ({ start: p.periodStart, end: p.periodEnd, spent: p.spent, uncategorized: p.uncategorizedSpent, categories: catSpent(p.categories) })), total: trends.total,
    // The lines' totals over the periods.
    categoryTotals: Object.fromEntries((trends.categories as { categoryId: string; total: number }[]).map((c) => [c.categoryId, c.total])),
    uncategorizedTotal: trends.uncategorized.total,
    home: (trends.groups as { name: string; total: number }[]).find((g) => g.name === 'Home')?.total ?? 0,
  }).toEqual({
    route: 'trends',
    periods: expectedTrends,
    total: expectedTrends.reduce((sum, p) => sum + p.spent, 0),
    categoryTotals: Object.fromEntries(catIds.map((c) => [c, expectedTrends.reduce((sum, p) => sum + p.categories[c]!, 0)])),
    uncategorizedTotal: expectedTrends.reduce((sum, p) => sum + p.uncategorized!, 0),
    home: allPeriods.reduce((sum, p) => sum + (figures(p.start, p.end).byGroup.Home ?? 0), 0),
  });

  // The spending breakdown, over everything and over a range across the month's edge.
  for (const [from, to] of ranges) {
    const f = figures(from, to);
    const breakdown = async (by: string) => (await get(breakdownPath(by, from, to))).json;
    const nonzero = (r: Record<string, number>) => Object.fromEntries(Object.entries(r).filter(([, v]) => v !== 0));
    const amounts = (items: { key: string; label: string | null; amount: number }[], keyOf: (i: { key: string; label: string | null }) => string) => {
      const out: Record<string, number> = {};
      for (const i of items) out[keyOf(i)] = (out[keyOf(i)] ?? 0) + i.amount;
      return nonzero(out);
    };
    const byCategory = await breakdown('category');
    expect({ route: `spending by category ${from}..${to}`, total: byCategory.total, count: byCategory.count, items: amounts(byCategory.items, (i) => i.key) }).toEqual({
      route: `spending by category ${from}..${to}`, total: f.total, count: f.count, items: nonzero(f.byCategory),
    });
    const byGroup = await breakdown('group');
    expect({ route: `spending by group ${from}..${to}`, total: byGroup.total, items: amounts(byGroup.items, (i) => i.key) }).toEqual({ route: `spending by group ${from}..${to}`, total: f.total, items: nonzero(f.byGroup) });
    const byMerchant = await breakdown('merchant');
    expect({ route: `spending by merchant ${from}..${to}`, total: byMerchant.total, items: amounts(byMerchant.items, (i) => (i.label === null ? '' : FAMILY_OF.get(i.label) ?? `?${i.label}`)) }).toEqual({
      route: `spending by merchant ${from}..${to}`, total: f.total, items: nonzero(f.byMerchant),
    });
    const byTag = await breakdown('tag');
    const tagFamily = (label: string | null) => (label === null ? '' : Object.keys(TAGS).find((fam) => TAGS[fam]!.includes(label)) ?? `?${label}`);
    expect({ route: `spending by tag ${from}..${to}`, total: byTag.total, items: amounts(byTag.items, (i) => tagFamily(i.label)) }).toEqual({ route: `spending by tag ${from}..${to}`, total: f.total, items: nonzero(f.byTag) });
    const byMember = await breakdown('member');
    expect({ route: `spending by member ${from}..${to}`, total: byMember.total, items: amounts(byMember.items, (i) => i.key) }).toEqual({ route: `spending by member ${from}..${to}`, total: f.total, items: nonzero(f.byMember) });

    // The CSV export: the amount column adds up to the range's spending, whole and per category.
    const csvSum = async (query: string) => {
      const res = await get(exportPath(from, to, query));
      return res.text.split('\r\n').slice(1, -1).reduce((sum, line) => sum + minor(line.split(',')[1]!), 0);
    };
    expect({ route: `csv export ${from}..${to}`, total: await csvSum('') }).toEqual({ route: `csv export ${from}..${to}`, total: f.total });
    for (const c of [...catIds, UNC]) {
      expect({ route: `csv export categoryId=${c} ${from}..${to}`, total: await csvSum(`&categoryId=${c}`) }).toEqual({ route: `csv export categoryId=${c} ${from}..${to}`, total: f.byCategory[c] });
    }

    // Balances: the range's total, owed in full (the parts by share add up to it), each member having paid what they recorded.
    const balances = (await get(`${base}/balances?from=${from}&to=${to}`)).json;
    const owedInAll = (balances.members as { owes: number }[]).reduce((sum, m) => sum + m.owes, 0);
    const paid = Object.fromEntries((balances.members as { userId: string; paid: number }[]).filter((m) => m.paid !== 0).map((m) => [m.userId, m.paid]));
    /**
     * Each current member's part of the total by share (the shares are the budget's settings):
     * rounded down, the units left one each to the largest remainders (ties: the smaller user
     * id); a negative total split as its opposite and negated. Nobody shares only with some here.
     */
    const current = (balances.members as { userId: string; share: number }[]).filter((m) => m.userId === owner.id || (m.userId === editor.id && !s.editorLeaves));
    const owesOf = (total: number) => {
      const weights = current.map((m) => m.share);
      const sum = weights.reduce((a, b) => a + b, 0) || current.length;
      const w = weights.every((x) => x === 0) ? current.map(() => 1) : weights;
      const abs = Math.abs(total);
      const parts = current.map((m, i) => ({ id: m.userId, part: Math.floor((abs * w[i]!) / sum), rest: (abs * w[i]!) % sum }));
      let left = abs - parts.reduce((a, p) => a + p.part, 0);
      for (const p of [...parts].sort((a, b) => b.rest - a.rest || (a.id < b.id ? -1 : 1))) if (left-- > 0) p.part += 1;
      return Object.fromEntries(parts.map((p) => [p.id, Math.sign(total) * p.part + 0]));
    };
    const owes = Object.fromEntries((balances.members as { userId: string; owes: number }[]).filter((m) => current.some((c) => c.userId === m.userId)).map((m) => [m.userId, m.owes]));
    expect({ route: `balances ${from}..${to}`, total: balances.total, owedInAll, paid, owes }).toEqual({ route: `balances ${from}..${to}`, total: f.total, owedInAll: f.total, paid: nonzero(f.byMember), owes: owesOf(f.total) });
  }

  /** Merchant lines by payee family ({family: [spent, count]}); an unknown spelling shows as itself. */
  const merchantLines = (rows: { merchant: string; spent: number; count: number }[]) => {
    const out: Record<string, [number, number][]> = {};
    for (const r of rows) (out[FAMILY_OF.get(r.merchant) ?? `?${r.merchant}`] ??= []).push([r.spent, r.count]);
    return out;
  };
  const expectedMerchants = (f: Figures, keep: (spent: number) => boolean) =>
    Object.fromEntries(Object.entries(f.byMerchant).filter(([fam, v]) => fam !== '' && keep(v)).map(([fam, v]) => [fam, [[v, f.merchantCount[fam]]]]));

  // Year in review and cash flow: calendar months.
  const months = ['2026-10', '2026-11', '2026-12'];
  const monthFigures = months.map((m) => figures(`${m}-01`, periodOf('monthly', `${m}-01`).end));
  const year = figures('2026-01-01', '2026-12-31');
  const review = (await get(`${base}/year-review?year=2026`)).json;
  expect({
    route: 'year-review',
    spent: review.spent,
    income: review.income,
    expenseCount: review.expenseCount,
    months: (review.months as { month: string; spent: number; income: number }[]).filter((m) => months.includes(m.month)).map((m) => [m.month, m.spent, m.income]),
    categories: Object.fromEntries((review.categories as { categoryId: string; spent: number }[]).map((c) => [c.categoryId, c.spent])),
    merchants: merchantLines(review.merchants ?? []),
  }).toEqual({
    route: 'year-review',
    spent: year.total,
    income: year.income,
    expenseCount: year.count,
    months: months.map((m, i) => [m, monthFigures[i]!.total, monthFigures[i]!.income]),
    // The year's lines with spending above 0 (at most 5: all of them here), uncategorized included.
    categories: Object.fromEntries(Object.entries(year.byCategory).filter(([, v]) => v > 0)),
    // Its top merchants: each payee once whatever the spelling, those above 0 (at most 3 here).
    merchants: expectedMerchants(year, (v) => v > 0),
  });
  const flow = (await get(`${base}/cash-flow?from=2026-10&to=2026-12`)).json;
  expect({ route: 'cash-flow', months: flow.months.map((m: any) => [m.month, m.spent, m.income]), total: [flow.total.spent, flow.total.income] }).toEqual({
    route: 'cash-flow', months: months.map((m, i) => [m, monthFigures[i]!.total, monthFigures[i]!.income]), total: [year.total, year.income],
  });

  // The current period: safe to spend, insights (through today), the overview.
  const now = figures(current.start, current.end);
  const safe = (await get(`${base}/safe-to-spend?date=${today}`)).json;
  expect({ route: 'safe-to-spend', start: safe.periodStart, spent: safe.spent, categories: catSpent(safe.categories) }).toEqual({ route: 'safe-to-spend', start: current.start, spent: now.total, categories: expectedCats(now) });
  // Insights: this period through today against the average of the (up to 3) previous periods'
  // same first days, counting only periods from the budget's first one (made on 1 October).
  const insights = (await get(`${base}/spending-insights?date=${today}`)).json;
  const soFar = figures(current.start, today);
  const k = daysBetween(current.start, today).length;
  const first = periodOf(period, CREATED_DAY[zone]);
  const compared: Figures[] = [];
  for (let q = periodOf(period, addDays(current.start, -1)); compared.length < 3 && q.start >= first.start; q = periodOf(period, addDays(q.start, -1))) {
    const through = addDays(q.start, k - 1);
    compared.push(figures(q.start, through < q.end ? through : q.end));
  }
  /** The average, rounded a half away from zero (exact: the sums are small integers). */
  const usual = (pick: (f: Figures) => number) => {
    if (compared.length === 0) return 0;
    const sum = compared.reduce((acc, f) => acc + pick(f), 0);
    return Math.sign(sum) * Math.round(Math.abs(sum) / compared.length);
  };
  const lines = [...catIds, UNC];
  const insightLine = (l: { spentSoFar: number; usualSoFar: number }) => [l.spentSoFar, l.usualSoFar];
  expect({
    route: 'spending-insights',
    periods: insights.periods,
    total: insightLine(insights.total),
    // Its uncategorized line is there only when it has spending in a compared range.
    categories: { [UNC]: [0, 0], ...Object.fromEntries((insights.categories as { categoryId: string; spentSoFar: number; usualSoFar: number }[]).map((c) => [c.categoryId, insightLine(c)])) },
  }).toEqual({
    route: 'spending-insights',
    periods: compared.length,
    total: [soFar.total, usual((f) => f.total)],
    categories: Object.fromEntries(lines.map((c) => [c, [soFar.byCategory[c], usual((f) => f.byCategory[c]!)]])),
  });
  for (const who of s.editorLeaves ? [owner] : people) {
    const overview = (await get('/v1/me/overview', who)).json;
    const item = (overview.items as { budgetId: string; spent: number; period: { start: string; end: string } }[]).find((i) => i.budgetId === budget.id);
    expect({ route: 'overview', who: who === owner ? 'owner' : 'editor', spent: item?.spent, period: item?.period }).toEqual({ route: 'overview', who: who === owner ? 'owner' : 'editor', spent: now.total, period: current });
  }

  // The report of the last ended period, and its previous one.
  const ended = periodOf(period, addDays(current.start, -1));
  const before = periodOf(period, addDays(ended.start, -1));
  const report = await ownerCall('POST', `${base}/reports`, { body: { date: ended.start } });
  expect(report.status, report.text).toBe(201);
  const fr = figures(ended.start, ended.end);
  expect({
    route: 'report',
    start: report.json.periodStart,
    spent: report.json.spent,
    uncategorized: report.json.uncategorizedSpent,
    categories: catSpent(report.json.byCategory),
    byDay: Object.fromEntries((report.json.byDay as { date: string; spent: number }[]).filter((d) => d.spent !== 0).map((d) => [d.date, d.spent])),
    previous: report.json.previousPeriod?.spent ?? 0,
    topMerchants: merchantLines(report.json.topMerchants),
    home: (report.json.groups as { name: string; spent: number }[]).find((g) => g.name === 'Home')?.spent ?? 0,
  }).toEqual({
    route: 'report',
    start: ended.start,
    spent: fr.total,
    uncategorized: fr.byCategory[UNC],
    categories: expectedCats(fr),
    byDay: Object.fromEntries(Object.entries(fr.byDay).filter(([, v]) => v !== 0)),
    previous: figures(before.start, before.end).total,
    // Each payee once whatever the spelling (the breakdown's and the year review's grouping); at most 3 here, under the 5 shown.
    topMerchants: expectedMerchants(fr, () => true),
    home: fr.byGroup.Home ?? 0,
  });
}

function seedOfRun(): number | undefined {
  if (process.env.FIGURES_SEED) return Number(process.env.FIGURES_SEED);
  return process.env.CI ? 52 : undefined;
}

/**
 * Run first on every seed: several spellings of two payees in the report's period (November, the
 * ended one at NOW) and one relabelled to another spelling. The 20 draws of the CI seed put no two
 * spellings of one payee in that period, so without it the report's grouping went unchecked by the
 * property (the old grouping by case only passed it; review 52).
 */
const SPELLINGS_IN_THE_REPORT: Scenario = {
  budget: { period: 'monthly', zone: 'Pacific/Kiritimati', now: NOW, categories: 2, grouped: [true, false, false, false] },
  entries: [
    { via: 'api', who: 0, day: 1, refund: false, parts: [[3_000, 0]], split: false, merchant: 0, tags: [] },
    { via: 'push', who: 1, day: 3, refund: false, parts: [[2_000, null]], split: false, merchant: 1, tags: [] },
    { via: 'api', who: 0, day: 4, refund: true, parts: [[500, 1]], split: false, merchant: 2, tags: [] },
    { via: 'api', who: 1, day: 2, refund: false, parts: [[1_200, 0], [800, 1]], split: true, merchant: 3, tags: [] },
    { via: 'api', who: 0, day: 3, refund: false, parts: [[700, 1]], split: false, merchant: 5, tags: [] },
  ],
  edits: [{ via: 'api', by: 0, op: 'relabel', target: 4, merchant: 4, tag: 'trip' }],
  income: [],
  removed: null,
  editorLeaves: false,
  reassign: null,
};

describe('do the figures agree? every reading route against a model of the writes', { timeout: 600_000 }, () => {
  it('holds for random budgets, expenses and edits', async () => {
    await fc.assert(
      fc.asyncProperty(scenarioArb, async (s) => runScenario(s)),
      { numRuns: Number(process.env.FIGURES_RUNS ?? 20), endOnFailure: true, seed: seedOfRun(), examples: [[SPELLINGS_IN_THE_REPORT]] },
    );
  });
});

// ----- sharing, bulk edit and CSV import: a smaller property of its own -----

/**
 * Each member's part of `total` by `weights` as the packages/budgets/docs/settle-up.md "Balances" says: rounded
 * down, the units left one each to the largest remainders (ties: the smaller user id), all
 * weights 0 equally, a negative total split as its opposite and negated.
 */
function byShares(total: number, members: { id: string; share: number }[]): Record<string, number> {
  const w = members.every((m) => m.share === 0) ? members.map(() => 1) : members.map((m) => m.share);
  const sum = w.reduce((a, b) => a + b, 0);
  const abs = Math.abs(total);
  const parts = members.map((m, i) => ({ id: m.id, part: Math.floor((abs * w[i]!) / sum), rest: (abs * w[i]!) % sum }));
  let left = abs - parts.reduce((a, p) => a + p.part, 0);
  for (const p of [...parts].sort((a, b) => b.rest - a.rest || (a.id < b.id ? -1 : 1))) if (left-- > 0) p.part += 1;
  return Object.fromEntries(parts.map((p) => [p.id, Math.sign(total) * p.part + 0]));
}

type Sharing = { kind: 'all' } | { kind: 'with'; who: number[] } | { kind: 'amounts'; who: number[]; cuts: number[] };
interface SharedEntry { via: Via; who: 0 | 1 | 2; day: number; amount: number; refund: boolean; split: boolean; cat: Slot; trip: boolean; sharing: Sharing }
const SHARED_DAYS = ['2026-11-01', '2026-11-15', '2026-11-30'];
const WHO3 = fc.constantFrom(0 as const, 1 as const, 2 as const);
const sharingArb: fc.Arbitrary<Sharing> = fc.oneof(
  fc.constant({ kind: 'all' as const }),
  fc.subarray([0, 1, 2], { minLength: 1 }).map((who) => ({ kind: 'with' as const, who })),
  // Exact amounts: the members listed and where the amount is cut (fractions of it, in order).
  fc.record({ who: fc.subarray([0, 1, 2], { minLength: 1 }), cuts: fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 2, maxLength: 2 }) }).map((r) => ({ kind: 'amounts' as const, ...r })),
);
const sharedEntryArb: fc.Arbitrary<SharedEntry> = fc.record({
  via: VIA,
  who: WHO3,
  day: fc.integer({ min: 0, max: SHARED_DAYS.length - 1 }),
  amount: fc.integer({ min: 2, max: 30_001 }),
  refund: fc.boolean(),
  split: fc.boolean(),
  cat: fc.option(fc.integer({ min: 0, max: 1 }), { nil: null }),
  trip: fc.boolean(),
  sharing: sharingArb,
});
const sharedScenarioArb = fc.record({
  shares: fc.array(fc.integer({ min: 0, max: 3 }), { minLength: 3, maxLength: 3 }),
  entries: fc.array(sharedEntryArb, { minLength: 1, maxLength: 6 }),
  reshare: fc.option(fc.record({ by: fc.constantFrom(0 as const, 1 as const), target: fc.nat(), sharing: sharingArb }), { nil: null }),
  bulk: fc.option(
    fc.record({
      by: fc.constantFrom(0 as const, 1 as const),
      targets: fc.array(fc.nat(), { minLength: 1, maxLength: 4 }),
      action: fc.constantFrom<'cat0' | 'cat1' | 'uncategorize' | 'addTags' | 'removeTags' | 'delete'>('cat0', 'cat1', 'uncategorize', 'addTags', 'removeTags', 'delete'),
      undo: fc.boolean(),
    }),
    { nil: null },
  ),
  imported: fc.option(
    fc.record({
      by: fc.constantFrom(0 as const, 1 as const),
      rows: fc.array(fc.record({ day: fc.integer({ min: 0, max: SHARED_DAYS.length - 1 }), amount: fc.integer({ min: 1, max: 30_000 }), cat: fc.option(fc.integer({ min: 0, max: 1 }), { nil: null }) }), { minLength: 1, maxLength: 3 }),
      undo: fc.boolean(),
    }),
    { nil: null },
  ),
  /** A member (not the owner) leaves at the end: their entries and amounts stay on the expenses. */
  leaves: fc.option(fc.constantFrom(1, 2), { nil: null }),
});
type SharedScenario = typeof sharedScenarioArb extends fc.Arbitrary<infer V> ? V : never;

/** The exact amounts: `amount` cut at the fractions `cuts` among `n` members (they add up to it). */
function exactCuts(amount: number, n: number, cuts: number[]): number[] {
  const marks = cuts.slice(0, n - 1).map((c) => Math.floor(c * amount)).sort((a, b) => a - b);
  const edges = [0, ...marks, amount];
  return Array.from({ length: n }, (_, i) => edges[i + 1]! - edges[i]!);
}

async function runSharedScenario(s: SharedScenario): Promise<void> {
  clock.set(CREATED);
  const people = await Promise.all([signUp(t.app, 'shared-owner'), signUp(t.app, 'shared-a'), signUp(t.app, 'shared-b')]);
  const [owner] = people as [Actor, Actor, Actor];
  const budget = await createBudget(t.app, owner, { period: 'monthly', timezone: 'UTC', limit: 500_000, categories: [{ name: 'Cat 0', limit: 50_000 }, { name: 'Cat 1', limit: 50_000 }] });
  for (const p of people.slice(1)) await addMember(t.app, owner, budget.id, p, 'editor');
  clock.set(NOW);
  for (const p of people) p.token = await tokenAtClock(t, p);
  const base = `/v1/budgets/${budget.id}`;
  const ownerCall = as(t.app, owner);
  for (const [i, share] of s.shares.entries()) {
    const res = await ownerCall('PATCH', `${base}/members/${people[i]!.id}`, { body: { share } });
    expect(res.status, res.text).toBe(200);
  }
  const catIds = budget.categories.map((c) => c.id);
  const cat = (sl: Slot) => (sl === null ? null : catIds[sl]!);

  // ----- the writes, and the model: per expense its payer, day, signed parts, tag and sharing -----
  interface M { payer: number; day: string; sign: number; amount: number; parts: [number, Slot][]; trip: boolean; sharing: { kind: 'all' } | { kind: 'with'; who: number[] } | { kind: 'amounts'; owed: [number, number][] }; deleted: boolean }
  const model = new Map<string, M>();
  const order: string[] = [];
  for (const e of s.entries) {
    const parts: [number, Slot][] = e.split ? [[Math.floor(e.amount / 2), e.cat], [e.amount - Math.floor(e.amount / 2), e.cat === null ? 0 : null]] : [[e.amount, e.cat]];
    const sharing: M['sharing'] =
      e.sharing.kind === 'all' ? e.sharing : e.sharing.kind === 'with' ? e.sharing : { kind: 'amounts', owed: exactCuts(e.amount, e.sharing.who.length, e.sharing.cuts).map((a, i) => [e.sharing.kind === 'amounts' ? e.sharing.who[i]! : 0, a]) };
    const body = {
      amount: e.amount,
      occurredOn: SHARED_DAYS[e.day],
      ...(e.split ? { splits: parts.map(([a, c]) => ({ amount: a, categoryId: cat(c) })) } : { categoryId: cat(e.cat) }),
      ...(e.refund ? { refund: true } : {}),
      ...(e.trip ? { tags: ['trip'] } : {}),
      ...(sharing.kind === 'with' ? { sharedWith: sharing.who.map((i) => people[i]!.id) } : {}),
      ...(sharing.kind === 'amounts' ? { sharedAmounts: sharing.owed.map(([i, a]) => ({ userId: people[i]!.id, amount: a })) } : {}),
    };
    let id: string;
    if (e.via === 'push') {
      const res = await as(t.app, people[e.who]!)('POST', `${base}/changes`, { body: { mutations: [{ op: 'create', expense: body }] } });
      expect(res.status, res.text).toBe(200);
      expect(res.json.results[0]?.status, res.text).toBe('applied');
      id = res.json.results[0].expense.id;
    } else {
      const res = await as(t.app, people[e.who]!)('POST', `${base}/expenses`, { body });
      expect(res.status, res.text).toBe(201);
      id = res.json.id;
    }
    model.set(id, { payer: e.who, day: SHARED_DAYS[e.day]!, sign: e.refund ? -1 : 1, amount: e.amount, parts, trip: e.trip, sharing, deleted: false });
    order.push(id);
  }
  // Then one expense shared anew by a PATCH: with some, by exact amounts, or by everyone again (null).
  if (s.reshare !== null) {
    const id = order[s.reshare.target % order.length]!;
    const m = model.get(id)!;
    const sh = s.reshare.sharing;
    const sharing: M['sharing'] = sh.kind === 'all' ? sh : sh.kind === 'with' ? sh : { kind: 'amounts', owed: exactCuts(m.amount, sh.who.length, sh.cuts).map((a, i) => [sh.who[i]!, a]) };
    const body = sharing.kind === 'all' ? { sharedWith: null } : sharing.kind === 'with' ? { sharedWith: sharing.who.map((i) => people[i]!.id) } : { sharedAmounts: sharing.owed.map(([i, a]) => ({ userId: people[i]!.id, amount: a })) };
    const res = await as(t.app, people[s.reshare.by]!)('PATCH', `${base}/expenses/${id}`, { body });
    expect(res.status, res.text).toBe(200);
    model.set(id, { ...m, sharing });
  }

  if (s.bulk !== null) {
    const ids = [...new Set(s.bulk.targets.map((n) => order[n % order.length]!))];
    const before = new Map([...model].map(([id, m]) => [id, { ...m }]));
    const action =
      s.bulk.action === 'cat0' || s.bulk.action === 'cat1' || s.bulk.action === 'uncategorize'
        ? { type: 'recategorize', categoryId: s.bulk.action === 'uncategorize' ? null : catIds[s.bulk.action === 'cat0' ? 0 : 1] }
        : s.bulk.action === 'delete'
          ? { type: 'delete' }
          : { type: s.bulk.action, tags: ['trip'] };
    const res = await as(t.app, people[s.bulk.by]!)('POST', `${base}/expenses/bulk`, { body: { expenseIds: ids, action } });
    expect(res.status, res.text).toBe(200);
    const statuses: Record<string, number> = Object.fromEntries((res.json.results as { expenseId: string; status: number }[]).map((r) => [r.expenseId, r.status]));
    for (const id of ids) {
      const m = model.get(id)!;
      if (s.bulk.action === 'delete') m.deleted = true;
      else if (s.bulk.action === 'addTags') m.trip = true;
      else if (s.bulk.action === 'removeTags') m.trip = false;
      else if (m.parts.length > 1) {
        // A split expense is not recategorized (409 naming it): its parts keep their categories.
        expect({ id, status: statuses[id] }, res.text).toEqual({ id, status: 409 });
        continue;
      } else m.parts = [[m.parts[0]![0], s.bulk.action === 'uncategorize' ? null : s.bulk.action === 'cat0' ? 0 : 1]];
      expect({ id, status: statuses[id] }, res.text).toEqual({ id, status: s.bulk.action === 'delete' ? 204 : 200 });
    }
    if (s.bulk.undo && res.json.undo) {
      const undo = await as(t.app, people[s.bulk.by]!)('POST', `${base}/expenses/bulk/${res.json.undo.id}/undo`);
      expect(undo.status, undo.text).toBe(200);
      expect({ kept: undo.json.kept, failed: undo.json.failed }, undo.text).toEqual({ kept: [], failed: [] });
      for (const [id, m] of before) model.set(id, m);
    }
  }

  if (s.imported !== null) {
    const importer = people[s.imported.by]!;
    const file = `date,amount,category,description,merchant\n${s.imported.rows.map((r, i) => `${SHARED_DAYS[r.day]},${(r.amount / 100).toFixed(2)},${r.cat === null ? '' : `Cat ${r.cat}`},row ${i},Shop ${i}`).join('\n')}\n`;
    const res = await as(t.app, importer)('POST', `${base}/expenses/import`, { rawBody: file, headers: { 'content-type': 'text/csv', prefer: 'wait=30' } });
    expect(res.status, res.text).toBe(200);
    expect({ status: res.json.status, imported: res.json.imported }, res.text).toEqual({ status: 'succeeded', imported: s.imported.rows.length });
    if (s.imported.undo) {
      const undo = await as(t.app, importer)('POST', `${base}/imports/${res.json.id}/undo`, { headers: { prefer: 'wait=30' } });
      expect(undo.status, undo.text).toBe(200);
    } else {
      for (const [i, r] of s.imported.rows.entries()) model.set(`import-${i}`, { payer: s.imported.by, day: SHARED_DAYS[r.day]!, sign: 1, amount: r.amount, parts: [[r.amount, r.cat]], trip: false, sharing: { kind: 'all' }, deleted: false });
    }
  }

  if (s.leaves !== null) {
    const res = await as(t.app, people[s.leaves]!)('DELETE', `${base}/members/${people[s.leaves]!.id}`);
    expect(res.status, res.text).toBe(204);
  }

  // ----- the reference model, over November -----
  const live = [...model.values()].filter((m) => !m.deleted);
  const current = people.map((p, i) => ({ i, id: p.id, share: s.shares[i]! })).filter((m) => m.i !== s.leaves);
  const isCurrent = (i: number) => i !== s.leaves;
  const total = live.reduce((sum, m) => sum + m.sign * m.amount, 0);
  const byCat: Record<string, number> = { [catIds[0]!]: 0, [catIds[1]!]: 0, uncategorized: 0 };
  for (const m of live) for (const [a, c] of m.parts) { const line = c === null ? 'uncategorized' : catIds[c]!; byCat[line] = byCat[line]! + m.sign * a; }
  const paid: Record<string, number> = {};
  for (const m of live) paid[people[m.payer]!.id] = (paid[people[m.payer]!.id] ?? 0) + m.sign * m.amount;
  // Owes: the everyone group by share; each sharedWith set's sum by share among its current members; exact amounts exactly.
  let everyone = 0;
  const sets = new Map<string, { who: number[]; sum: number }>();
  const owes: Record<string, number> = Object.fromEntries(current.map((m) => [m.id, 0]));
  for (const m of live) {
    const signed = m.sign * m.amount;
    if (m.sharing.kind === 'all') everyone += signed;
    else if (m.sharing.kind === 'with') {
      const who = m.sharing.who.filter(isCurrent);
      if (who.length === 0) everyone += signed;
      else {
        const key = [...m.sharing.who].map((i) => people[i]!.id).sort().join(',');
        const set = sets.get(key) ?? { who, sum: 0 };
        set.sum += signed;
        sets.set(key, set);
      }
    } else for (const [i, a] of m.sharing.owed) if (isCurrent(i)) owes[people[i]!.id]! += m.sign * a; else everyone += m.sign * a;
  }
  for (const [id, part] of Object.entries(byShares(everyone, current))) owes[id]! += part;
  for (const set of sets.values()) for (const [id, part] of Object.entries(byShares(set.sum, current.filter((m) => set.who.includes(m.i))))) owes[id]! += part;
  const net = Object.fromEntries(current.map((m) => [m.id, (paid[m.id] ?? 0) - owes[m.id]!]));

  const get = async (path: string) => {
    const res = await ownerCall('GET', path);
    expect(res.status, `${path}: ${res.text}`).toBe(200);
    return res.json;
  };
  const summary = await get(`${base}/summary?date=2026-11-15`);
  expect({ route: 'summary', spent: summary.spent, uncategorized: summary.uncategorizedSpent, categories: Object.fromEntries((summary.categories as { categoryId: string; spent: number }[]).map((c) => [c.categoryId, c.spent])) }).toEqual({
    route: 'summary', spent: total, uncategorized: byCat.uncategorized, categories: { [catIds[0]!]: byCat[catIds[0]!], [catIds[1]!]: byCat[catIds[1]!] },
  });
  const byTag = await get(`${base}/spending?by=tag&from=2026-11-01&to=2026-11-30&limit=100`);
  const tagged = live.filter((m) => m.trip).reduce((sum, m) => sum + m.sign * m.amount, 0);
  const amounts = (items: { key: string; label: string | null; amount: number }[]) => Object.fromEntries(items.filter((i) => i.amount !== 0).map((i) => [i.label ?? '', i.amount]));
  expect({ route: 'spending by tag', total: byTag.total, items: amounts(byTag.items) }).toEqual({
    route: 'spending by tag', total, items: Object.fromEntries(Object.entries({ trip: tagged, '': total - tagged }).filter(([, v]) => v !== 0)),
  });
  const byCategory = await get(`${base}/spending?by=category&from=2026-11-01&to=2026-11-30&limit=100`);
  expect({ route: 'spending by category', total: byCategory.total, items: Object.fromEntries((byCategory.items as { key: string; amount: number }[]).filter((i) => i.amount !== 0).map((i) => [i.key, i.amount])) }).toEqual({
    route: 'spending by category', total, items: Object.fromEntries(Object.entries(byCat).filter(([, v]) => v !== 0)),
  });
  // By member: the payer's (the recorder's, the importer's), whoever shares it.
  const byMember = await get(`${base}/spending?by=member&from=2026-11-01&to=2026-11-30&limit=100`);
  expect({ route: 'spending by member', items: Object.fromEntries((byMember.items as { key: string; amount: number }[]).filter((i) => i.amount !== 0).map((i) => [i.key, i.amount])) }).toEqual({
    route: 'spending by member', items: Object.fromEntries(Object.entries(paid).filter(([, v]) => v !== 0)),
  });
  const csv = await ownerCall('GET', `${base}/expenses/export?from=2026-11-01&to=2026-11-30`);
  expect({ route: 'csv export', total: csv.text.split('\r\n').slice(1, -1).reduce((sum, line) => sum + minor(line.split(',')[1]!), 0) }).toEqual({ route: 'csv export', total });
  const balances = await get(`${base}/balances?from=2026-11-01&to=2026-11-30`);
  const members = balances.members as { userId: string; paid: number; owes: number; net: number }[];
  expect({
    route: 'balances',
    total: balances.total,
    paid: Object.fromEntries(members.filter((m) => m.paid !== 0).map((m) => [m.userId, m.paid])),
    owes: Object.fromEntries(members.filter((m) => current.some((c) => c.id === m.userId)).map((m) => [m.userId, m.owes])),
    net: Object.fromEntries(members.filter((m) => current.some((c) => c.id === m.userId)).map((m) => [m.userId, m.net])),
    netsSum: members.reduce((sum, m) => sum + m.net, 0),
  }).toEqual({
    route: 'balances',
    total,
    paid: Object.fromEntries(Object.entries(paid).filter(([, v]) => v !== 0)),
    owes,
    net,
    netsSum: 0,
  });
}

describe('do the figures agree with sharing, the bulk edit and the CSV import?', { timeout: 600_000 }, () => {
  it('holds for random shares, shared expenses (with some, by exact amounts), bulk edits, imports and their undos', async () => {
    await fc.assert(
      fc.asyncProperty(sharedScenarioArb, async (s) => runSharedScenario(s)),
      { numRuns: Number(process.env.FIGURES_SHARED_RUNS ?? 10), endOnFailure: true, seed: seedOfRun() },
    );
  });
});

describe('defects the property found, each as a focused test', () => {
  it("a period report's top merchants group spellings as the spending breakdown does (case, accents, spacing)", async () => {
    clock.set(CREATED);
    const owner = await signUp(t.app, 'figures-report');
    const budget = await createBudget(t.app, owner, { period: 'monthly', timezone: 'UTC', limit: 500_000 });
    clock.set(NOW);
    owner.token = await tokenAtClock(t, owner);
    const base = `/v1/budgets/${budget.id}`;
    const spend = async (merchant: string, amount: number, occurredOn: string, refund = false) => {
      const res = await as(t.app, owner)('POST', `${base}/expenses`, { body: { amount, occurredOn, merchant, ...(refund ? { refund } : {}) } });
      expect(res.status, res.text).toBe(201);
    };
    // One payee, Café Rio, spelled three ways: 30.00 + 10.00 + 20.00 - 5.00 back = 55.00 over 4 expenses.
    await spend('Café Rio', 3_000, '2026-11-02');
    await spend('Café Rio', 1_000, '2026-11-10');
    await spend('cafe rio', 2_000, '2026-11-03');
    await spend('CAFÉ  RIO', 500, '2026-11-04', true);
    await spend('Shell', 4_000, '2026-11-05');

    const breakdown = await as(t.app, owner)('GET', `${base}/spending?by=merchant&from=2026-11-01&to=2026-11-30`);
    expect(breakdown.status, breakdown.text).toBe(200);
    expect(breakdown.json.items.map((i: { label: string; amount: number; count: number }) => [i.label, i.amount, i.count])).toEqual([
      ['Café Rio', 5_500, 4],
      ['Shell', 4_000, 1],
    ]);
    const report = await as(t.app, owner)('POST', `${base}/reports`, { body: { date: '2026-11-15' } });
    expect(report.status, report.text).toBe(201);
    // The same payees, amounts and counts; the label is the most frequent spelling, as in the breakdown.
    expect(report.json.topMerchants).toEqual([
      { merchant: 'Café Rio', spent: 5_500, count: 4 },
      { merchant: 'Shell', spent: 4_000, count: 1 },
    ]);
  });
  it('a former member owes nothing of the everyone group when every current member has share 0 (the equal split is among the current members)', async () => {
    clock.set(CREATED);
    const [owner, a, b] = await Promise.all([signUp(t.app, 'zero-owner'), signUp(t.app, 'zero-a'), signUp(t.app, 'zero-b')]);
    const budget = await createBudget(t.app, owner!, { period: 'monthly', timezone: 'UTC', limit: 500_000 });
    for (const p of [a!, b!]) await addMember(t.app, owner!, budget.id, p, 'editor');
    clock.set(NOW);
    for (const p of [owner!, a!, b!]) p.token = await tokenAtClock(t, p);
    const base = `/v1/budgets/${budget.id}`;
    for (const p of [owner!, a!]) {
      const res = await as(t.app, owner!)('PATCH', `${base}/members/${p.id}`, { body: { share: 0 } });
      expect(res.status, res.text).toBe(200);
    }
    // B pays 90.00 for everyone, then leaves: the two members left, both at share 0, owe 45.00 each.
    const paid = await as(t.app, b!)('POST', `${base}/expenses`, { body: { amount: 9_000, occurredOn: '2026-11-15' } });
    expect(paid.status, paid.text).toBe(201);
    const left = await as(t.app, b!)('DELETE', `${base}/members/${b!.id}`);
    expect(left.status, left.text).toBe(204);

    const balances = await as(t.app, owner!)('GET', `${base}/balances?from=2026-11-01&to=2026-11-30`);
    expect(balances.status, balances.text).toBe(200);
    const row = (id: string) => (balances.json.members as { userId: string; paid: number; owes: number; net: number }[]).find((m) => m.userId === id);
    expect([owner!, a!, b!].map((p) => [row(p.id)?.paid ?? 0, row(p.id)?.owes ?? 0, row(p.id)?.net ?? 0])).toEqual([
      [0, 4_500, -4_500],
      [0, 4_500, -4_500],
      [9_000, 0, 9_000],
    ]);
  });
});
