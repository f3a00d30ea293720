import { createExpensesModule, type Expense, type ExpensesModuleOptions } from '@budgeting/expenses';
import { createApp, type App } from '../../../packages/app/src/http/create-app';
import { afterAll, beforeAll, expect } from 'vitest';
import { changesSince, monthSpent, syncKnowledge } from './budget-views';
import { addMember, createBudget, signUp, tokenAtClock } from '../../support/actors';
import { call, type CallOptions } from '../../support/http';
import { createTestSystem, type TestSystem } from '../../support/test-system';

/**
 * The expenses tests run against the whole system (createTestSystem): real accounts
 * (POST /v1/auth/signup), real budgets and members (budgets module routes), and the
 * budget summary for "what was spent". Only the expenses routes are under test here.
 * The setup steps are those of ../../support/actors, with this folder's budget defaults.
 */
export interface User {
  id: string;
  email: string;
  token: string;
}
export interface Budget {
  id: string;
  currency: string;
  categories: { id: string; name: string }[];
}

export async function createHarness(options: Parameters<typeof createTestSystem>[0] = {}) {
  const t = await createTestSystem({ ...options, env: { LOG_LEVEL: process.env.DEBUG_LOG ?? 'SILENT', ...options.env } });
  const request = (method: string, path: string, opts: CallOptions = {}) => call(t.app, method, path, opts);

  return {
    t,
    app: t.app,
    /** The expenses module's SpendingPort, as the budgets module uses it. */
    spending: t.system.facades.spending,
    call: request,
    /** An app serving only the expenses module built with `options` (tests lower its caps and page sizes). */
    expensesAppWith: (options: ExpensesModuleOptions): App => {
      const { runtime } = createExpensesModule(t.system.deps, { budgets: t.system.facades.budgets, storage: t.system.storage }, options);
      return createApp({ logger: t.system.deps.logger, modules: [runtime], corsOrigins: [] });
    },

    signup: (label: string): Promise<User> => signUp(t.app, label),

    async createBudget(
      owner: User,
      opts: { currency?: string; categories?: string[]; timezone?: string; period?: string; rollover?: boolean } = {},
    ): Promise<Budget> {
      const budget = await createBudget(t.app, owner, {
        currency: opts.currency ?? 'USD',
        period: opts.period ?? 'monthly',
        timezone: opts.timezone ?? 'UTC',
        limit: 1_000_000_000,
        ...(opts.rollover === undefined ? {} : { rollover: opts.rollover }),
        categories: (opts.categories ?? ['Groceries', 'Transport']).map((name) => ({ name })),
      });
      return { id: budget.id, currency: budget.currency, categories: budget.categories };
    },

    async addMember(budget: Budget, owner: User, member: User, role: 'editor' | 'viewer'): Promise<void> {
      await addMember(t.app, owner, budget.id, member, role);
    },

    /**
     * The usual cast: a budget of `owner` with an editor and a viewer, and a stranger who is
     * no member. `budget` takes createBudget's options.
     */
    async team(budget: Parameters<typeof this.createBudget>[1] = {}) {
      const [owner, editor, viewer, stranger] = await Promise.all(['owner', 'editor', 'viewer', 'stranger'].map((label) => signUp(t.app, label)));
      const created = await this.createBudget(owner!, budget);
      await this.addMember(created, owner!, editor!, 'editor');
      await this.addMember(created, owner!, viewer!, 'viewer');
      return { owner: owner!, editor: editor!, viewer: viewer!, stranger: stranger!, budget: created };
    },

    /**
     * A creating POST's answer is a new resource: version 1 in the ETag (`etag`, when the
     * resource's ETag names more: a recurring definition's its next occurrence), a Location under
     * `collection`, and a GET there (by `reader`) answers the same body and ETag.
     */
    async expectCreated(res: Awaited<ReturnType<typeof request>>, collection: string, reader: User, etag = '"1"'): Promise<void> {
      expect(res.headers.get('etag')).toBe(etag);
      expect(res.headers.get('location')).toBe(`${collection}/${res.json.id}`);
      const got = await request('GET', res.headers.get('location')!, { token: reader.token });
      expect(got.status).toBe(200);
      expect(got.json).toEqual(res.json);
      expect(got.headers.get('etag')).toBe(etag);
    },

    /** Every expense of a budget, walking GET /expenses page by page (newest first). */
    async listExpenses(budget: { id: string }, token: string): Promise<any[]> {
      const all: any[] = [];
      let cursor: string | null = null;
      do {
        const query = `limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
        const res = await request('GET', `/v1/budgets/${budget.id}/expenses?${query}`, { token });
        expect(res.status, res.text).toBe(200);
        all.push(...res.json.items);
        cursor = res.json.nextCursor;
      } while (cursor);
      return all;
    },

    /**
     * A CSV file through POST .../expenses/import with `query` (mapping, profile, dryRun...) as
     * `who`, waiting up to 25 s for the job (`Prefer: wait=25`): the finished import's 200, or 202.
     */
    importCsv(budget: { id: string }, who: User, csv: string, query: Record<string, string> = {}) {
      return request('POST', `/v1/budgets/${budget.id}/expenses/import?${new URLSearchParams(query).toString()}`, {
        token: who.token,
        rawBody: csv,
        headers: { 'content-type': 'text/csv', prefer: 'wait=25' },
      });
    },

    /** Signs `team`'s members in again at the test clock's time (after it moved past their tokens' lifetime). */
    async signInAgain(team: { owner: User; editor: User; viewer: User; stranger: User }): Promise<void> {
      for (const u of [team.owner, team.editor, team.viewer, team.stranger]) u.token = await tokenAtClock(t, u);
    },

    /** `spent` of the budget summary for the period containing `date`. */
    async spent(budget: Budget, token: string, date: string): Promise<number> {
      const res = await request('GET', `/v1/budgets/${budget.id}/summary?date=${date}`, { token });
      expect(res.status, res.text).toBe(200);
      return res.json.spent;
    },

    destroy: () => t.destroy(),
  };
}

export type Harness = Awaited<ReturnType<typeof createHarness>>;

/**
 * The preamble of the files that write as one team's owner (rule apply, category reassign, rule
 * conditions): a harness and a team whose budget has `categories`, made before the file's tests
 * and destroyed after; the owner's token; a fresh budget of the owner (`categories` unless told);
 * the expenses and rules paths; a POST of an expense and of a rule as the owner (each 201, its
 * JSON), a GET of an expense; and the budget-views reads as the owner. `h` and `team` are read
 * after the file's beforeAll ran.
 */
export function ownerSuite(categories: string[]) {
  let h: Harness | undefined;
  let team: Team | undefined;
  beforeAll(async () => {
    h = await createHarness();
    team = await h.team({ categories });
  });
  afterAll(() => h?.destroy());
  const harness = () => h ?? expect.fail('ownerSuite: used before its beforeAll');
  const token = () => (team ?? expect.fail('ownerSuite: used before its beforeAll')).owner.token;
  const expensesPath = (b: Budget) => `/v1/budgets/${b.id}/expenses`;
  const rulesPath = (b: Budget) => `/v1/budgets/${b.id}/rules`;
  const created = async (url: string, body: Record<string, unknown>) => {
    const res = await harness().call('POST', url, { token: token(), body });
    expect(res.status, res.text).toBe(201);
    return res.json;
  };

  return {
    get h(): Harness {
      return harness();
    },
    get team(): Team {
      return team ?? expect.fail('ownerSuite: used before its beforeAll');
    },
    token,
    expensesPath,
    rulesPath,
    fresh: (names = categories) => harness().createBudget(team!.owner, { categories: names }),
    postExpense: (b: Budget, body: Record<string, unknown>): Promise<Expense> => created(expensesPath(b), body),
    addRule: (b: Budget, body: Record<string, unknown>): Promise<{ id: string; version: number }> => created(rulesPath(b), body),
    get: async (b: Budget, id: string) => (await harness().call('GET', `${expensesPath(b)}/${id}`, { token: token() })).json,
    month: (b: Budget, date: string) => monthSpent(harness(), token(), b, date),
    knowledge: (b: Budget) => syncKnowledge(harness(), token(), b),
    changesSince: (b: Budget, since: string) => changesSince(harness(), token(), b, since),
  };
}
/** The usual cast of `Harness.team()`: owner, editor, viewer, stranger and their budget. */
export type Team = Awaited<ReturnType<Harness['team']>>;
export type { TestSystem };
