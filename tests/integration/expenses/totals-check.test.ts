import { createLogger, OperatorInputError } from '@budgeting/platform';
import { PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withCommandMiddleware } from '../../support/command-middleware';
import { deliver, theEvent } from '../../support/events';
import { holdingFirstWrite } from '../../support/holding-commands';
import { DayTotalsFold } from '../../../packages/expenses/src/repository/day-totals-fold';
import { monthSpent } from './budget-views';
import { createHarness, type Budget, type Harness, type User } from './harness';

/**
 * The operator operation `expenses-totals-check` (packages/expenses/docs/storage-and-totals.md,
 * "Checking and repairing the totals"): it recounts a budget's running totals from its expenses
 * and, with `--repair yes`, sets every figure that differs. The expected figures here are sums
 * of the amounts this file posted, never anything the code under test computes; the corruption
 * is an ADD through the test's own client, as a bad restore or a manual edit would leave it.
 */
let h: Harness;
let owner: User;
let budget: Budget;
let groceries: string;
let transport: string;
let firstGroceries: string;
const quiet = { logger: createLogger('SILENT') };

const check = (args: Record<string, string>) =>
  h.t.system.operations.find((o) => o.name === 'expenses-totals-check')!.run({ budget: budget.id, operator: 'support-test', ...args }, quiet);
/** A repair, with the ticket every repair must name. */
const repair = (args: Record<string, string> = {}) => check({ repair: 'yes', reason: 'TICKET-42 totals drift', ...args });

/** The budget's repair audit records, newest first, by the test's own Query. */
async function auditRecords(budgetId = budget.id): Promise<Record<string, any>[]> {
  const out = await h.t.doc.send(
    new QueryCommand({ TableName: h.t.tableName, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': `expenses#totals-repair#${budgetId}` }, ConsistentRead: true, ScanIndexForward: false }),
  );
  return out.Items ?? [];
}

const post = async (body: Record<string, unknown>) => {
  const res = await h.call('POST', `/v1/budgets/${budget.id}/expenses`, { token: owner.token, body });
  expect(res.status, res.text).toBe(201);
  return res.json;
};

/** One of the month's stored month items (a totals shard with spending), by the test's own Query. */
async function aMonthItem(month: string): Promise<Record<string, any>> {
  const out = await h.t.doc.send(
    new QueryCommand({
      TableName: h.t.tableName,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :month)',
      ExpressionAttributeValues: { ':pk': `expenses#totals#${budget.id}`, ':month': `expenses#month#${month}#` },
      ConsistentRead: true,
    }),
  );
  return (out.Items ?? []).find((i) => /#\d$/.test(String(i.sk)))!;
}

/** What a bad restore or a manual edit could leave: `adds` ADDed to one stored month item (of October unless told); that item as it was before. */
async function corrupt(adds: Record<string, number>, month = '2026-10'): Promise<Record<string, any>> {
  const names = Object.keys(adds);
  const item = await aMonthItem(month);
  await h.t.doc.send(
    new UpdateCommand({
      TableName: h.t.tableName,
      Key: { pk: item.pk, sk: item.sk },
      UpdateExpression: `ADD ${names.map((_, i) => `#a${i} :a${i}`).join(', ')}`,
      ExpressionAttributeNames: Object.fromEntries(names.map((n, i) => [`#a${i}`, n])),
      ExpressionAttributeValues: Object.fromEntries(names.map((n, i) => [`:a${i}`, adds[n]])),
    }),
  );
  return item;
}

const october = async () => ({ spent: await h.spent(budget, owner.token, '2026-10-15'), ...(await monthSpent(h, owner.token, budget, '2026-10-15')) });

beforeAll(async () => {
  h = await createHarness();
  const team = await h.team({ categories: ['Groceries', 'Transport'] });
  owner = team.owner;
  budget = team.budget;
  groceries = budget.categories[0]!.id;
  transport = budget.categories[1]!.id;
  // October: 400 groceries and 250 transport on the 3rd, a split of 900 (600 groceries, 300
  // uncategorized) on the 7th, a refund of 150 groceries on the 9th. November: 1000
  // uncategorized on the 2nd, 200 transport on the 15th.
  firstGroceries = (await post({ amount: 400, categoryId: groceries, occurredOn: '2026-10-03' })).id;
  await post({ amount: 250, categoryId: transport, occurredOn: '2026-10-03' });
  await post({ amount: 900, occurredOn: '2026-10-07', splits: [{ categoryId: groceries, amount: 600 }, { categoryId: null, amount: 300 }] });
  await post({ amount: 150, categoryId: groceries, occurredOn: '2026-10-09', refund: true });
  await post({ amount: 1000, occurredOn: '2026-11-02' });
  await post({ amount: 200, categoryId: transport, occurredOn: '2026-11-15' });
});
afterAll(() => h?.destroy());

// October's figures from the amounts above: 400 + 250 + 900 - 150; 400 + 600 - 150; 250; 300.
const OCTOBER = { total: 1400, groceries: 850, transport: 250, uncategorized: 300 };

describe('expenses-totals-check', () => {
  it('refuses a missing budget, a bad month and a repair other than "yes", changing nothing', async () => {
    await expect(h.t.system.operations.find((o) => o.name === 'expenses-totals-check')!.run({ operator: 'x' }, quiet)).rejects.toThrow(OperatorInputError);
    await expect(check({ month: '2026-13' })).rejects.toThrow(/--month/);
    await expect(check({ repair: 'true' })).rejects.toThrow(/--repair/);
  });

  it('refuses a repair without a reason (the ticket), reading and changing nothing', async () => {
    const item = await corrupt({ total: 9 });
    for (const reason of [undefined, '   ']) {
      const refused = check({ repair: 'yes', ...(reason === undefined ? {} : { reason }) });
      await expect(refused).rejects.toThrow(OperatorInputError);
      await expect(refused).rejects.toThrow(/--reason is required/);
    }
    await expect(repair({ reason: 'x'.repeat(501) })).rejects.toThrow(/--reason is at most 500/);
    expect((await aMonthItem('2026-10')).total).toBe(item.total + 9);
    expect(await auditRecords()).toEqual([]);
    // (Put back by the test's own client: the next test starts from exact totals.)
    await corrupt({ total: -9 });
  });

  it('finds the totals exact; after a corruption names exactly the corrupted figures; the repair sets them and the summary shows them right', async () => {
    const clean = await check({});
    expect(clean.ok).toBe(true);
    expect(clean.summary).toMatchObject({ operation: 'expenses-totals-check', budgetId: budget.id, monthsChecked: 2, expensesRead: 6, differences: [], ok: true });

    const before = await corrupt({ total: 777, [`c_${groceries}`]: 55 });
    expect((await october()).spent).toBe(OCTOBER.total + 777);

    const found = await check({});
    expect(found.ok).toBe(false);
    expect(found.summary.differences).toEqual([
      { month: '2026-10', figure: 'total', stored: OCTOBER.total + 777, expected: OCTOBER.total },
      { month: '2026-10', figure: `category ${groceries}`, stored: OCTOBER.groceries + 55, expected: OCTOBER.groceries },
    ]);
    // November asked for: October, and its two figures, are not compared.
    const oneMonth = await check({ month: '2026-11' });
    expect(oneMonth.summary).toMatchObject({ monthsChecked: 1, expensesRead: 6, differences: [], ok: true });

    const repaired = await repair();
    expect(repaired.ok).toBe(true);
    expect(repaired.summary).toMatchObject({ repaired: ['2026-10'], busy: [] });
    expect(repaired.summary.differences).toEqual(found.summary.differences);
    expect(await october()).toEqual({ spent: OCTOBER.total, byCategory: { [groceries]: OCTOBER.groceries, [transport]: OCTOBER.transport }, uncategorized: OCTOBER.uncategorized });

    // One repair transaction: one audit record, committed with it, of the corrupted shard's figures as they were and as set.
    const groceriesBefore = Number(before[`c_${groceries}`] ?? 0);
    const figures = [
      { figure: 'total', from: before.total + 777, to: before.total },
      { figure: `category ${groceries}`, from: groceriesBefore + 55, to: groceriesBefore },
    ];
    const shard = Number(String(before.sk).split('#')[3]);
    const records = await auditRecords();
    expect(records).toHaveLength(1);
    expect(records[0]).toMatchObject({ kind: 'totals-repair', operator: 'support-test', reason: 'TICKET-42 totals drift', month: '2026-10', shard, figures });
    // Kept two years (DynamoDB's TTL), like the users module's audit records.
    expect(records[0]!.expiresAt - Date.parse(records[0]!.at) / 1000).toBeCloseTo(2 * 365 * 24 * 3600, -1);

    // The next check lists it, so an operator sees what was repaired before repairing again.
    expect((await check({})).summary).toMatchObject({
      differences: [],
      ok: true,
      repairs: [{ at: records[0]!.at, operator: 'support-test', reason: 'TICKET-42 totals drift', month: '2026-10', shard, figures }],
      moreRepairs: false,
    });
  });

  it("recounts each month's income (entries by receivedOn; a deleted one out, a restored one back in), names a corrupted `income` and repairs it with an audit record; a month with only income is checked", async () => {
    const income = async (body: Record<string, unknown>) => {
      const res = await h.call('POST', `/v1/budgets/${budget.id}/income`, { token: owner.token, body });
      expect(res.status, res.text).toBe(201);
      return res.json;
    };
    const incomeOf = async (month: string) => {
      const res = await h.call('GET', `/v1/budgets/${budget.id}/cash-flow?from=${month}&to=${month}`, { token: owner.token });
      expect(res.status, res.text).toBe(200);
      return res.json.months[0].income as number;
    };
    // October: 2000 and 500 (restored after its delete), 300 deleted; December (no expenses): 700.
    await income({ amount: 2000, receivedOn: '2026-10-01' });
    const deleted = await income({ amount: 300, receivedOn: '2026-10-05' });
    const restored = await income({ amount: 500, receivedOn: '2026-10-28' });
    await income({ amount: 700, receivedOn: '2026-12-01' });
    for (const id of [deleted.id, restored.id]) expect((await h.call('DELETE', `/v1/budgets/${budget.id}/income/${id}`, { token: owner.token })).status).toBe(204);
    expect((await h.call('POST', `/v1/budgets/${budget.id}/income/${restored.id}/restore`, { token: owner.token })).status).toBe(200);
    const OCTOBER_INCOME = 2000 + 500;

    expect((await check({})).summary).toMatchObject({ monthsChecked: 3, expensesRead: 6, differences: [], ok: true });

    // The income item (its own, after the month's shards) ADDed to by the test's own client.
    await h.t.doc.send(
      new UpdateCommand({
        TableName: h.t.tableName,
        Key: { pk: `expenses#totals#${budget.id}`, sk: 'expenses#month#2026-10#income' },
        UpdateExpression: 'ADD income :d',
        ExpressionAttributeValues: { ':d': 4321 },
      }),
    );
    expect(await incomeOf('2026-10')).toBe(OCTOBER_INCOME + 4321);
    const found = await check({});
    expect(found.summary.differences).toEqual([{ month: '2026-10', figure: 'income', stored: OCTOBER_INCOME + 4321, expected: OCTOBER_INCOME }]);

    const recordsBefore = (await auditRecords()).length;
    const repaired = await repair();
    expect(repaired.summary).toMatchObject({ ok: true, repaired: ['2026-10'], busy: [], differences: found.summary.differences });
    expect(await incomeOf('2026-10')).toBe(OCTOBER_INCOME);
    expect(await incomeOf('2026-12')).toBe(700);
    const records = await auditRecords();
    expect(records.length - recordsBefore).toBe(1);
    expect(records[0]).toMatchObject({ kind: 'totals-repair', month: '2026-10', figures: [{ figure: 'income', from: OCTOBER_INCOME + 4321, to: OCTOBER_INCOME }] });
    expect((await check({})).summary).toMatchObject({ differences: [], ok: true });
  });

  it('a repair raced by an expense write keeps the write: its transaction fails on what the write moved, the month is checked again and ends exact', async () => {
    await corrupt({ total: 500 });
    // The repair's first write is held until a new October expense of 300 (transport) is recorded.
    const raced = await holdingFirstWrite(
      h.t,
      `expenses#totals#${budget.id}`,
      () => post({ amount: 300, categoryId: transport, occurredOn: '2026-10-20' }),
      () => repair({ month: '2026-10' }),
    );
    expect(raced.ok).toBe(true);
    expect(raced.summary).toMatchObject({ repaired: ['2026-10'], busy: [], rounds: 2 });
    expect(await october()).toEqual({
      spent: OCTOBER.total + 300,
      byCategory: { [groceries]: OCTOBER.groceries, [transport]: OCTOBER.transport + 300 },
      uncategorized: OCTOBER.uncategorized,
    });
    expect((await check({})).summary).toMatchObject({ expensesRead: 7, differences: [], ok: true });
  });

  it('an expense changed after the totals were read and changed back before the repair writes (every figure back as read) fails the repair too: the change counters moved', async () => {
    await corrupt({ total: 500 });
    // The repair's read of the expenses waits for the first groceries expense's PATCH to 800
    // (so it recounts 800); its first write waits for the PATCH back to 400. Every figure is
    // then as the repair read it, but the expenses it recounted are not the expenses of now.
    const patch = (amount: number, version: number) =>
      h.call('PATCH', `/v1/budgets/${budget.id}/expenses/${firstGroceries}`, { token: owner.token, headers: { 'if-match': `"${version}"` }, body: { amount } });
    let step = 0;
    const raced = await withCommandMiddleware(
      h.t.doc,
      'holdTheRepairsReadAndWrite',
      (next, context) => async (args) => {
        const names = (marker: string) => JSON.stringify(args.input).includes(marker);
        if (step === 0 && context.commandName === 'QueryCommand' && names('expenses#expense#')) {
          step = 0.5; // (the PATCH's own write is not the repair's)
          expect((await patch(800, 1)).status).toBe(200);
          step = 1;
        } else if (step === 1 && context.commandName === 'TransactWriteItemsCommand' && names(`expenses#totals#${budget.id}`)) {
          step = 2;
          expect((await patch(400, 2)).status).toBe(200);
        }
        return next(args);
      },
      () => repair({ month: '2026-10' }),
    );
    expect(step).toBe(2);
    expect(raced.summary).toMatchObject({ ok: true, repaired: ['2026-10'], rounds: 2 });
    expect(await october()).toEqual({
      spent: OCTOBER.total + 300,
      byCategory: { [groceries]: OCTOBER.groceries, [transport]: OCTOBER.transport + 300 },
      uncategorized: OCTOBER.uncategorized,
    });
  });

  it('a check (no repair) raced by an expense write between its reads of the totals and the expenses reports no drift that is not there: it reads again', async () => {
    // October is exact here. The check's read of the expenses waits for a new October expense
    // of 50 (groceries): the totals it read lack it, the expenses it recounts hold it.
    let posted = false;
    const raced = await withCommandMiddleware(
      h.t.doc,
      'postBeforeTheChecksExpenseRead',
      (next, context) => async (args) => {
        if (!posted && context.commandName === 'QueryCommand' && JSON.stringify(args.input).includes('expenses#expense#')) {
          posted = true;
          await post({ amount: 50, categoryId: groceries, occurredOn: '2026-10-21' });
        }
        return next(args);
      },
      () => check({ month: '2026-10' }),
    );
    expect(posted).toBe(true);
    expect(raced.ok).toBe(true);
    expect(raced.summary).toMatchObject({ differences: [], ok: true, busy: [], rounds: 2 });
    expect(await october()).toEqual({
      spent: OCTOBER.total + 300 + 50,
      byCategory: { [groceries]: OCTOBER.groceries + 50, [transport]: OCTOBER.transport + 300 },
      uncategorized: OCTOBER.uncategorized,
    });
  });

  it('a shard with more differing figures than one transaction sets (60: two ghost categories on 30 days) is repaired whole', async () => {
    const ghosts: Record<string, number> = {};
    for (let day = 1; day <= 30; day++) for (const k of [1, 2]) ghosts[`d${String(day).padStart(2, '0')}_c_ghost${k}`] = day;
    await corrupt(ghosts);
    const found = await check({ month: '2026-10' });
    expect(found.summary.differences).toHaveLength(60);
    expect(found.summary.differences).toContainEqual({ month: '2026-10', figure: 'day 30 category ghost2', stored: 30, expected: 0 });

    const recordsBefore = (await auditRecords()).length;
    const repaired = await repair({ month: '2026-10' });
    expect(repaired.summary).toMatchObject({ ok: true, repaired: ['2026-10'], busy: [], rounds: 1 });
    expect((await check({ month: '2026-10' })).summary).toMatchObject({ differences: [], ok: true });
    // Two transactions (50 figures, then 10): a record each, holding the figures it set.
    const [second, first] = await auditRecords();
    expect((await auditRecords()).length - recordsBefore).toBe(2);
    expect([first!.figures.length, second!.figures.length]).toEqual([50, 10]);
    expect(second!.figures).toContainEqual({ figure: 'day 30 category ghost2', from: 30, to: 0 });
  });

  it('a check whose reads of the month items and of the old day items straddle the fold (which moves no change counter) reads again, and reports no drift', async () => {
    // October 3rd's figures (400 groceries, 250 transport: shards as the writes chose) moved out
    // of their month items into old day items, as a table written before 2026-11-30 holds them.
    const items = await h.t.doc.send(
      new QueryCommand({
        TableName: h.t.tableName,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :month)',
        ExpressionAttributeValues: { ':pk': `expenses#totals#${budget.id}`, ':month': 'expenses#month#2026-10#' },
        ConsistentRead: true,
      }),
    );
    for (const item of items.Items ?? []) {
      const day = Object.entries(item).filter(([name, value]) => name.startsWith('d03_') && typeof value === 'number');
      if (day.length === 0) continue;
      const shard = String(item.sk).split('#')[3];
      await h.t.doc.send(
        new UpdateCommand({
          TableName: h.t.tableName,
          Key: { pk: item.pk, sk: item.sk },
          UpdateExpression: `REMOVE ${day.map((_, i) => `#d${i}`).join(', ')}`,
          ExpressionAttributeNames: Object.fromEntries(day.map(([name], i) => [`#d${i}`, name])),
        }),
      );
      await h.t.doc.send(new PutCommand({ TableName: h.t.tableName, Item: { pk: item.pk, sk: `expenses#day#2026-10-03#${shard}`, ...Object.fromEntries(day.map(([name, value]) => [name.slice(4), value])) } }));
    }
    // The fold runs just before the check's second Query of the totals partition.
    let totalsQueries = 0;
    const straddled = await withCommandMiddleware(
      h.t.doc,
      'foldBetweenTheChecksTotalsReads',
      (next, context) => async (args) => {
        if (context.commandName === 'QueryCommand' && JSON.stringify(args.input).includes(`expenses#totals#${budget.id}`) && ++totalsQueries === 2) {
          expect((await new DayTotalsFold(h.t.system.deps.storeFor('expenses')).foldSome(budget.id, Date.now() + 60_000)).finished).toBe(true);
        }
        return next(args);
      },
      () => check({ month: '2026-10' }),
    );
    expect(totalsQueries).toBeGreaterThanOrEqual(2);
    expect(straddled.summary).toMatchObject({ differences: [], ok: true, unfolded: [], busy: [], rounds: 2 });
  });

  it('counts a day still held by a day item of the layout before 2026-11-30 as that day, and leaves its month to the fold', async () => {
    // November 15th's figures moved out of their month item into an old day item, as a table
    // written before the fold holds them (the month-level figures stay on the month item).
    const items = await h.t.doc.send(
      new QueryCommand({
        TableName: h.t.tableName,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :month)',
        ExpressionAttributeValues: { ':pk': `expenses#totals#${budget.id}`, ':month': 'expenses#month#2026-11#' },
        ConsistentRead: true,
      }),
    );
    const holder = (items.Items ?? []).find((i) => i.d15_total === 200)!;
    const shard = String(holder.sk).split('#')[3];
    await h.t.doc.send(
      new UpdateCommand({ TableName: h.t.tableName, Key: { pk: holder.pk, sk: holder.sk }, UpdateExpression: 'REMOVE d15_total, #cat', ExpressionAttributeNames: { '#cat': `d15_c_${transport}` } }),
    );
    await h.t.doc.send(new PutCommand({ TableName: h.t.tableName, Item: { pk: holder.pk, sk: `expenses#day#2026-11-15#${shard}`, total: 200, [`c_${transport}`]: 200 } }));

    expect((await check({ month: '2026-11' })).summary).toMatchObject({ differences: [], ok: true, unfolded: ['2026-11'] });
    // A drift in such a month is reported but not repaired: the fold's ADDs and the repair's SETs stay apart.
    await corrupt({ total: 1 }, '2026-11');
    const refused = await repair();
    expect(refused.ok).toBe(false);
    expect(refused.summary).toMatchObject({ differences: [{ month: '2026-11', figure: 'total', stored: 1201, expected: 1200 }], repaired: [], busy: [], unfolded: ['2026-11'] });
  });

  it('the budget deletion cascade removes its repair audit records', async () => {
    expect((await auditRecords()).length).toBeGreaterThan(0);
    expect((await h.call('DELETE', `/v1/budgets/${budget.id}`, { token: owner.token })).status).toBe(204);
    await deliver(h.t, await theEvent(h.t, 'budget.deleted', { budgetId: budget.id }));
    expect(await auditRecords()).toEqual([]);
  });
});
