import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { addMember, as, clockSuite, createBudget, type Account } from '../budgets/helpers';
import type { TestSystem } from '../../support/test-system';

/**
 * Settle-up payments (packages/budgets/docs/settle-up.md) written twice at once in one budget:
 * one payment recorded twice under one Idempotency-Key, one payment corrected to two days at
 * once (its item moves and leaves a pointer), corrected while deleted, deleted twice. The
 * invariant, whatever the order: each payment is stored once (one item of kind `settlement`,
 * at most one pointer naming where it is), the balances count it once, and the budget's count
 * item equals the payments stored.
 */
const suite = clockSuite('2026-11-10T12:00:00Z', ['sam']);
let t: TestSystem;
let owner: Account;
let sam: Account;
beforeAll(() => ({ t, owner, sam } = suite.accounts));
const ROUNDS = 5;

const path = (budgetId: string) => `/v1/budgets/${budgetId}/settlements`;
const api = () => as(t.app, owner);

async function partition(budgetId: string) {
  const out = await t.doc.send(new QueryCommand({ TableName: t.tableName, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': `budgets#settlements#${budgetId}` }, ConsistentRead: true }));
  return (out.Items ?? []) as Record<string, any>[];
}

/** What is stored: the payments (by id), the pointers, the count. */
async function storedOf(budgetId: string) {
  const items = await partition(budgetId);
  return {
    payments: items.filter((i) => i.kind === 'settlement').map((i) => i.id as string).sort(),
    pointers: items.filter((i) => i.kind === 'settlement-pointer').map((i) => ({ id: i.id as string, movedTo: i.movedTo as string })),
    count: Number(items.find((i) => i.kind === 'settlement-count')?.count ?? 0),
  };
}

/** Sam's `sent` over November (the balances count each payment once). */
async function samSent(budgetId: string) {
  const res = await api()('GET', `/v1/budgets/${budgetId}/balances?from=2026-11-01&to=2026-11-30`);
  expect(res.status, res.text).toBe(200);
  return res.json.members.find((m: { userId: string }) => m.userId === sam.id).sent as number;
}

async function household() {
  const budgetId = (await createBudget(t.app, owner)).id;
  await addMember(t.app, owner, budgetId, sam, 'editor');
  return budgetId;
}
const payment = { fromUserId: '', toUserId: '', amount: 2_500, paidOn: '2026-11-05' };
async function recordOne(budgetId: string) {
  const res = await api()('POST', path(budgetId), { body: { ...payment, fromUserId: sam.id, toUserId: owner.id } });
  expect(res.status, res.text).toBe(201);
  return res.json.id as string;
}

describe('settle-up written twice at once', { timeout: 180_000 }, () => {
  it('one payment recorded twice under one Idempotency-Key: stored and counted once', async () => {
    for (let round = 0; round < ROUNDS; round++) {
      const budgetId = await household();
      const body = { ...payment, fromUserId: sam.id, toUserId: owner.id };
      const answers = await Promise.all([0, 1].map(() => api()('POST', path(budgetId), { body, headers: { 'Idempotency-Key': `settle-${round}-${budgetId}` } })));
      expect(answers.filter((r) => r.status === 201).length, answers.map((r) => r.text).join('\n')).toBeGreaterThanOrEqual(1);
      for (const r of answers) expect([201, 409], r.text).toContain(r.status);
      const stored = await storedOf(budgetId);
      expect(stored.payments).toHaveLength(1);
      expect(stored.count).toBe(1);
      expect(await samSent(budgetId)).toBe(2_500);
    }
  });

  it('one payment moved to two days at once: one item, one pointer naming it, counted once', async () => {
    for (let round = 0; round < ROUNDS; round++) {
      const budgetId = await household();
      const id = await recordOne(budgetId);
      const answers = await Promise.all(['2026-11-07', '2026-11-08'].map((paidOn) => api()('PATCH', `${path(budgetId)}/${id}`, { body: { paidOn } })));
      for (const r of answers) expect([200, 409], r.text).toContain(r.status);
      const stored = await storedOf(budgetId);
      expect(stored.payments).toEqual([id]);
      const now = await api()('GET', `${path(budgetId)}/${id}`);
      expect(now.status, now.text).toBe(200);
      expect(stored.pointers).toEqual([{ id, movedTo: now.json.paidOn }]);
      expect(stored.count).toBe(1);
      expect(await samSent(budgetId)).toBe(2_500);
    }
  });

  it('a payment moved while deleted: when the delete answered 204 nothing of it is left', async () => {
    for (let round = 0; round < ROUNDS; round++) {
      const budgetId = await household();
      const id = await recordOne(budgetId);
      const [moved, deleted] = await Promise.all([
        api()('PATCH', `${path(budgetId)}/${id}`, { body: { paidOn: '2026-11-09' } }),
        api()('DELETE', `${path(budgetId)}/${id}`),
      ]);
      expect([200, 404, 409], moved.text).toContain(moved.status);
      expect([204, 409], deleted.text).toContain(deleted.status);
      const stored = await storedOf(budgetId);
      if (deleted.status === 204) {
        expect(stored).toEqual({ payments: [], pointers: [], count: 0 });
        expect((await api()('GET', `${path(budgetId)}/${id}`)).status).toBe(404);
        expect(await samSent(budgetId)).toBe(0);
      } else {
        expect(stored.payments).toEqual([id]);
        expect(stored.count).toBe(1);
        expect(await samSent(budgetId)).toBe(2_500);
      }
    }
  });

  it('a payment deleted twice at once: one 204, the other 404, the count down by one', async () => {
    for (let round = 0; round < ROUNDS; round++) {
      const budgetId = await household();
      const [id] = [await recordOne(budgetId), await recordOne(budgetId)];
      const answers = await Promise.all([0, 1].map(() => api()('DELETE', `${path(budgetId)}/${id}`)));
      expect(answers.map((r) => r.status).sort(), answers.map((r) => r.text).join('\n')).toEqual([204, 404]);
      const stored = await storedOf(budgetId);
      expect(stored.payments).toHaveLength(1);
      expect(stored.count).toBe(1);
      expect(await samSent(budgetId)).toBe(2_500);
    }
  });
});
