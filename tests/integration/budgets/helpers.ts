import { GetCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { fixedClock } from '@budgeting/platform';
import { afterAll, beforeAll, expect } from 'vitest';
import type { App } from '../../../packages/app/src/http/create-app';
import * as actors from '../../support/actors';
import { setClockFor, systemWithAccount } from '../../support/system-with-account';
import type { TestSystem } from '../../support/test-system';

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

/**
 * The preamble of the budgets files on a fixed clock: a test system on `fixedClock(start)`, its
 * owner and an account per label of `others` (signed up by `signup`), made by a beforeAll that
 * runs before the file's own (`accounts` is filled then) and destroyed after; the clock moved with
 * every account's token re-issued (tokens live 15 minutes); the owner's requests (`call`, and
 * `get`, which must answer 200: its JSON); and a summary line by its category id.
 */
export function clockSuite<L extends string = never>(start: string, others: readonly L[] = []) {
  const clock = fixedClock(start);
  const accounts = {} as { t: TestSystem; owner: Account } & Record<L, Account>;
  beforeAll(async () => {
    const { t, account: owner } = await systemWithAccount(signup, 'owner', { clock });
    const signed = await Promise.all(others.map((label) => signup(t.app, label)));
    Object.assign(accounts, { t, owner }, Object.fromEntries(others.map((label, i) => [label, signed[i]])));
  });
  afterAll(() => accounts.t.destroy());

  const setClock = async (when: string) => {
    await setClockFor(accounts.t, clock, accounts.owner, when);
    for (const label of others) accounts[label].token = await actors.tokenAtClock(accounts.t, accounts[label]);
  };
  const call = (method: string, path: string, body?: unknown) => actors.as(accounts.t.app, accounts.owner)(method, path, body === undefined ? {} : { body });
  const get = (path: string) => getOk(accounts.t.app, accounts.owner)(path);
  const line = (lines: { categoryId: string }[], id: string) => lines.find((l) => l.categoryId === id) as Record<string, unknown>;
  return { clock, accounts, setClock, call, get, line };
}

export { addExpense, addMember, addRecurring, as } from '../../support/actors';
export { expectProblem } from '../../support/problem';
