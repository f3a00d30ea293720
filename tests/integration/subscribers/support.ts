import { expect } from 'vitest';
import type { App } from '../../../packages/app/src/http/create-app';
import { call, type CallOptions } from '../../support/http';

/**
 * The subscribers run on the whole system: real accounts, budgets and expenses over HTTP,
 * their real outbox items, and delivery through the Lambda's own bus-delivery code (the path
 * EventBridge takes in AWS). Nothing relays here: a test picks the outbox items to deliver.
 */
export interface User {
  id: string;
  email: string;
  token: string;
}

export const asUser = (app: App, user: User) => (method: string, path: string, options: CallOptions = {}) =>
  call(app, method, path, { ...options, token: user.token });

let counter = 0;
export async function signup(app: App, label: string): Promise<User> {
  counter += 1;
  const email = `${label}-${counter}-${Math.random().toString(36).slice(2, 8)}@example.com`;
  const res = await call(app, 'POST', '/v1/auth/signup', { body: { email, password: 'correct horse battery staple' } });
  expect(res.status, res.text).toBe(201);
  return { id: res.json.user.id, email, token: res.json.tokens.accessToken };
}

export async function createBudget(app: App, owner: User, body: Record<string, unknown> = {}) {
  const res = await asUser(app, owner)('POST', '/v1/budgets', {
    body: { name: 'Household', currency: 'EUR', period: 'monthly', timezone: 'UTC', limit: 10_000, ...body },
  });
  expect(res.status, res.text).toBe(201);
  return res.json as { id: string; categories: { id: string; name: string; limit?: number }[]; version: number };
}

export async function addMember(app: App, owner: User, budgetId: string, member: User, role: 'editor' | 'viewer') {
  const res = await asUser(app, owner)('POST', `/v1/budgets/${budgetId}/members`, { body: { email: member.email, role } });
  expect(res.status, res.text).toBe(201);
}

export async function addExpense(app: App, user: User, budgetId: string, body: { amount: number; occurredOn: string; categoryId?: string }) {
  const res = await asUser(app, user)('POST', `/v1/budgets/${budgetId}/expenses`, { body });
  expect(res.status, res.text).toBe(201);
  return res.json as { id: string; version: number };
}

export { busEvent, deliver, itemsUnder, outboxEvents, tableItems, theEvent, type OutboxEvent } from '../../support/events';
