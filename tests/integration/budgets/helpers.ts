import { expect } from 'vitest';
import type { App } from '../../../packages/app/src/http/create-app';
import { call, type CallOptions } from '../../support/http';

/** Shared steps of the budgets tests: real accounts (POST /v1/auth/signup) and budgets over HTTP. */
export interface Account {
  id: string;
  email: string;
  token: string;
}

let counter = 0;

export async function signup(app: App, tag = 'user'): Promise<Account> {
  counter += 1;
  const email = `${tag}-${counter}-${Math.random().toString(36).slice(2, 8)}@example.com`;
  const res = await call(app, 'POST', '/v1/auth/signup', {
    body: { email, password: 'correct horse battery staple', name: tag },
  });
  expect(res.status, res.text).toBe(201);
  return { id: res.json.user.id, email, token: res.json.tokens.accessToken };
}

export const validBudget = (overrides: Record<string, unknown> = {}) => ({
  name: 'Household',
  currency: 'USD',
  period: 'monthly',
  timezone: 'UTC',
  limit: 100_000,
  categories: [{ name: 'Groceries', limit: 40_000 }, { name: 'Transport' }],
  ...overrides,
});

export async function createBudget(app: App, owner: Account, overrides: Record<string, unknown> = {}) {
  const res = await call(app, 'POST', '/v1/budgets', { token: owner.token, body: validBudget(overrides) });
  expect(res.status, res.text).toBe(201);
  return res.json as {
    id: string;
    version: number;
    currency: string;
    categories: { id: string; name: string; limit?: number }[];
  } & Record<string, unknown>;
}

export async function addMember(app: App, owner: Account, budgetId: string, member: Account, role: 'editor' | 'viewer') {
  const res = await call(app, 'POST', `/v1/budgets/${budgetId}/members`, {
    token: owner.token,
    body: { email: member.email, role },
  });
  expect(res.status, res.text).toBe(201);
  return res.json;
}

export async function addExpense(
  app: App,
  who: Account,
  budgetId: string,
  body: { amount: number; occurredOn: string; categoryId?: string | null },
) {
  const res = await call(app, 'POST', `/v1/budgets/${budgetId}/expenses`, { token: who.token, body });
  expect(res.status, res.text).toBe(201);
  return res.json as { id: string };
}

export const as = (app: App, who: Account) => (method: string, path: string, options: Omit<CallOptions, 'token'> = {}) =>
  call(app, method, path, { ...options, token: who.token });

export { expectProblem } from '../../support/problem';
