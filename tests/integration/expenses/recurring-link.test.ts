import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import type { Budget } from './harness';
import { recurringSuite } from './recurring-harness';

/**
 * The link from an occurrence to its definition (`recurringExpenseId`, "from schedule X") on
 * DynamoDB Local with the real recurring job: the expense the job records and the one
 * record-next records carry it in GET, in the list and in delta sync (GET /changes); a PATCH
 * keeps it; deleting the definition leaves it; an expense recorded by hand has none; a client
 * cannot send it (a 400 naming it, as any field the API does not take).
 */
const suite = recurringSuite('2026-11-24T12:00:00Z');
const { req } = suite;

async function define(b: Budget, body: Record<string, unknown>) {
  const res = await req('POST', suite.collection(b), { body });
  expect(res.status, res.text).toBe(201);
  const url = res.headers.get('location')!;
  suite.created.push(url);
  return { id: res.json.id as string, url };
}

/** Every expense a first sync gets (all pages), by id. */
async function synced(b: Budget, since?: string) {
  const byId = new Map<string, Record<string, unknown>>();
  let token = since;
  for (;;) {
    const res = await req('GET', `/v1/budgets/${b.id}/changes${token ? `?since=${encodeURIComponent(token)}` : ''}`);
    expect(res.status, res.text).toBe(200);
    for (const e of res.json.expenses as Record<string, unknown>[]) byId.set(e.id as string, e);
    token = res.json.serverKnowledge as string;
    if (!res.json.hasMore) return { byId, token: token! };
  }
}

function problemNames(res: { status: number; json: any }, field: string) {
  expect(res.status).toBe(400);
  expect(res.json.errors.map((e: { path: string }) => e.path)).toContain(field);
}

describe('an occurrence links to its recurring expense', { timeout: 120_000 }, () => {
  it('the job and record-next store it; GET, list and changes show it; PATCH keeps it; deleting the definition leaves it', async () => {
    const b = await suite.harness().createBudget(suite.owner(), { categories: ['Subscriptions'], timezone: 'UTC' });
    // Due today (2026-11-24): the job records it. The gym's next is 2026-12-01: record-next records it now.
    const netflix = await define(b, { amount: 1_549, merchant: 'Netflix', schedule: { frequency: 'monthly', startsOn: '2026-11-24' } });
    const gym = await define(b, { amount: 3_000, merchant: 'Gym', schedule: { frequency: 'monthly', startsOn: '2026-12-01' } });
    expect(await suite.run()).toMatchObject({ recorded: 1, failed: 0 });
    const next = await req('POST', `${gym.url}/record-next`);
    expect(next.status, next.text).toBe(200);
    expect(next.json.expense).toMatchObject({ amount: 3_000, occurredOn: '2026-12-01', recurringExpenseId: gym.id });
    const hand = await req('POST', `/v1/budgets/${b.id}/expenses`, { body: { amount: 1_549, merchant: 'Netflix', occurredOn: '2026-11-20' } });
    expect(hand.status, hand.text).toBe(201);
    expect(hand.json).not.toHaveProperty('recurringExpenseId');

    // The list, oldest first: the hand one (none), the job's (Netflix), record-next's (Gym).
    const list = await suite.expensesOf<Record<string, unknown>>(b);
    expect(list.map((e) => [e.occurredOn, e.recurringExpenseId])).toEqual([
      ['2026-11-20', undefined],
      ['2026-11-24', netflix.id],
      ['2026-12-01', gym.id],
    ]);
    const byJob = list[1]!;
    const got = await req('GET', `/v1/budgets/${b.id}/expenses/${byJob.id}`);
    expect(got.json).toEqual(byJob);
    expect((await req('GET', `/v1/budgets/${b.id}/expenses/${next.json.expense.id}`)).json).toEqual(next.json.expense);
    // Stored as one attribute on the expense item (no other item names it besides the job's markers).
    const items = (await suite.harness().t.doc.send(new ScanCommand({ TableName: suite.harness().t.tableName }))).Items ?? [];
    expect(items.filter((i) => i.kind === 'expense' && i.budgetId === b.id).map((i) => i.recurringExpenseId ?? null).sort()).toEqual([netflix.id, gym.id, null].sort());

    // Delta sync, first sync: each as GET shows it.
    const first = await synced(b);
    expect(first.byId.get(byJob.id as string)).toEqual({ ...byJob, kind: 'expense' });
    expect(first.byId.get(next.json.expense.id)).toEqual({ ...next.json.expense, kind: 'expense' });
    expect(first.byId.get(hand.json.id)).not.toHaveProperty('recurringExpenseId');

    // A member's edit keeps the link: it stays a record of that definition.
    const patched = await req('PATCH', `/v1/budgets/${b.id}/expenses/${byJob.id}`, { body: { description: 'Family plan', amount: 1_799 } });
    expect(patched.status, patched.text).toBe(200);
    expect(patched.json).toMatchObject({ description: 'Family plan', amount: 1_799, version: 2, recurringExpenseId: netflix.id });
    const after = await synced(b, first.token);
    expect([...after.byId.keys()]).toEqual([byJob.id]);
    expect(after.byId.get(byJob.id as string)).toMatchObject({ kind: 'expense', version: 2, recurringExpenseId: netflix.id });

    // The definition deleted: its past expenses keep naming it.
    expect((await req('DELETE', netflix.url)).status).toBe(204);
    expect((await req('GET', `/v1/budgets/${b.id}/expenses/${byJob.id}`)).json).toMatchObject({ version: 2, recurringExpenseId: netflix.id });
  });

  it('is not writable: a 400 naming it on POST and PATCH, as for id and createdBy', async () => {
    const b = await suite.harness().createBudget(suite.owner(), { categories: ['Subscriptions'], timezone: 'UTC' });
    const { id } = await define(b, { amount: 1_549, merchant: 'Netflix', schedule: { frequency: 'monthly', startsOn: '2026-12-24' } });
    const expenses = `/v1/budgets/${b.id}/expenses`;
    problemNames(await req('POST', expenses, { body: { amount: 1_549, recurringExpenseId: id } }), 'recurringExpenseId');
    problemNames(await req('POST', expenses, { body: { amount: 1_549, createdBy: suite.owner().id } }), 'createdBy');
    const created = await req('POST', expenses, { body: { amount: 1_549, merchant: 'Netflix' } });
    expect(created.status, created.text).toBe(201);
    problemNames(await req('PATCH', `${expenses}/${created.json.id}`, { body: { recurringExpenseId: id } }), 'recurringExpenseId');
    problemNames(await req('PATCH', `${expenses}/${created.json.id}`, { body: { recurringExpenseId: null } }), 'recurringExpenseId');
    // Nothing written: still version 1, no link.
    const got = await req('GET', `${expenses}/${created.json.id}`);
    expect(got.json.version).toBe(1);
    expect(got.json).not.toHaveProperty('recurringExpenseId');
  });
});
