import { expect } from 'vitest';
import type { App } from '../../packages/app/src/http/create-app';
import { call, type CallOptions } from './http';

/**
 * The steps many tests take before the part they test, over HTTP like a client: sign up a
 * user, create a budget, add a member, record an expense, call as a user. Each step asserts
 * the status it needs with the response text as the message, so a broken setup fails where
 * it broke. A folder's helper module may wrap these with its own defaults.
 */

let counter = 0;
/** An email no earlier signup of the run used (a second signup with one is a 409). */
export function uniqueEmail(label = 'user'): string {
  counter += 1;
  return `${label}-${counter}-${Math.random().toString(36).slice(2, 8)}@example.com`;
}

/** The password of test accounts: long enough for the signup rules. */
export const PASSWORD = 'correct horse battery staple';

/** A signed-up user: what every test folder needs of one (a superset of their own types). */
export interface Actor {
  id: string;
  email: string;
  password: string;
  /** The access token. */
  token: string;
  refreshToken: string;
  user: { id: string; email: string; name: string | null; timezone: string; currency: string; notifications: { email: { budgetAlerts: boolean }; push: { budgetAlerts: boolean; comments: boolean } }; version: number };
}

/** POST /v1/auth/signup; `extraBody` adds fields (name, timezone...) or replaces the email or password. */
export async function signUp(app: App, label = 'user', extraBody: Record<string, unknown> = {}): Promise<Actor> {
  const email = (extraBody.email as string | undefined) ?? uniqueEmail(label);
  const password = (extraBody.password as string | undefined) ?? PASSWORD;
  const res = await call(app, 'POST', '/v1/auth/signup', { body: { email, password, ...extraBody } });
  expect(res.status, res.text).toBe(201);
  return {
    id: res.json.user.id,
    email,
    password,
    token: res.json.tokens.accessToken,
    refreshToken: res.json.tokens.refreshToken,
    user: res.json.user,
  };
}

/** A call as `who` (their access token on every request). */
export const as = (app: App, who: Pick<Actor, 'token'>) => (method: string, path: string, options: Omit<CallOptions, 'token'> = {}) =>
  call(app, method, path, { ...options, token: who.token });

/** What signs access tokens at the test clock's time: a TestSystem (its `system.deps.tokens`) and its app. */
export interface ClockSigner {
  app: App;
  system: { deps: { tokens: { sign(claims: { userId: string }): Promise<string> } } };
}

/** An access token for `who` signed at the test clock's current time (tokens live 15 minutes). */
export const tokenAtClock = (t: ClockSigner, who: { id: string }): Promise<string> => t.system.deps.tokens.sign({ userId: who.id });

/**
 * A call as `who` with a token signed at the clock's time of each call, for tests that move
 * the clock by more than a token's lifetime. `app`: another app of the same system (default t.app).
 */
export const asAtClock =
  (t: ClockSigner, who: { id: string }, app: App = t.app) =>
  async (method: string, path: string, options: Omit<CallOptions, 'token'> = {}) =>
    call(app, method, path, { ...options, token: await tokenAtClock(t, who) });

/** POST `body` to `path` as `who`, which must create it (201); the created resource. */
async function create(app: App, who: Pick<Actor, 'token'>, path: string, body: unknown) {
  const res = await as(app, who)('POST', path, { body });
  expect(res.status, res.text).toBe(201);
  return res.json;
}

export type CreatedBudget = {
  id: string;
  version: number;
  currency: string;
  categories: { id: string; name: string; limit?: number }[];
} & Record<string, unknown>;

/** The smallest valid budget; folders that need other defaults pass them in `overrides`. */
const BUDGET_DEFAULTS = { name: 'Household', currency: 'USD', period: 'monthly', timezone: 'UTC', limit: 100_000 };

/** POST /v1/budgets by `owner` with the defaults above, `overrides` on top. */
export const createBudget = (app: App, owner: Pick<Actor, 'token'>, overrides: Record<string, unknown> = {}): Promise<CreatedBudget> =>
  create(app, owner, '/v1/budgets', { ...BUDGET_DEFAULTS, ...overrides });

/** POST /v1/budgets/{id}/members: `owner` adds `member` (by email) with `role`. */
export const addMember = (app: App, owner: Pick<Actor, 'token'>, budgetId: string, member: Pick<Actor, 'email'>, role: 'editor' | 'viewer') =>
  create(app, owner, `/v1/budgets/${budgetId}/members`, { email: member.email, role });

/** POST /v1/budgets/{id}/expenses by `who`. */
export const addExpense = (
  app: App,
  who: Pick<Actor, 'token'>,
  budgetId: string,
  body: { amount: number; occurredOn: string; categoryId?: string | null; merchant?: string; refund?: boolean },
): Promise<{ id: string; version: number } & Record<string, unknown>> => create(app, who, `/v1/budgets/${budgetId}/expenses`, body);

/** POST /v1/budgets/{id}/recurring-expenses by `who`: the definition's id. */
export const addRecurring = async (app: App, who: Pick<Actor, 'token'>, budgetId: string, body: Record<string, unknown>): Promise<string> =>
  (await create(app, who, `/v1/budgets/${budgetId}/recurring-expenses`, body)).id as string;
