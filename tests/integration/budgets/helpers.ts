import { GetCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { expect } from 'vitest';
import type { App } from '../../../packages/app/src/http/create-app';
import * as actors from '../../support/actors';

/**
 * Shared steps of the budgets tests: real accounts (POST /v1/auth/signup) and budgets over
 * HTTP, the steps of ../../support/actors with this folder's defaults (a named account, a
 * budget with two categories).
 */
export type Account = actors.Actor;

export const signup = (app: App, tag = 'user'): Promise<Account> => actors.signUp(app, tag, { name: tag });

export const validBudget = (overrides: Record<string, unknown> = {}) => ({
  name: 'Household',
  currency: 'USD',
  period: 'monthly',
  timezone: 'UTC',
  limit: 100_000,
  categories: [{ name: 'Groceries', limit: 40_000 }, { name: 'Transport' }],
  ...overrides,
});

export const createBudget = (app: App, owner: Account, overrides: Record<string, unknown> = {}) =>
  actors.createBudget(app, owner, validBudget(overrides));

/** A GET as `who` that must answer 200: its JSON. */
export const getOk = (app: App, who: Account) => async (path: string) => {
  const res = await actors.as(app, who)('GET', path);
  expect(res.status, res.text).toBe(200);
  return res.json;
};

/** The budget's item as stored (read strongly consistent): what a write left in the table. */
export const storedBudget = async (t: { doc: DynamoDBDocumentClient; tableName: string }, budgetId: string) =>
  (await t.doc.send(new GetCommand({ TableName: t.tableName, Key: { pk: `budgets#budget#${budgetId}`, sk: 'budgets#budget' }, ConsistentRead: true }))).Item!;

export { addExpense, addMember, as } from '../../support/actors';
export { expectProblem } from '../../support/problem';
