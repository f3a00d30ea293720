import { BatchWriteCommand, GetCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { as, createBudget, signUp } from '../../support/actors';
import { createFanOutSystem, type FanOutSystem } from '../jobs/support';

/**
 * The data export of an account in thousands of budgets (budgets joined have no cap of their
 * own, docs/capacity.md "What one account can grow"; the export plans one part per budget).
 * What a part leaves behind must not gather in ONE item: the export's record is read by every
 * unit, by GET /v1/me/export(s), and DynamoDB refuses an item past 400 KB.
 *
 * Set up with direct table writes: the record is given the finished parts of about 20,000
 * budgets (each part a budget gone before its unit read it: 0 pages), as many as the item can
 * hold but 12, and the account 24 more memberships of budgets gone (their units
 * find nothing, as those). What the export's own units then add decides.
 */
const MORE_BUDGETS = 24;
/** Room left in the record, in parts of the made-up kind: fewer than MORE_BUDGETS. */
const ROOM = 12;

describe('a data export of an account in thousands of budgets', { timeout: 420_000 }, () => {
  let s: FanOutSystem;
  let held: Promise<void> | undefined;
  beforeAll(async () => {
    s = await createFanOutSystem({
      concurrency: 6,
      beforeDelivery: async (job) => {
        if (job === 'users-data-export' && held) await held;
      },
    });
  });
  afterAll(async () => {
    await s?.t.destroy();
  });

  /** A map of `n` finished parts of made-up budgets (indexes far past any real one), 0 pages each. */
  const finishedParts = (n: number) => Object.fromEntries(Array.from({ length: n }, (_, i) => [`budget-${String(900_000_000 + i).padStart(9, '0')}`, 0]));

  it('succeeds: the record stays within its item however many budgets finished, and every budget is in the document', async () => {
    const ann = await signUp(s.t.app, 'export-many-budgets');
    const budget = await createBudget(s.t.app, ann);
    const doc = s.t.doc;
    const TableName = s.t.tableName;

    // MORE_BUDGETS memberships of budgets that are gone: clones of the real one under other budget ids.
    const { Items: own = [] } = await doc.send(
      new QueryCommand({ TableName, KeyConditionExpression: 'pk = :pk AND sk = :sk', ExpressionAttributeValues: { ':pk': `budgets#budget#${budget.id}`, ':sk': `budgets#member#${ann.id}` } }),
    );
    expect(own).toHaveLength(1);
    const clones = Array.from({ length: MORE_BUDGETS }, (_, i) => {
      const budgetId = `01ZZGONE${String(i).padStart(18, '0')}`;
      return { ...own[0], pk: `budgets#budget#${budgetId}`, gsi1sk: `budgets#budget#${budgetId}`, budgetId };
    });
    for (let i = 0; i < clones.length; i += 25) {
      await doc.send(new BatchWriteCommand({ RequestItems: { [TableName]: clones.slice(i, i + 25).map((Item) => ({ PutRequest: { Item } })) } }));
    }

    // The export held back while its record is given the parts of ~20,000 finished budgets.
    let release!: () => void;
    held = new Promise((resolve) => (release = resolve));
    const api = as(s.t.app, ann);
    const start = await api('POST', '/v1/me/export');
    expect(start.status, start.text).toBe(202);
    const Key = { pk: `users#user#${ann.id}`, sk: `users#export#${start.json.id}` };
    expect((await doc.send(new GetCommand({ TableName, Key }))).Item).toBeDefined();
    const fits = async (n: number) =>
      doc
        .send(new UpdateCommand({ TableName, Key, UpdateExpression: 'SET partPages = :parts', ExpressionAttributeValues: { ':parts': finishedParts(n) } }))
        .then(() => true)
        .catch((err: Error) => {
          if (!/size/i.test(err.message)) throw err;
          return false;
        });
    // The most parts the item takes (DynamoDB's own measure), found by halving.
    let low = 1_000;
    let high = 40_000;
    expect(await fits(low)).toBe(true);
    expect(await fits(high)).toBe(false);
    while (high - low > 1) {
      const mid = Math.floor((low + high) / 2);
      if (await fits(mid)) low = mid;
      else high = mid;
    }
    console.info(`the export record holds at most ${low} finished budget parts`);
    expect(low).toBeGreaterThan(10_000);
    expect(await fits(low - ROOM)).toBe(true);

    release();
    held = undefined;
    // Over once no part is left to finish (its units' retries would otherwise run their course first).
    const over = async () => {
      const item = (await doc.send(new GetCommand({ TableName, Key, ProjectionExpression: '#s', ExpressionAttributeNames: { '#s': 'status' } }))).Item;
      return item?.status === 'succeeded' || item?.status === 'failed';
    };
    for (const until = Date.now() + 240_000; !(await over()) && Date.now() < until; ) await new Promise((r) => setTimeout(r, 1000));
    const done = await api('GET', start.headers.get('location')!);
    expect(done.status, done.text).toBe(200);
    expect(done.json.status).toBe('succeeded');
    const res = await fetch(done.json.download.url);
    expect(res.status).toBe(200);
    const lines = (await res.text())
      .trimEnd()
      .split('\n')
      .map((line) => JSON.parse(line) as { type: string; budgetId?: string });
    expect(lines.filter((l) => l.type === 'budget').map((l) => l.budgetId)).toEqual([budget.id]);
    // The list shows it (its item read whole by the list's one Query).
    expect((await api('GET', '/v1/me/exports')).json.items).toEqual([expect.objectContaining({ id: start.json.id, status: 'succeeded' })]);
  });
});
