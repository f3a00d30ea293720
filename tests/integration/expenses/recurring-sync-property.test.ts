import { fixedClock } from '@budgeting/platform';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runRecurringIncomeJob, runRecurringJob } from '../../support/recurring-job';
import { createHarness, type Budget, type Harness, type Team } from './harness';
import { recurringIncomeCalls } from './recurring-income-harness';

/**
 * Recurring definitions in delta sync, property-style (packages/expenses/docs/sync.md "Delta sync", "Recurring
 * definitions"): random sequences of writes of both kinds (create, PATCH, pause, resume, skip,
 * record-next, DELETE, an expense now and then, the hourly jobs after the clock moved), with
 * syncs of small pages interleaved and a second client starting its first sync in the middle
 * (a write between its pages). Each client keeps only what the responses told it, applied in
 * order, and must end equal to GET of the lists.
 *
 * The first client also pushes batches offline (`POST /changes`, packages/expenses/docs/sync.md "Offline push"): creates of both
 * kinds under client ids, updates (pause and resume too), deletes, skips and record-nexts (at the
 * next date it last saw: one the job moved since is a conflict too) at the version it last saw
 * (stale when a route or the job wrote since, or on purpose: a conflict showing the server's
 * copy, which stays as it was), an expense among them, and now and then a whole earlier batch
 * again without a key (the phone never got the answer): nothing is written twice, a create
 * whose definition was deleted since answers `deleted`. It applies the results and the answer's
 * `serverKnowledge` as a phone does, syncs, and must then equal the lists.
 */
const BASE = '2026-11-24T12:00:00Z';
const clock = fixedClock(BASE);
let h: Harness;
let team: Team;
const created: string[] = [];

beforeAll(async () => {
  h = await createHarness({ clock });
  team = await h.team({ currency: 'USD' });
});
afterAll(() => h.destroy());

const { req, fresh } = recurringIncomeCalls(() => ({ h, team }), created);

type Page = { serverKnowledge: string; hasMore: boolean; recurringExpenses?: any[]; recurringIncome?: any[] };
type Path = 'recurring-expenses' | 'recurring-income';
const KIND = { 'recurring-expenses': 'recurringExpense', 'recurring-income': 'recurringIncome' } as const;
const PATH = { recurringExpense: 'recurring-expenses', recurringIncome: 'recurring-income' } as const;

/** A seeded PRNG (mulberry32): a failing sequence can be replayed from its seed. */
function random(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

class Client {
  readonly defs: Record<Path, Map<string, any>> = { 'recurring-expenses': new Map(), 'recurring-income': new Map() };
  token: string | undefined;
  /** Whether the last page ended a sync (its token is then a push's `since`). */
  complete = false;
  constructor(readonly b: Budget) {}
  /** One page; true while more follow. */
  async step(limit: number): Promise<boolean> {
    const params = new URLSearchParams({ limit: String(limit), ...(this.token ? { since: this.token } : {}) });
    const res = await req(team.owner, 'GET', `/v1/budgets/${this.b.id}/changes?${params}`);
    expect(res.status, res.text).toBe(200);
    const page = res.json as Page;
    for (const [path, items, kind] of [['recurring-expenses', page.recurringExpenses, 'recurringExpense'], ['recurring-income', page.recurringIncome, 'recurringIncome']] as const) {
      for (const { kind: k, ...r } of items ?? []) {
        expect([kind, 'deleted']).toContain(k);
        if (k === 'deleted') this.defs[path].delete(r.id);
        else this.defs[path].set(r.id, r);
      }
    }
    this.token = page.serverKnowledge;
    this.complete = !page.hasMore;
    return page.hasMore;
  }
  /** What a phone does with a push's answer: each result's copy (or its deletion), then the token. */
  applyPush(mutations: Mutation[], answer: { results: any[]; serverKnowledge: string }) {
    answer.results.forEach((result, i) => {
      const m = mutations[i]!;
      if (m.type === undefined) return;
      const defs = this.defs[PATH[m.type]];
      const copy = result.status === 'applied' ? result[m.type] : result.status === 'conflict' ? result.current : undefined;
      if (result.status === 'applied' && m.op === 'delete') defs.delete(m.id!);
      else if (copy?.kind === 'deleted') defs.delete(copy.id);
      else if (copy) {
        const { kind, ...def } = copy;
        if (kind !== undefined) expect(kind).toBe(m.type);
        defs.set(def.id, def);
      }
    });
    this.token = answer.serverKnowledge;
  }
  async syncAll(limit: number) {
    while (await this.step(limit));
  }
}

type Mutation = { type?: 'recurringExpense' | 'recurringIncome'; op: 'create' | 'update' | 'delete' | 'skip' | 'recordNext'; id?: string; baseVersion?: number; [body: string]: unknown };
/** What a recordNext recorded, under its kind's name in the result, and its link to the definition. */
const RECORDED = { recurringExpense: ['expense', 'recurringExpenseId'], recurringIncome: ['income', 'recurringIncomeId'] } as const;

async function list(b: Budget, path: Path) {
  const res = await req(team.owner, 'GET', `/v1/budgets/${b.id}/${path}?limit=100`);
  expect(res.status, res.text).toBe(200);
  return new Map((res.json.items as any[]).map((r) => [r.id, r] as const));
}

describe('recurring definitions in GET /changes: random writes, interleaved syncs', { timeout: 300_000 }, () => {
  // Three seeds in the suite (about 13 s); SYNC_SEEDS=4,5,... runs others (30 passed on 2026-12-05;
  // with the offline pushes, 1..60 on 2026-12-05, feat/pushprop53; with their skips and
  // record-nexts, 1..10 on 2026-12-05, feat/push54: 14 applied, 1 moved past a recorded date, 29 conflicts).
  for (const seed of (process.env.SYNC_SEEDS ? process.env.SYNC_SEEDS.split(",").map(Number) : [1, 2, 3])) {
    it(`seed ${seed}: every client ends with the lists`, async () => {
      clock.set(BASE);
      const rnd = random(seed);
      const pick = <T>(xs: T[]): T => xs[Math.floor(rnd() * xs.length)]!;
      const b = await fresh();
      const urls: Record<Path, string[]> = { 'recurring-expenses': [], 'recurring-income': [] };
      const a = new Client(b);
      let late: Client | undefined;
      const bodyOf = (path: Path) => {
        const day = String(24 + Math.floor(rnd() * 5)).padStart(2, '0');
        return path === 'recurring-expenses'
          ? { amount: 1000 + Math.floor(rnd() * 1000), description: 'Bill', schedule: { frequency: pick(['daily', 'weekly', 'monthly']), startsOn: `2026-11-${day}` } }
          : { amount: 5000 + Math.floor(rnd() * 1000), source: 'Payroll', schedule: { frequency: pick(['daily', 'weekly', 'monthly']), startsOn: `2026-11-${day}` } };
      };
      const write = async () => {
        const path: Path = rnd() < 0.5 ? 'recurring-expenses' : 'recurring-income';
        const op = urls[path].length === 0 ? 'create' : pick(['create', 'patch', 'pause', 'skip', 'record', 'reschedule', 'delete', 'expense']);
        const url = urls[path].length > 0 ? pick(urls[path]) : '';
        const body = bodyOf(path);
        if (op === 'create') {
          const res = await req(team.owner, 'POST', `/v1/budgets/${b.id}/${path}`, { body });
          expect(res.status, res.text).toBe(201);
          urls[path].push(res.headers.get('location')!);
        } else if (op === 'patch') {
          expect((await req(team.owner, 'PATCH', url, { body: { amount: 1 + Math.floor(rnd() * 9000) } })).status).toBe(200);
        } else if (op === 'pause') {
          const current = await req(team.owner, 'GET', url);
          expect((await req(team.owner, 'PATCH', url, { body: { paused: !current.json.paused } })).status).toBe(200);
        } else if (op === 'skip') {
          expect([200, 409]).toContain((await req(team.owner, 'POST', `${url}/skip`)).status);
        } else if (op === 'record') {
          const res = await req(team.owner, 'POST', `${url}/record-next`, { body: {} });
          expect([200, 409], res.text).toContain(res.status);
        } else if (op === 'reschedule') {
          // From today (a date record-next may have recorded already: the job then moves past it without recording).
          const today = clock.now().toISOString().slice(0, 10);
          expect([200, 409]).toContain((await req(team.owner, 'PATCH', url, { body: { schedule: { frequency: 'daily', startsOn: today } } })).status);
        } else if (op === 'delete') {
          expect((await req(team.owner, 'DELETE', url)).status).toBe(204);
          urls[path] = urls[path].filter((u) => u !== url);
        } else {
          expect((await req(team.owner, 'POST', `/v1/budgets/${b.id}/expenses`, { body: { amount: 100, occurredOn: '2026-11-20' } })).status).toBe(201);
        }
      };
      // The first client's offline pushes (see the top): each batch kept, so one may be sent again.
      const batches: Mutation[][] = [];
      let ids = 0;
      const clientId = () => `01JDQ${String(seed).padStart(4, '0')}${String(++ids).padStart(17, '0')}`;
      const urlOf = (path: Path, id: string) => `/v1/budgets/${b.id}/${path}/${id}`;
      const snapshot = async () => ({
        expenses: await list(b, 'recurring-expenses'),
        income: await list(b, 'recurring-income'),
        spent: (await req(team.owner, 'GET', `/v1/budgets/${b.id}/expenses?limit=100`)).json.items,
      });
      const pushBatch = async () => {
        // A phone pushes from where its sync ended: one cut between pages is finished first.
        if (!a.complete) await a.syncAll(2);
        const resend = batches.length > 0 && rnd() < 0.25;
        let mutations: Mutation[];
        if (resend) mutations = pick(batches);
        else {
          mutations = [];
          const used = new Set<string>();
          for (let n = 1 + Math.floor(rnd() * 4); n > 0; n--) {
            const path: Path = rnd() < 0.5 ? 'recurring-expenses' : 'recurring-income';
            const type = KIND[path];
            const known = [...a.defs[path].values()].filter((d) => !used.has(d.id));
            const op = known.length === 0 ? 'create' : pick(['create', 'update', 'pause', 'delete', 'expense', 'skip', 'record']);
            if (op === 'expense') mutations.push({ op: 'create', id: clientId(), expense: { amount: 100 + n, occurredOn: '2026-11-21' } });
            else if (op === 'create') mutations.push({ type, op, id: clientId(), [type]: bodyOf(path) });
            else {
              const d = pick(known);
              used.add(d.id);
              // The version it last saw; now and then the one before (an edit made offline before its last sync).
              const baseVersion = d.version > 1 && rnd() < 0.25 ? d.version - 1 : d.version;
              if (op === 'delete') mutations.push({ type, op, id: d.id, baseVersion });
              // The next date it saw; a paused or ended one has none: any date, a conflict.
              else if (op === 'skip' || op === 'record') mutations.push({ type, op: op === 'skip' ? 'skip' : 'recordNext', id: d.id, baseVersion, nextOccurrenceOn: d.nextOccurrenceOn ?? '2026-11-24' });
              else mutations.push({ type, op: 'update', id: d.id, baseVersion, patch: op === 'pause' ? { paused: !d.paused } : { amount: 1 + Math.floor(rnd() * 9000) } });
            }
          }
          batches.push(mutations);
        }
        // The server's copy of each definition named, before (an id is named once a batch).
        const get = async (m: Mutation) => {
          const res = await req(team.owner, 'GET', urlOf(PATH[m.type!], m.id!));
          expect([200, 404], res.text).toContain(res.status);
          return res.status === 200 ? res.json : null;
        };
        const before = await Promise.all(mutations.map((m) => (m.type ? get(m) : null)));
        const was = resend ? await snapshot() : undefined;
        const res = await req(team.owner, 'POST', `/v1/budgets/${b.id}/changes?since=${encodeURIComponent(a.token!)}`, { body: { mutations } });
        expect(res.status, res.text).toBe(200);
        const results = res.json.results as any[];
        expect(results).toHaveLength(mutations.length);
        for (const [i, m] of mutations.entries()) {
          const result = results[i];
          if (!m.type) {
            expect(result, JSON.stringify(m)).toMatchObject({ status: 'applied', expense: { id: m.id }, version: 1 });
            continue;
          }
          const path = PATH[m.type];
          const now = before[i];
          const after = await get(m);
          const why = JSON.stringify({ m, now });
          if (m.op === 'create') {
            if (now) expect(result, why).toEqual({ status: 'applied', [m.type]: now, version: now.version });
            else if (resend) expect(result, why).toEqual({ status: 'conflict', current: { kind: 'deleted', id: m.id, deleted: true } });
            else {
              expect(result, why).toEqual({ status: 'applied', [m.type]: after, version: 1 });
              urls[path].push(urlOf(path, m.id!));
            }
            if (now) expect(after).toEqual(now);
          } else if (!now) {
            expect(result, why).toEqual({ status: 'conflict', current: { kind: 'deleted', id: m.id, deleted: true } });
          } else if (now.version !== m.baseVersion || ((m.op === 'skip' || m.op === 'recordNext') && now.nextOccurrenceOn !== m.nextOccurrenceOn)) {
            expect(result, why).toEqual({ status: 'conflict', current: { kind: m.type, ...now } });
            expect(after, why).toEqual(now);
          } else if (m.op === 'delete') {
            expect(result, why).toEqual({ status: 'applied', id: m.id, version: m.baseVersion });
            expect(after, why).toBeNull();
            urls[path] = urls[path].filter((u) => u !== urlOf(path, m.id!));
          } else if (m.op === 'skip') {
            expect(result, why).toEqual({ status: 'applied', [m.type]: after, version: now.version + 1 });
            expect(after.nextOccurrenceOn === null || after.nextOccurrenceOn > now.nextOccurrenceOn, why).toBe(true);
          } else if (m.op === 'recordNext') {
            const [entry, link] = RECORDED[m.type];
            // Recorded; or its date was recorded already (a schedule changed onto it): moved past, as the route's 409.
            if (result.status === 'applied') expect(result, why).toEqual({ status: 'applied', [m.type]: after, [entry]: expect.objectContaining({ [link]: m.id }), version: now.version + 1 });
            else expect(result, why).toEqual({ status: 'conflict', current: { kind: m.type, ...after } });
            expect(after.nextOccurrenceOn === null || after.nextOccurrenceOn > now.nextOccurrenceOn, why).toBe(true);
          } else {
            expect(result, why).toEqual({ status: 'applied', [m.type]: after, version: after.version });
            expect(after, why).toMatchObject(m.patch as object);
            expect([now.version, now.version + 1]).toContain(after.version);
          }
        }
        // A batch sent again writes nothing: every definition and expense as before.
        if (was) expect(await snapshot()).toEqual(was);
        a.applyPush(mutations, res.json);
        await a.syncAll(2);
        expect(a.defs['recurring-expenses']).toEqual(await list(b, 'recurring-expenses'));
        expect(a.defs['recurring-income']).toEqual(await list(b, 'recurring-income'));
      };
      for (let n = 0; n < 40; n++) {
        const r = rnd();
        if (r < 0.15) await pushBatch();
        else if (r < 0.6) await write();
        else if (r < 0.75) await a.step(1 + Math.floor(rnd() * 3));
        else if (r < 0.85) {
          // A second client's first sync, pages of 1..2, a write between them now and then.
          late ??= new Client(b);
          if (!(await late.step(1 + Math.floor(rnd() * 2))) && rnd() < 0.5) late = undefined;
        } else if (r < 0.92) {
          // A day later, the hourly jobs; now and then in an archived budget (its due dates skipped, moved without recording).
          const archived = rnd() < 0.3;
          if (archived) expect((await req(team.owner, 'POST', `/v1/budgets/${b.id}/archive`)).status).toBeLessThan(300);
          clock.set(new Date(clock.now().getTime() + 86_400_000).toISOString());
          expect(await runRecurringJob(h.t)).toMatchObject({ failed: 0 });
          expect(await runRecurringIncomeJob(h.t)).toMatchObject({ failed: 0 });
          if (archived) expect((await req(team.owner, 'POST', `/v1/budgets/${b.id}/unarchive`)).status).toBeLessThan(300);
        } else await a.syncAll(2);
      }
      const lists = { 'recurring-expenses': await list(b, 'recurring-expenses'), 'recurring-income': await list(b, 'recurring-income') };
      for (const client of [a, late ?? new Client(b), new Client(b)]) {
        await client.syncAll(3);
        expect(client.defs['recurring-expenses']).toEqual(lists['recurring-expenses']);
        expect(client.defs['recurring-income']).toEqual(lists['recurring-income']);
      }
      // The jobs see every definition of the table: this budget's go before the next seed's.
      for (const path of ['recurring-expenses', 'recurring-income'] as const) for (const url of urls[path]) await req(team.owner, 'DELETE', url);
    });
  }
});
