import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BudgetsRepository } from '../../../packages/budgets/src/repository/budgets.repository';
import { budgetsKeys } from '../../../packages/budgets/src/repository/keys';
import { MembersRepository } from '../../../packages/budgets/src/repository/members.repository';
import { SettlementsRepository } from '../../../packages/budgets/src/repository/settlements.repository';
import { AccessService } from '../../../packages/budgets/src/service/access';
import { BalancesService } from '../../../packages/budgets/src/service/balances.service';
import { theEvent } from '../../support/events';
import { commandsSentDuring, inOneCounterState, readsChangeCounter } from '../../support/sent-commands';
import type { TestSystem } from '../../support/test-system';
import { addExpense, addMember, as, clockSuite, createBudget, expectProblem, signup, type Account } from './helpers';

/**
 * GET /v1/budgets/{id}/balances and members' shares (PATCH members/{userId}), on DynamoDB Local
 * with a fixed clock (the current period is November 2026). Expenses are recorded over HTTP by
 * the member who paid; every expected figure is worked out here by hand.
 */
const suite = clockSuite('2026-11-10T12:00:00Z', ['sam', 'kim', 'vic', 'stranger']);
const { clock } = suite;
let t: TestSystem;
let owner: Account;
let sam: Account;
let kim: Account;
let vic: Account;
let stranger: Account;
beforeAll(() => ({ t, owner, sam, kim, vic, stranger } = suite.accounts));

const balancesRes = (budgetId: string, query = '', who: Account = owner) => as(t.app, who)('GET', `/v1/budgets/${budgetId}/balances${query}`);

const balances = async (budgetId: string, query = '', who: Account = owner) => {
  const res = await balancesRes(budgetId, query, who);
  expect(res.status, res.text).toBe(200);
  return res.json;
};

const setShare = (budgetId: string, member: Account, share: unknown, who: Account = owner) =>
  as(t.app, who)('PATCH', `/v1/budgets/${budgetId}/members/${member.id}`, { body: { share } });

async function shareOf(budgetId: string, member: Account, share: number) {
  const res = await setShare(budgetId, member, share);
  expect(res.status, res.text).toBe(200);
  expect(res.json.share).toBe(share);
}

type Row = { userId: string; name?: string; share: number; paid: number; sent: number; received: number; owes: number; net: number };
const byId = (rows: Row[]) => [...rows].sort((a, b) => (a.userId < b.userId ? -1 : 1));

describe('balances of a household with shares 1/1/2 and a viewer with share 0', () => {
  let budgetId: string;

  beforeAll(async () => {
    budgetId = (await createBudget(t.app, owner)).id;
    await addMember(t.app, owner, budgetId, sam, 'editor');
    await addMember(t.app, owner, budgetId, kim, 'editor');
    await addMember(t.app, owner, budgetId, vic, 'viewer');
    await shareOf(budgetId, kim, 2);
    await shareOf(budgetId, vic, 0);
    const groceries = ((await as(t.app, owner)('GET', `/v1/budgets/${budgetId}`)).json.categories as { id: string }[])[0]!.id;

    // November (the current period): owner 10,000 + 2,000, sam 3,000, kim 1,000 split in two parts.
    await addExpense(t.app, owner, budgetId, { amount: 10_000, occurredOn: '2026-11-01' });
    await addExpense(t.app, owner, budgetId, { amount: 2_000, occurredOn: '2026-11-30' });
    await addExpense(t.app, sam, budgetId, { amount: 3_000, occurredOn: '2026-11-15' });
    const split = await as(t.app, kim)('POST', `/v1/budgets/${budgetId}/expenses`, {
      body: { amount: 1_000, occurredOn: '2026-11-20', splits: [{ categoryId: groceries, amount: 600 }, { categoryId: null, amount: 400 }] },
    });
    expect(split.status, split.text).toBe(201);
    // Outside November: owner 5,000 on Oct 31, sam 7,000 on Dec 1.
    await addExpense(t.app, owner, budgetId, { amount: 5_000, occurredOn: '2026-10-31' });
    await addExpense(t.app, sam, budgetId, { amount: 7_000, occurredOn: '2026-12-01' });
  });

  it('defaults to the current period: paid by recorder (a split expense whole), owes by share, nets and settlements', async () => {
    const b = await balances(budgetId);
    // total 16,000 over weights 1 + 1 + 2 + 0 = 4: owner 4,000, sam 4,000, kim 8,000, vic 0.
    expect(b).toEqual({
      from: '2026-11-01',
      to: '2026-11-30',
      total: 16_000,
      members: byId([
        { userId: owner.id, name: 'owner', share: 1, paid: 12_000, sent: 0, received: 0, owes: 4_000, net: 8_000 },
        { userId: sam.id, name: 'sam', share: 1, paid: 3_000, sent: 0, received: 0, owes: 4_000, net: -1_000 },
        { userId: kim.id, name: 'kim', share: 2, paid: 1_000, sent: 0, received: 0, owes: 8_000, net: -7_000 },
        { userId: vic.id, name: 'vic', share: 0, paid: 0, sent: 0, received: 0, owes: 0, net: 0 },
      ]),
      // Largest debtor (kim, 7,000) pays the largest creditor (owner), then sam.
      settlements: [
        { from: kim.id, to: owner.id, amount: 7_000 },
        { from: sam.id, to: owner.id, amount: 1_000 },
      ],
    });
  });

  it('filters by occurredOn over the range asked, both ends included', async () => {
    const b = await balances(budgetId, '?from=2026-10-31&to=2026-12-01');
    // total 28,000 = 16,000 + 5,000 + 7,000; quarters: 7,000 each, kim 14,000.
    expect(b.total).toBe(28_000);
    expect(byId(b.members).map((m: Row) => [m.userId, m.paid, m.owes, m.net])).toEqual(
      byId([
        { userId: owner.id, share: 1, paid: 17_000, sent: 0, received: 0, owes: 7_000, net: 10_000 },
        { userId: sam.id, share: 1, paid: 10_000, sent: 0, received: 0, owes: 7_000, net: 3_000 },
        { userId: kim.id, share: 2, paid: 1_000, sent: 0, received: 0, owes: 14_000, net: -13_000 },
        { userId: vic.id, share: 0, paid: 0, sent: 0, received: 0, owes: 0, net: 0 },
      ]).map((m) => [m.userId, m.paid, m.owes, m.net]),
    );
    expect(b.settlements).toEqual([
      { from: kim.id, to: owner.id, amount: 10_000 },
      { from: kim.id, to: sam.id, amount: 3_000 },
    ]);

    const december = await balances(budgetId, '?from=2026-12-01&to=2026-12-01');
    expect(december.total).toBe(7_000);
    expect(december.members.find((m: Row) => m.userId === sam.id).paid).toBe(7_000);
  });

  it('answers viewers, and 404 to strangers', async () => {
    expect((await balances(budgetId, '', vic)).total).toBe(16_000);
    expectProblem(await balancesRes(budgetId, '', stranger), 404);
  });

  it('refuses bad ranges with a 400 naming the field', async () => {
    expectProblem(await balancesRes(budgetId, '?from=2026-11-02&to=2026-11-01'), 400, ['query.from']);
    // 2026-01-01..2027-01-02 is 367 days; ..2027-01-01 (366) is allowed.
    expectProblem(await balancesRes(budgetId, '?from=2026-01-01&to=2027-01-02'), 400, ['query.from', 'query.to']);
    expect((await balances(budgetId, '?from=2026-01-01&to=2027-01-01')).total).toBe(28_000);
    expectProblem(await balancesRes(budgetId, '?from=2026-11-01'), 400, ['query.to']);
    expectProblem(await balancesRes(budgetId, '?to=2026-11-01'), 400, ['query.from']);
    expectProblem(await balancesRes(budgetId, '?from=2026-02-30&to=2026-03-01'), 400, ['query.from']);
    expectProblem(await balancesRes(budgetId, '?from=2026-11-01&to=2026-11-30&extra=1'), 400);
  });

  it('lists each member with their share', async () => {
    const res = await as(t.app, sam)('GET', `/v1/budgets/${budgetId}/members`);
    expect(res.status, res.text).toBe(200);
    const shares = Object.fromEntries((res.json.items as { userId: string; share: number }[]).map((m) => [m.userId, m.share]));
    expect(shares).toEqual({ [owner.id]: 1, [sam.id]: 1, [kim.id]: 2, [vic.id]: 0 });
  });
});

describe('rounding, share 0 and former members', () => {
  it('splits 100 over three equal shares as 34/33/33, the extra unit to the smallest user id', async () => {
    const budgetId = (await createBudget(t.app, owner)).id;
    await addMember(t.app, owner, budgetId, sam, 'editor');
    await addMember(t.app, owner, budgetId, kim, 'viewer');
    await addExpense(t.app, owner, budgetId, { amount: 100, occurredOn: '2026-11-03' });

    const b = await balances(budgetId);
    const ids = [owner.id, sam.id, kim.id].sort();
    expect(b.members.map((m: Row) => [m.userId, m.owes])).toEqual([
      [ids[0], 34],
      [ids[1], 33],
      [ids[2], 33],
    ]);
    expect(b.members.reduce((s: number, m: Row) => s + m.net, 0)).toBe(0);
    const debtors = b.members.filter((m: Row) => m.userId !== owner.id);
    expect(b.settlements).toEqual(
      [...debtors]
        .sort((x: Row, y: Row) => x.owes - y.owes || (x.userId < y.userId ? 1 : -1))
        .reverse()
        .map((m: Row) => ({ from: m.userId, to: owner.id, amount: m.owes })),
    );
  });

  it('lets a member with share 0 pay into the pot and owe nothing', async () => {
    const budgetId = (await createBudget(t.app, owner)).id;
    await addMember(t.app, owner, budgetId, sam, 'editor');
    await addMember(t.app, owner, budgetId, kim, 'editor');
    await shareOf(budgetId, owner, 0); // the owner's own share can change
    await shareOf(budgetId, kim, 2);
    await addExpense(t.app, owner, budgetId, { amount: 900, occurredOn: '2026-11-04' });

    const b = await balances(budgetId);
    expect(b.members).toEqual(
      byId([
        { userId: owner.id, name: 'owner', share: 0, paid: 900, sent: 0, received: 0, owes: 0, net: 900 },
        { userId: sam.id, name: 'sam', share: 1, paid: 0, sent: 0, received: 0, owes: 300, net: -300 },
        { userId: kim.id, name: 'kim', share: 2, paid: 0, sent: 0, received: 0, owes: 600, net: -600 },
      ]),
    );
    expect(b.settlements).toEqual([
      { from: kim.id, to: owner.id, amount: 600 },
      { from: sam.id, to: owner.id, amount: 300 },
    ]);
  });

  it('lists someone who paid in the range but left with share 0 and no name', async () => {
    const former = await signup(t.app, 'former');
    const budgetId = (await createBudget(t.app, owner)).id;
    await addMember(t.app, owner, budgetId, former, 'editor');
    await addExpense(t.app, former, budgetId, { amount: 3_000, occurredOn: '2026-11-05' });
    await addExpense(t.app, owner, budgetId, { amount: 1_000, occurredOn: '2026-11-06' });
    const left = await as(t.app, former)('DELETE', `/v1/budgets/${budgetId}/members/${former.id}`);
    expect(left.status, left.text).toBe(204);

    const b = await balances(budgetId);
    expect(b.total).toBe(4_000);
    expect(b.members).toEqual(
      byId([
        { userId: owner.id, name: 'owner', share: 1, paid: 1_000, sent: 0, received: 0, owes: 4_000, net: -3_000 },
        { userId: former.id, share: 0, paid: 3_000, sent: 0, received: 0, owes: 0, net: 3_000 },
      ]),
    );
    expect(b.settlements).toEqual([{ from: owner.id, to: former.id, amount: 3_000 }]);
    // They no longer see the budget.
    expectProblem(await balancesRes(budgetId, '', former), 404);
  });
});

describe('a range with more expenses than one request examines', () => {
  it('the port stops after maxExpenses + 1, and the balances answer 400 naming query.from', async () => {
    const budgetId = (await createBudget(t.app, owner)).id;
    for (const day of ['2026-11-01', '2026-11-02', '2026-11-03']) await addExpense(t.app, owner, budgetId, { amount: 10, occurredOn: day });

    const spending = t.system.facades.spending;
    expect(await spending.paidByMember(budgetId, '2026-11-01', '2026-11-30', 3)).toEqual({ paid: { [owner.id]: 30 }, sharedBy: [], owedExactly: {}, examined: 3, tooMany: false });
    expect(await spending.paidByMember(budgetId, '2026-11-01', '2026-11-30', 2)).toMatchObject({ examined: 3, tooMany: true });
    expect(await spending.paidByMember(budgetId, '2026-11-02', '2026-11-30', 2)).toEqual({ paid: { [owner.id]: 20 }, sharedBy: [], owedExactly: {}, examined: 2, tooMany: false });

    // The service as the module builds it, with a lower bound.
    const store = t.system.deps.storeFor('budgets');
    const keys = budgetsKeys(store);
    const service = new BalancesService(new AccessService(new BudgetsRepository(store, keys)), new MembersRepository(store, keys), spending, new SettlementsRepository(store, keys), clock, 2);
    await expect(service.balances(budgetId, owner.id, {})).rejects.toMatchObject({ status: 400, extras: { errors: [{ path: 'query.from' }] } });
    expect((await service.balances(budgetId, owner.id, { from: '2026-11-03', to: '2026-11-03' })).total).toBe(10);
  });
});

describe('PATCH a member share', () => {
  let budgetId: string;

  beforeAll(async () => {
    budgetId = (await createBudget(t.app, owner)).id;
    await addMember(t.app, owner, budgetId, sam, 'editor');
    await addMember(t.app, owner, budgetId, kim, 'viewer');
  });

  it('lets the owner set a share, alone or with a role', async () => {
    const res = await as(t.app, owner)('PATCH', `/v1/budgets/${budgetId}/members/${kim.id}`, { body: { role: 'editor', share: 3 } });
    expect(res.status, res.text).toBe(200);
    expect(res.json).toMatchObject({ userId: kim.id, role: 'editor', share: 3 });
    const again = await setShare(budgetId, kim, 3);
    expect(again.json).toMatchObject({ role: 'editor', share: 3 });
    expect((await balances(budgetId)).members.find((m: Row) => m.userId === kim.id).share).toBe(3);
  });

  it('still refuses to change the owner role, with or without a share', async () => {
    expectProblem(await as(t.app, owner)('PATCH', `/v1/budgets/${budgetId}/members/${owner.id}`, { body: { role: 'editor', share: 2 } }), 409);
  });

  it('is 403 for anyone but the owner', async () => {
    expectProblem(await setShare(budgetId, kim, 5, sam), 403);
    expectProblem(await setShare(budgetId, sam, 5, sam), 403);
  });

  it('refuses bad values with a 400 naming share', async () => {
    for (const bad of [-1, 101, 1.5, '2', null]) expectProblem(await setShare(budgetId, sam, bad), 400, ['share']);
    expectProblem(await as(t.app, owner)('PATCH', `/v1/budgets/${budgetId}/members/${sam.id}`, { body: {} }), 400);
    const members = await as(t.app, owner)('GET', `/v1/budgets/${budgetId}/members`);
    expect(members.json.items.find((m: { userId: string }) => m.userId === sam.id).share).toBe(1);
  });
});

describe('expenses shared by only some members (sharedWith)', () => {
  let budgetId: string;
  /** Commands sent to DynamoDB while `logging` (the test system's client). */
  const sent: string[] = [];
  let logging = false;

  const post = (who: Account, body: Record<string, unknown>) => as(t.app, who)('POST', `/v1/budgets/${budgetId}/expenses`, { body });
  async function paid(who: Account, body: Record<string, unknown>) {
    const res = await post(who, body);
    expect(res.status, res.text).toBe(201);
    return res.json;
  }
  const sorted = (...who: Account[]) => who.map((a) => a.id).sort();

  beforeAll(async () => {
    t.doc.middlewareStack.add(
      (next, context) => async (args) => {
        if (logging) sent.push(String(context.commandName));
        return next(args);
      },
      { step: 'initialize', name: 'sharedWithRequestLog' },
    );
    budgetId = (await createBudget(t.app, owner)).id;
    await addMember(t.app, owner, budgetId, sam, 'editor');
    await addMember(t.app, owner, budgetId, kim, 'editor');
    await shareOf(budgetId, kim, 2);
  });
  afterAll(() => {
    t.doc.middlewareStack.remove('sharedWithRequestLog');
  });

  it('is stored in user id order, returned by GET, the list and the changes, kept by other writes, cleared by null', async () => {
    const created = await paid(owner, { amount: 9_000, occurredOn: '2026-11-02', sharedWith: [sam.id, owner.id].sort().reverse() });
    expect(created.sharedWith).toEqual(sorted(owner, sam));
    const path = `/v1/budgets/${budgetId}/expenses/${created.id}`;
    expect((await as(t.app, owner)('GET', path)).json.sharedWith).toEqual(sorted(owner, sam));
    const list = await as(t.app, owner)('GET', `/v1/budgets/${budgetId}/expenses`);
    expect(list.json.items.find((e: { id: string }) => e.id === created.id).sharedWith).toEqual(sorted(owner, sam));
    const changes = await as(t.app, owner)('GET', `/v1/budgets/${budgetId}/changes`);
    expect(changes.status, changes.text).toBe(200);
    expect(changes.json.expenses.find((e: { id: string }) => e.id === created.id).sharedWith).toEqual(sorted(owner, sam));

    // Another field's PATCH, a bulk edit and a delete + restore keep it.
    const patched = await as(t.app, owner)('PATCH', path, { body: { merchant: 'Bakery' } });
    expect(patched.status, patched.text).toBe(200);
    expect(patched.json.sharedWith).toEqual(sorted(owner, sam));
    const bulk = await as(t.app, owner)('POST', `/v1/budgets/${budgetId}/expenses/bulk`, { body: { expenseIds: [created.id], action: { type: 'addTags', tags: ['trip'] } } });
    expect(bulk.status, bulk.text).toBe(200);
    expect(bulk.json.results[0].expense).toMatchObject({ tags: ['trip'], sharedWith: sorted(owner, sam) });
    expect((await as(t.app, owner)('DELETE', path)).status).toBe(204);
    const restored = await as(t.app, owner)('POST', `${path}/restore`);
    expect(restored.status, restored.text).toBe(200);
    expect(restored.json.sharedWith).toEqual(sorted(owner, sam));

    // Offline push: a create carrying it, then an update clearing it.
    const pushed = await as(t.app, sam)('POST', `/v1/budgets/${budgetId}/changes`, {
      body: { mutations: [{ op: 'create', expense: { amount: 100, occurredOn: '2026-10-01', sharedWith: [kim.id] } }] },
    });
    expect(pushed.status, pushed.text).toBe(200);
    expect(pushed.json.results[0]).toMatchObject({ status: 'applied', expense: { sharedWith: [kim.id] } });
    const { id, version } = pushed.json.results[0].expense;
    const cleared = await as(t.app, sam)('POST', `/v1/budgets/${budgetId}/changes`, {
      body: { mutations: [{ op: 'update', id, baseVersion: version, patch: { sharedWith: null } }] },
    });
    expect(cleared.json.results[0].status, cleared.text).toBe('applied');
    expect(cleared.json.results[0].expense).not.toHaveProperty('sharedWith');
  });

  it('splits each set among its members by their shares, a personal expense nobody else owes for, a set of no member among everyone', async () => {
    // Shares: owner 1, sam 1, kim 2. The first test's expense: owner 9,000 over [owner, sam] (4,500 each).
    await paid(kim, { amount: 3_000, occurredOn: '2026-11-03', sharedWith: [kim.id] }); // kim's own
    await paid(sam, { amount: 4_000, occurredOn: '2026-11-04' }); // everyone
    const patched = await paid(owner, { amount: 2_000, occurredOn: '2026-11-05', sharedWith: [sam.id, kim.id] });
    const cleared = await as(t.app, owner)('PATCH', `/v1/budgets/${budgetId}/expenses/${patched.id}`, { body: { sharedWith: null } });
    expect(cleared.status, cleared.text).toBe(200);
    expect(cleared.json).not.toHaveProperty('sharedWith'); // everyone again
    // The events carry it (as the webhooks and the activity log then do), and the change of it.
    expect((await theEvent(t, 'expense.recorded', { expenseId: patched.id })).envelope.data.sharedWith).toEqual(sorted(sam, kim));
    const updated = (await theEvent(t, 'expense.updated', { expenseId: patched.id, version: 2 })).envelope.data;
    expect('sharedWith' in updated).toBe(false);
    expect(updated.changes).toEqual({ sharedWith: { before: sorted(sam, kim), after: null } });
    // vic shares two expenses, then leaves: their id stays on them (history), and the balances
    // count it with share 0 (a stranger's id is refused when written: packages/expenses/docs/expense-fields.md "Shared with (settle-up)").
    await addMember(t.app, owner, budgetId, vic, 'editor');
    await paid(sam, { amount: 1_200, occurredOn: '2026-11-06', sharedWith: [vic.id] }); // no member left: everyone
    await paid(kim, { amount: 500, occurredOn: '2026-11-07', sharedWith: [sam.id, vic.id] }); // sam alone is a member: sam
    const left = await as(t.app, vic)('DELETE', `/v1/budgets/${budgetId}/members/${vic.id}`);
    expect(left.status, left.text).toBe(204);

    logging = true;
    sent.length = 0;
    const b = await balances(budgetId);
    logging = false;
    // Everyone: 4,000 + 2,000 + 1,200 = 7,200 by 1 / 1 / 2: owner 1,800, sam 1,800, kim 3,600.
    // Sets: [owner, sam] 9,000: 4,500 each; [kim] 3,000: kim; [sam, vic] 500: sam.
    // owes: owner 1,800 + 4,500 = 6,300; sam 1,800 + 4,500 + 500 = 6,800; kim 3,600 + 3,000 = 6,600 (19,700 in all).
    // paid: owner 9,000 + 2,000 = 11,000; sam 4,000 + 1,200 = 5,200; kim 3,000 + 500 = 3,500.
    expect(b.total).toBe(19_700);
    expect(b.members).toEqual(
      byId([
        { userId: owner.id, name: 'owner', share: 1, paid: 11_000, sent: 0, received: 0, owes: 6_300, net: 4_700 },
        { userId: sam.id, name: 'sam', share: 1, paid: 5_200, sent: 0, received: 0, owes: 6_800, net: -1_600 },
        { userId: kim.id, name: 'kim', share: 2, paid: 3_500, sent: 0, received: 0, owes: 6_600, net: -3_100 },
      ]),
    );
    expect(b.settlements).toEqual([
      { from: kim.id, to: owner.id, amount: 3_100 },
      { from: sam.id, to: owner.id, amount: 1_600 },
    ]);
    // Still the access BatchGetItem, the members' Query, the payments' Query and one Query of the expenses.
    expect([...sent].sort()).toEqual(['BatchGetItemCommand', 'QueryCommand', 'QueryCommand', 'QueryCommand']);
  });

  it('adds no request to a create', async () => {
    const requestsOf = (body: Record<string, unknown>) => async () => {
      const { sent } = await commandsSentDuring(t.doc, () => paid(sam, body));
      return { commands: sent.map((c) => c.name), counterRead: readsChangeCounter(sent) };
    };
    const [plain, shared] = await inOneCounterState(
      requestsOf({ amount: 10, occurredOn: '2026-10-02' }),
      requestsOf({ amount: 10, occurredOn: '2026-10-02', sharedWith: [sam.id, kim.id] }),
    );
    expect(shared).toEqual(plain);
  });

  it('refuses a bad sharedWith with a 400 naming it', async () => {
    const tooMany = Array.from({ length: 51 }, (_, i) => `01JDQ4T2W1R0P9N8M7K6J5H4${String(i).padStart(2, '0')}`);
    for (const [sharedWith, path] of [
      [[], 'sharedWith'],
      [[sam.id, sam.id], 'sharedWith'],
      [tooMany, 'sharedWith'],
      [sam.id, 'sharedWith'],
      [[7], 'sharedWith.0'],
      [[sam.id, 'not-a-user'], 'sharedWith.1'],
    ] as const) {
      expectProblem(await post(owner, { amount: 100, occurredOn: '2026-11-08', sharedWith }), 400, [path]);
    }
    const e = await paid(owner, { amount: 100, occurredOn: '2026-10-03' });
    expectProblem(await as(t.app, owner)('PATCH', `/v1/budgets/${budgetId}/expenses/${e.id}`, { body: { sharedWith: [] } }), 400, ['sharedWith']);
    expectProblem(await as(t.app, owner)('PATCH', `/v1/budgets/${budgetId}/expenses/${e.id}`, { body: { sharedWith: [kim.id, kim.id] } }), 400, ['sharedWith']);
  });
});
