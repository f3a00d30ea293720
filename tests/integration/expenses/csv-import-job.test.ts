import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { fixedClock } from '@budgeting/platform';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { as, createBudget, signUp, addMember, type Actor } from '../../support/actors';
import { expectProblem } from '../../support/problem';
import { createFanOutSystem, itemsOfKind } from '../jobs/support';

/**
 * The CSV import as a job (issue 11, point 3), through HTTP, with the chunks going over the
 * local work queue (the stand-in of SQS + Lambda: separate deliveries, retries) on DynamoDB
 * Local: 202 + Location and progress on GET /imports/{id}, Prefer: wait, dry run, a worker
 * crashing right after a commit (the chunk delivered again), the same file twice in a row and
 * at once, and the row limit. Chunks hold 500 rows (IMPORT_CHUNK_ROWS).
 */
let s: Awaited<ReturnType<typeof createFanOutSystem>>;
let owner: Actor;

beforeAll(async () => {
  // One delivery at a time, so progress moves chunk by chunk.
  s = await createFanOutSystem({ concurrency: 1 });
  owner = await signUp(s.t.app, 'import-owner');
});
afterAll(() => s.t.destroy());

/** `rows` distinct rows dated in November 2026; row n costs amountOf(n) cents. */
const amountOf = (n: number) => ((n % 50) + 1) * 100 + (n % 100);
function csv(rows: number, from = 0): string {
  const lines = ['date,amount,category,description,merchant'];
  for (let n = from; n < from + rows; n++) {
    const cents = amountOf(n);
    lines.push(`2026-11-${String(1 + (n % 28)).padStart(2, '0')},${Math.floor(cents / 100)}.${String(cents % 100).padStart(2, '0')},,row ${n},Shop ${n % 7}`);
  }
  return `${lines.join('\n')}\n`;
}
const sumOf = (rows: number) => Array.from({ length: rows }, (_, n) => amountOf(n)).reduce((a, b) => a + b, 0);

const api = (who: Actor = owner) => as(s.t.app, who);
const post = (budgetId: string, file: string, headers: Record<string, string> = {}, query = '') =>
  api()('POST', `/v1/budgets/${budgetId}/expenses/import${query}`, { rawBody: file, headers: { 'content-type': 'text/csv', ...headers } });
const spent = async (budgetId: string) => (await api()('GET', `/v1/budgets/${budgetId}/summary?date=2026-11-15`)).json.spent as number;
const expensesOf = async (budgetId: string) => (await itemsOfKind(s.t, 'expense')).filter((e) => e.budgetId === budgetId);

describe('CSV import job', { timeout: 600_000 }, () => {
  it('answers 202 with Location; GET shows the counts going up chunk by chunk until succeeded', async () => {
    const b = await createBudget(s.t.app, owner);
    const file = `${csv(1_200)}2026-11-31,1,,,\n`; // 3 chunks and one invalid row (line 1202)
    const res = await post(b.id, file);
    expect(res.status, res.text).toBe(202);
    expect(res.headers.get('location')).toBe(`/v1/budgets/${b.id}/imports/${res.json.id}`);
    expect(res.json).toMatchObject({ status: 'queued', total: 1_201, processed: 1, imported: 0, duplicates: 0, errorCount: 1 });
    expect(res.json.errors).toEqual([{ line: 1202, message: 'date must be a calendar date YYYY-MM-DD' }]);

    expect(res.json.updatedAt).toBe(res.json.createdAt);

    const seen = new Set<number>();
    let current = res.json;
    // The test clock stands still unless moved: 10 ms per poll, so progress gets later times.
    const clock = s.t.clock as ReturnType<typeof fixedClock>;
    const midway: string[] = [];
    let previousUpdate = current.updatedAt as string;
    while (current.status === 'queued' || current.status === 'running') {
      clock.advance(10);
      const got = await api()('GET', res.headers.get('location')!);
      expect(got.status, got.text).toBe(200);
      current = got.json;
      seen.add(current.processed);
      // updatedAt never goes back (one delivery at a time here).
      expect(current.updatedAt >= previousUpdate, JSON.stringify([previousUpdate, current.updatedAt])).toBe(true);
      previousUpdate = current.updatedAt;
      if (current.processed > 1 && current.processed < 1_201) midway.push(current.updatedAt);
      expect(current.imported + current.duplicates + current.errorCount).toBe(current.processed);
      await new Promise((r) => setTimeout(r, 10));
    }
    await s.queue.idle();
    expect(current).toMatchObject({ status: 'succeeded', total: 1_201, processed: 1_201, imported: 1_200, duplicates: 0, errorCount: 1 });
    const finished = (await api()('GET', res.headers.get('location')!)).json;
    expect(finished.updatedAt).toBe(finished.finishedAt);
    // A counted chunk moved it past the creation, and the end moved it past that.
    expect(midway.length).toBeGreaterThan(0);
    expect(midway[0]! > finished.createdAt).toBe(true);
    expect(finished.updatedAt > midway.at(-1)!).toBe(true);
    // Only whole chunks are counted: 1 (the invalid row), then + 500, + 500, + 200.
    for (const p of seen) expect([1, 501, 1_001, 1_201]).toContain(p);
    expect([...seen].some((p) => p > 1 && p < 1_201)).toBe(true);
    expect(await expensesOf(b.id)).toHaveLength(1_200);
    expect(await spent(b.id)).toBe(sumOf(1_200));
  });

  it('Prefer: wait=N answers 200 with the finished import, or 202 when it is not done within N (capped at 25 s); Preference-Applied says so', async () => {
    const b = await createBudget(s.t.app, owner);
    const quick = await post(b.id, csv(20), { prefer: 'wait=100' });
    expect(quick.status, quick.text).toBe(200);
    expect(quick.headers.get('preference-applied')).toBe('wait=25');
    expect(quick.json).toMatchObject({ status: 'succeeded', imported: 20, processed: 20 });
    expect(quick.headers.get('location')).toBe(`/v1/budgets/${b.id}/imports/${quick.json.id}`);

    const notYet = await post(b.id, csv(600, 1_000), { prefer: 'wait=0' });
    expect(notYet.status, notYet.text).toBe(202);
    expect(notYet.headers.get('preference-applied')).toBe('wait=0');
    expect(notYet.json.status).toMatch(/^(queued|running)$/);
    await s.queue.idle();
    expect((await api()('GET', notYet.headers.get('location')!)).json).toMatchObject({ status: 'succeeded', imported: 600 });
  });

  it('?dryRun=true tells what would be imported, what is a duplicate and what is invalid, and writes nothing', async () => {
    const b = await createBudget(s.t.app, owner);
    expect((await post(b.id, csv(3), { prefer: 'wait=25' })).json).toMatchObject({ imported: 3 });
    const before = (await itemsOfKind(s.t, 'import-marker')).length;
    const importsBefore = (await itemsOfKind(s.t, 'import')).length;
    // Lines: 1 header, 2-4 the three rows imported above, 5-6 new, 7 invalid.
    const res = await post(b.id, `${csv(5)}2026-11-01,abc,,,\n`, {}, '?dryRun=true');
    expect(res.status, res.text).toBe(200);
    expect(res.headers.get('location')).toBeNull();
    expect(res.json).toEqual({
      dryRun: true,
      total: 6,
      imported: 2,
      duplicates: 3,
      errorCount: 1,
      errors: [{ line: 7, message: expect.stringMatching(/^amount must be a plain decimal number/) }],
      importLines: [5, 6],
      duplicateLines: [2, 3, 4],
      matchedCount: 0,
      matched: [],
      categorized: [],
      renamed: [],
      charset: 'utf-8',
    });
    await s.queue.idle();
    expect((await itemsOfKind(s.t, 'import-marker')).length).toBe(before);
    expect((await itemsOfKind(s.t, 'import')).length).toBe(importsBefore);
    expect(await expensesOf(b.id)).toHaveLength(3);
  });

  it('a worker crashing right after its commits is delivered again and resumes without duplicates; counts and totals exact', async () => {
    const b = await createBudget(s.t.app, owner);
    const token = (await api()('GET', `/v1/budgets/${b.id}/changes?limit=1`)).json.serverKnowledge as string;
    s.crash.count = 0;
    s.crash.crashed = 0;
    s.crash.everyNth = 4;
    s.crash.limit = 5;
    try {
      const res = await post(b.id, csv(1_500));
      expect(res.status, res.text).toBe(202);
      await s.queue.idle();
      expect(s.crash.crashed).toBeGreaterThan(0);
      const done = (await api()('GET', res.headers.get('location')!)).json;
      expect(done).toMatchObject({ status: 'succeeded', total: 1_500, processed: 1_500, imported: 1_500, duplicates: 0 });
    } finally {
      s.crash.everyNth = 0;
      s.crash.limit = Number.POSITIVE_INFINITY;
    }
    expect(s.queue.deadLettered).toBe(0);
    const expenses = await expensesOf(b.id);
    expect(expenses).toHaveLength(1_500);
    expect(new Set(expenses.map((e) => e.description)).size).toBe(1_500);
    expect(await spent(b.id)).toBe(sumOf(1_500));
    // Delta sync from a token taken before the import sees every imported expense.
    const ids = new Set<string>();
    for (let since = token, more = true; more; ) {
      const page = (await api()('GET', `/v1/budgets/${b.id}/changes?limit=500&since=${encodeURIComponent(since)}`)).json;
      for (const e of page.expenses) ids.add(e.id);
      since = page.serverKnowledge;
      more = page.hasMore;
    }
    expect([...ids].sort()).toEqual(expenses.map((e) => e.id).sort());
  });

  it('an import whose every row is counted reads as succeeded even if the last delivery died before marking it', async () => {
    const b = await createBudget(s.t.app, owner);
    const done = await post(b.id, csv(3), { prefer: 'wait=25' });
    expect(done.json).toMatchObject({ status: 'succeeded', processed: 3 });
    // As if the delivery that counted the last chunk had crashed and been dead-lettered before
    // its status update: the counts are complete, the stored status is still running.
    const record = (await itemsOfKind(s.t, 'import')).find((i) => i.importId === done.json.id);
    if (!record) throw new Error('the import record is missing');
    await s.t.doc.send(
      new UpdateCommand({ TableName: s.t.tableName, Key: { pk: record.pk, sk: record.sk }, UpdateExpression: 'SET #s = :running REMOVE finishedAt', ExpressionAttributeNames: { '#s': 'status' }, ExpressionAttributeValues: { ':running': 'running' } }),
    );
    expect((await api()('GET', done.headers.get('location')!)).json).toMatchObject({ status: 'succeeded', processed: 3, imported: 3 });
  });

  it('the same file twice adds nothing the second time; twice at once records each row once', async () => {
    const b = await createBudget(s.t.app, owner);
    const file = csv(700);
    const first = await post(b.id, file, { prefer: 'wait=25' });
    expect(first.json).toMatchObject({ status: 'succeeded', imported: 700, duplicates: 0 });
    const second = await post(b.id, file, { prefer: 'wait=25' });
    expect(second.json).toMatchObject({ status: 'succeeded', imported: 0, duplicates: 700 });
    expect(await expensesOf(b.id)).toHaveLength(700);

    const c = await createBudget(s.t.app, owner);
    const [one, two] = await Promise.all([post(c.id, file), post(c.id, file)]);
    await s.queue.idle();
    const [r1, r2] = await Promise.all([one, two].map(async (r) => (await api()('GET', r.headers.get('location')!)).json));
    expect(r1.status).toBe('succeeded');
    expect(r2.status).toBe('succeeded');
    expect(r1.imported + r2.imported).toBe(700);
    expect(r1.duplicates + r2.duplicates).toBe(700);
    expect(await expensesOf(c.id)).toHaveLength(700);
    expect(await spent(c.id)).toBe(sumOf(700));
  });

  it('refuses more than 50,000 rows (413 naming the limit); members read imports, others get 404', async () => {
    const b = await createBudget(s.t.app, owner);
    const big = await post(b.id, csv(50_001));
    expectProblem(big, 413, ['body']);
    expect(big.json.errors[0].message).toMatch(/50001 rows; at most 50000/);

    const viewer = await signUp(s.t.app, 'import-viewer');
    const stranger = await signUp(s.t.app, 'import-stranger');
    await addMember(s.t.app, owner, b.id, viewer, 'viewer');
    const done = await post(b.id, csv(2), { prefer: 'wait=25' });
    expect((await api(viewer)('GET', done.headers.get('location')!)).json).toMatchObject({ status: 'succeeded', imported: 2 });
    expectProblem(await api(stranger)('GET', done.headers.get('location')!), 404);
    expectProblem(await api()('GET', `/v1/budgets/${b.id}/imports/01JDNOSUCHIMPORT0000000000`), 404);
    expectProblem(await api(viewer)('POST', `/v1/budgets/${b.id}/expenses/import`, { rawBody: csv(1), headers: { 'content-type': 'text/csv' } }), 403);
  });
});
