import { fixedClock } from '@budgeting/platform';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runRecurringIncomeJob, runRecurringJob } from '../../support/recurring-job';
import { createHarness, type Budget, type Harness, type Team } from './harness';
import { recurringIncomeCalls } from './recurring-income-harness';

/**
 * Recurring definitions in delta sync, property-style (expenses README "Delta sync", "Recurring
 * definitions"): random sequences of writes of both kinds (create, PATCH, pause, resume, skip,
 * record-next, DELETE, an expense now and then, the hourly jobs after the clock moved), with
 * syncs of small pages interleaved and a second client starting its first sync in the middle
 * (a write between its pages). Each client keeps only what the responses told it, applied in
 * order, and must end equal to GET of the lists.
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
    return page.hasMore;
  }
  async syncAll(limit: number) {
    while (await this.step(limit));
  }
}

async function list(b: Budget, path: Path) {
  const res = await req(team.owner, 'GET', `/v1/budgets/${b.id}/${path}?limit=100`);
  expect(res.status, res.text).toBe(200);
  return new Map((res.json.items as any[]).map((r) => [r.id, r] as const));
}

describe('recurring definitions in GET /changes: random writes, interleaved syncs', { timeout: 300_000 }, () => {
  // Three seeds in the suite (about 10 s); SYNC_SEEDS=4,5,... runs others (30 passed on 2026-12-05).
  for (const seed of (process.env.SYNC_SEEDS ? process.env.SYNC_SEEDS.split(",").map(Number) : [1, 2, 3])) {
    it(`seed ${seed}: every client ends with the lists`, async () => {
      clock.set(BASE);
      const rnd = random(seed);
      const pick = <T>(xs: T[]): T => xs[Math.floor(rnd() * xs.length)]!;
      const b = await fresh();
      const urls: Record<Path, string[]> = { 'recurring-expenses': [], 'recurring-income': [] };
      const a = new Client(b);
      let late: Client | undefined;
      const write = async () => {
        const path: Path = rnd() < 0.5 ? 'recurring-expenses' : 'recurring-income';
        const op = urls[path].length === 0 ? 'create' : pick(['create', 'patch', 'pause', 'skip', 'record', 'reschedule', 'delete', 'expense']);
        const url = urls[path].length > 0 ? pick(urls[path]) : '';
        const day = String(24 + Math.floor(rnd() * 5)).padStart(2, '0');
        const body =
          path === 'recurring-expenses'
            ? { amount: 1000 + Math.floor(rnd() * 1000), description: 'Bill', schedule: { frequency: pick(['daily', 'weekly', 'monthly']), startsOn: `2026-11-${day}` } }
            : { amount: 5000 + Math.floor(rnd() * 1000), source: 'Payroll', schedule: { frequency: pick(['daily', 'weekly', 'monthly']), startsOn: `2026-11-${day}` } };
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
          urls[path].splice(urls[path].indexOf(url), 1);
        } else {
          expect((await req(team.owner, 'POST', `/v1/budgets/${b.id}/expenses`, { body: { amount: 100, occurredOn: '2026-11-20' } })).status).toBe(201);
        }
      };
      for (let n = 0; n < 40; n++) {
        const r = rnd();
        if (r < 0.6) await write();
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
