import { afterAll, beforeAll, expect } from 'vitest';
import { addMember, createBudget, signUp, type Actor } from './actors';
import { call as callApp, type CallOptions } from './http';
import { holdingWrites } from './holding-writes';
import { expectProblem } from './problem';
import { createTestSystem, type TestSystem } from './test-system';

export { holdingWrites };

/** A budget of the race suite: what its tests read of one. */
export interface RaceBudget {
  id: string;
  currency: string;
  categories: { id: string; name: string }[];
}

/**
 * The race suite's system: the whole app (createTestSystem, logs silent unless DEBUG_LOG) and
 * the few steps its tests take, built from ./actors, not from a test folder's harness, so a
 * budgets test that uses it loads no expenses test helper.
 */
async function raceSystem(options: Parameters<typeof createTestSystem>[0]) {
  const t = await createTestSystem({ ...options, env: { LOG_LEVEL: process.env.DEBUG_LOG ?? 'SILENT', ...options?.env } });
  const request = (method: string, path: string, opts: CallOptions = {}) => callApp(t.app, method, path, opts);
  /** A USD, monthly, UTC budget of `owner` with `categories` (no limit to speak of). */
  const newBudget = async (owner: Pick<Actor, 'token'>, opts: { categories?: string[] } = {}): Promise<RaceBudget> => {
    const b = await createBudget(t.app, owner, {
      currency: 'USD',
      period: 'monthly',
      timezone: 'UTC',
      limit: 1_000_000_000,
      categories: (opts.categories ?? ['Groceries', 'Transport']).map((name) => ({ name })),
    });
    return { id: b.id, currency: b.currency, categories: b.categories };
  };
  return {
    t,
    app: t.app,
    call: request,
    createBudget: newBudget,
    /** Every expense of a budget, walking GET /expenses page by page (newest first). */
    async listExpenses(budget: { id: string }, token: string): Promise<any[]> {
      const all: any[] = [];
      let cursor: string | null = null;
      do {
        const res = await request('GET', `/v1/budgets/${budget.id}/expenses?limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`, { token });
        expect(res.status, res.text).toBe(200);
        all.push(...res.json.items);
        cursor = res.json.nextCursor;
      } while (cursor);
      return all;
    },
    /** An owner, an editor and a viewer of a budget with `categories`, and a stranger. */
    async team(opts: { categories?: string[] } = {}) {
      const [owner, editor, viewer, stranger] = await Promise.all(['owner', 'editor', 'viewer', 'stranger'].map((label) => signUp(t.app, label)));
      const budget = await newBudget(owner!, opts);
      await addMember(t.app, owner!, budget.id, editor!, 'editor');
      await addMember(t.app, owner!, budget.id, viewer!, 'viewer');
      return { owner: owner!, editor: editor!, viewer: viewer!, stranger: stranger!, budget };
    },
    destroy: () => t.destroy(),
  };
}
type RaceSystem = Awaited<ReturnType<typeof raceSystem>>;
type RaceTeam = Awaited<ReturnType<RaceSystem['team']>>;
export type { TestSystem };

/** The archive's 409 (packages/budgets/docs/budget-lifecycle.md "Archiving a budget"). */
export function expectArchived(res: { status: number; headers: Headers; json: any; text: string }) {
  expectProblem(res, 409);
  expect(res.json.type).toMatch(/budget-archived$/);
}

/**
 * The archive tests' one preamble: a test system (createTestSystem's options, e.g. a clock) and
 * a team with a budget of `teamCategories` (a Groceries one unless told), made before the file's
 * tests and destroyed after;
 * requests as the team's owner; archive and unarchive; and a write held past its access check
 * while the budget is archived. `h` and `team` are read after the file's beforeAll ran.
 */
export function archiveRaceSuite(options: Parameters<typeof createTestSystem>[0] = {}, teamCategories: string[] = ['Groceries']) {
  let h: RaceSystem | undefined;
  let team: RaceTeam | undefined;
  beforeAll(async () => {
    h = await raceSystem(options);
    team = await h.team({ categories: teamCategories });
  });
  afterAll(() => h?.destroy());

  const harness = () => h ?? expect.fail('archiveRaceSuite: used before its beforeAll');
  const owner = () => team ?? expect.fail('archiveRaceSuite: used before its beforeAll');
  /** A request as the team's owner. */
  const call = (method: string, url: string, opts: CallOptions = {}) => harness().call(method, url, { token: owner().owner.token, ...opts });
  const req = (method: string, url: string, body?: unknown) => call(method, url, body === undefined ? {} : { body });
  /** `req`, expecting `status`: its JSON. */
  const ok = async (method: string, url: string, status: number, body?: unknown) => {
    const res = await req(method, url, body);
    expect(res.status, res.text).toBe(status);
    return res.json;
  };
  const archive = (budgetId: string) => ok('POST', `/v1/budgets/${budgetId}/archive`, 200);
  const unarchive = (budgetId: string) => ok('POST', `/v1/budgets/${budgetId}/unarchive`, 200);
  /** `work` with every transaction naming `marker` held until the budget is archived: its result. */
  const heldOn = <T>(budgetId: string, marker: string, work: () => Promise<T>) => holdingWrites(harness().t, marker, () => archive(budgetId), work).then((r) => r.result);

  return {
    get h(): RaceSystem {
      return harness();
    },
    get team(): RaceTeam {
      return owner();
    },
    call,
    req,
    ok,
    archive,
    unarchive,
    heldOn,
    /** holdingWrites on this file's system. */
    holding: <T>(marker: string, meanwhile: (() => Promise<unknown>) | undefined, work: () => Promise<T>) => holdingWrites(harness().t, marker, meanwhile, work),
    /** `method url` held past its access check (its transaction names `marker`) while the budget is archived: the 409; then unarchived. */
    async refusedWhileArchiving(budgetId: string, marker: string, method: string, url: string, body?: unknown) {
      const res = await heldOn(budgetId, marker, () => req(method, url, body));
      expectArchived(res);
      await unarchive(budgetId);
      return res;
    },
  };
}
