import { beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../../packages/app/src/http/create-app';
import { tableItems } from '../../support/events';
import { asAtClock } from '../../support/actors';
import { expectProblem } from '../../support/problem';
import type { Budget, Harness, User } from './harness';
import { recurringSuite } from './recurring-harness';

/**
 * The cap on recurring expenses per budget (RecurringRepository.maxPerBudget, 500 in
 * production, 3 here): the count item moves in each create's and delete's transaction, so the
 * cap holds under concurrent creates, a deletion gives a place back, and an Idempotency-Key
 * retry of a create that succeeded still answers once the budget is full.
 */
const suite = recurringSuite('2026-11-24T12:00:00Z');
const { req } = suite;
const CAP = 3;
let h: Harness;
let owner: User;
let app: App;

beforeAll(() => {
  h = suite.harness();
  owner = suite.owner();
  app = h.expensesAppWith({ recurringDefinitions: { maxPerBudget: CAP } });
});

const as = (method: string, url: string, options: { body?: unknown; headers?: Record<string, string> } = {}) => asAtClock(h.t, owner, app)(method, url, options);
const definitionsOf = async (b: Budget) => (await tableItems(h.t.doc, h.t.tableName)).filter((i) => i.pk === `expenses#budget#${b.id}` && i.kind === 'recurring-expense');
const body = (amount: number) => ({ amount, schedule: { frequency: 'monthly' } });

describe('the cap on recurring expenses per budget', () => {
  it('refuses the one past the cap with 409, writing nothing; a deletion makes room again', async () => {
    const b = await h.createBudget(owner);
    const urls: string[] = [];
    for (let i = 1; i <= CAP; i++) {
      const res = await as('POST', suite.collection(b), { body: body(i) });
      expect(res.status, res.text).toBe(201);
      urls.push(res.headers.get('location')!);
    }
    const refused = await as('POST', suite.collection(b), { body: body(99) });
    expectProblem(refused, 409);
    expect(refused.json.detail).toContain(`at most ${CAP} recurring expenses`);
    expect(refused.json).toMatchObject({ type: 'https://budgeting.dev/problems/limit-reached', limit: CAP, collection: 'recurringExpenses' });
    expect(await definitionsOf(b)).toHaveLength(CAP);

    expect((await as('DELETE', urls[0]!)).status).toBe(204);
    expect((await as('POST', suite.collection(b), { body: body(4) })).status).toBe(201);
    expect(await definitionsOf(b)).toHaveLength(CAP);
    // Other budgets have their own count.
    const other = await h.createBudget(owner);
    expect((await as('POST', suite.collection(other), { body: body(1) })).status).toBe(201);
    for (const url of urls.slice(1)) await req('DELETE', url);
  });

  it('holds under concurrent creates: exactly the cap get in', async () => {
    const b = await h.createBudget(owner);
    const answers = await Promise.all(Array.from({ length: 8 }, (_, i) => as('POST', suite.collection(b), { body: body(i + 1) })));
    expect(answers.filter((a) => a.status === 201)).toHaveLength(CAP);
    expect(answers.filter((a) => a.status !== 201).every((a) => a.status === 409)).toBe(true);
    expect(await definitionsOf(b)).toHaveLength(CAP);
  });

  it('answers a retried create (same Idempotency-Key) with the definition it made, though the budget is full now', async () => {
    const b = await h.createBudget(owner);
    const first = await as('POST', suite.collection(b), { body: body(1), headers: { 'idempotency-key': 'cap-retry' } });
    expect(first.status, first.text).toBe(201);
    for (let i = 2; i <= CAP; i++) expect((await as('POST', suite.collection(b), { body: body(i) })).status).toBe(201);
    const retried = await as('POST', suite.collection(b), { body: body(1), headers: { 'idempotency-key': 'cap-retry' } });
    expect(retried.status, retried.text).toBe(201);
    expect(retried.json.id).toBe(first.json.id);
    expect(await definitionsOf(b)).toHaveLength(CAP);
  });
});
