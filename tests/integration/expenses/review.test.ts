import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { theEvent } from '../../support/events';
import { expectProblem } from '../../support/problem';
import { commandsSentDuring, inOneCounterState, readsChangeCounter, writeItemsOf } from '../../support/sent-commands';
import { createHarness, type Budget, type Harness, type Team } from './harness';

/**
 * Review of imported expenses through HTTP (DynamoDB Local): rows of a CSV or bank statement
 * import come out `reviewed: false` (their items carry `unreviewed: true`), expenses recorded by
 * hand `reviewed: true` with nothing more stored; PATCH, offline push and the bulk edit's
 * `markReviewed` flip it as any PATCH (version, event with before/after, activity, delta sync,
 * If-Match); `?reviewed=` filters the list (paged as a search) and the export, whose
 * `reviewed` column says it.
 */
let h: Harness;
let team: Team;

beforeAll(async () => {
  h = await createHarness();
  team = await h.team({ categories: ['Groceries', 'Travel'] });
});
afterAll(() => h.destroy());

const path = (b: Budget) => `/v1/budgets/${b.id}/expenses`;
const post = (b: Budget, body: Record<string, unknown>) => h.call('POST', path(b), { token: team.owner.token, body });
const patch = (b: Budget, id: string, body: Record<string, unknown>, headers: Record<string, string> = {}) =>
  h.call('PATCH', `${path(b)}/${id}`, { token: team.owner.token, body, headers });
const get = (b: Budget, id: string) => h.call('GET', `${path(b)}/${id}`, { token: team.owner.token });
/** A budget of the team's owner with its editor and viewer. */
async function fresh(): Promise<Budget> {
  const b = await h.createBudget(team.owner, { categories: ['Groceries', 'Travel'] });
  await h.addMember(b, team.owner, team.editor, 'editor');
  await h.addMember(b, team.owner, team.viewer, 'viewer');
  return b;
}
const importFile = (b: Budget, body: string, type = 'text/csv') =>
  h.call('POST', `${path(b)}/import`, { token: team.editor.token, rawBody: body, headers: { 'content-type': type, prefer: 'wait=25' } });
const rawItem = async (b: Budget, id: string) =>
  (await h.t.doc.send(new GetCommand({ TableName: h.t.tableName, Key: { pk: `expenses#budget#${b.id}`, sk: `expenses#expense#${id}` } }))).Item!;

/** Three rows from a bank's CSV, and the one recorded by hand between them: the budget's four expenses. */
async function seeded() {
  const b = await fresh();
  const res = await importFile(b, 'date,amount,category,description,merchant\n2026-11-01,1.00,,,Bakery\n2026-11-03,3.00,Groceries,,Market\n2026-11-05,5.00,,,Fuel\n');
  expect(res.status, res.text).toBe(200);
  expect(res.json).toMatchObject({ status: 'succeeded', imported: 3 });
  const manual = await post(b, { amount: 400, occurredOn: '2026-11-04', merchant: 'By hand' });
  expect(manual.status, manual.text).toBe(201);
  const all = await h.listExpenses(b, team.owner.token);
  const byMerchant = Object.fromEntries(all.map((e) => [e.merchant, e]));
  return { b, all, byMerchant, manual: manual.json };
}

/** The budget's delta-sync knowledge now, and what a device that synced then gets next. */
async function syncedNow(b: Budget): Promise<string> {
  let since: string | undefined;
  for (;;) {
    const res = await h.call('GET', `/v1/budgets/${b.id}/changes${since ? `?since=${encodeURIComponent(since)}` : ''}`, { token: team.owner.token });
    expect(res.status, res.text).toBe(200);
    since = res.json.serverKnowledge;
    if (!res.json.hasMore) return since!;
  }
}
async function changesSince(b: Budget, since: string): Promise<any[]> {
  const res = await h.call('GET', `/v1/budgets/${b.id}/changes?since=${encodeURIComponent(since)}`, { token: team.owner.token });
  expect(res.status, res.text).toBe(200);
  expect(res.json.hasMore).toBe(false);
  return res.json.expenses;
}

describe('review of imported expenses', { timeout: 180_000 }, () => {
  it('imported CSV rows are reviewed: false (stored as unreviewed: true), a manual expense reviewed: true with nothing stored for it', async () => {
    const { b, all, byMerchant, manual } = await seeded();
    expect(all.map((e) => [e.merchant, e.reviewed])).toEqual([
      ['Fuel', false],
      ['By hand', true],
      ['Market', false],
      ['Bakery', false],
    ]);
    expect(manual.reviewed).toBe(true);
    expect((await get(b, byMerchant.Fuel.id)).json.reviewed).toBe(false);
    const imported = await rawItem(b, byMerchant.Fuel.id);
    expect(imported.unreviewed).toBe(true);
    expect('reviewed' in imported).toBe(false);
    const byHand = await rawItem(b, manual.id);
    expect('unreviewed' in byHand).toBe(false);
    expect('reviewed' in byHand).toBe(false);
    // A first sync shows them as the list does.
    const sync = await h.call('GET', `/v1/budgets/${b.id}/changes`, { token: team.owner.token });
    expect(sync.status, sync.text).toBe(200);
    expect(Object.fromEntries(sync.json.expenses.map((e: any) => [e.merchant, e.reviewed]))).toEqual({ Bakery: false, Market: false, Fuel: false, 'By hand': true });
  });

  it('a bank statement (OFX) records its debits as reviewed: false', async () => {
    const b = await fresh();
    const ofx = [
      'OFXHEADER:100', 'DATA:OFXSGML', 'VERSION:102', 'SECURITY:NONE', 'ENCODING:USASCII', 'CHARSET:1252', 'COMPRESSION:NONE', 'OLDFILEUID:NONE', 'NEWFILEUID:NONE', '',
      '<OFX>', '<BANKMSGSRSV1>', '<STMTTRNRS>', '<TRNUID>1', '<STMTRS>', '<CURDEF>USD',
      '<BANKACCTFROM>', '<BANKID>121000248', '<ACCTID>000987654321', '<ACCTTYPE>CHECKING', '</BANKACCTFROM>',
      '<BANKTRANLIST>', '<DTSTART>20261101', '<DTEND>20261130',
      '<STMTTRN>', '<TRNTYPE>DEBIT', '<DTPOSTED>20261103', '<TRNAMT>-45.20', '<FITID>r-1', '<NAME>WHOLE FOODS', '</STMTTRN>',
      '<STMTTRN>', '<TRNTYPE>CREDIT', '<DTPOSTED>20261105', '<TRNAMT>2500.00', '<FITID>r-2', '<NAME>PAYROLL', '</STMTTRN>',
      '</BANKTRANLIST>', '</STMTRS>', '</STMTTRNRS>', '</BANKMSGSRSV1>', '</OFX>', '',
    ].join('\r\n');
    const res = await importFile(b, ofx, 'application/x-ofx');
    expect(res.status, res.text).toBe(200);
    expect(res.json).toMatchObject({ status: 'succeeded', imported: 1, skipped: 1 });
    const [expense] = await h.listExpenses(b, team.owner.token);
    expect(expense).toMatchObject({ amount: 4520, merchant: 'WHOLE FOODS', reviewed: false });
    expect((await rawItem(b, expense.id)).unreviewed).toBe(true);
  });

  it('PATCH reviewed flips it as any PATCH: version, If-Match, event and activity with before/after, delta sync', async () => {
    const { b, byMerchant } = await seeded();
    const id = byMerchant.Market.id;
    const since = await syncedNow(b);
    expectProblem(await patch(b, id, { reviewed: true }, { 'if-match': '"7"' }), 412);
    const res = await patch(b, id, { reviewed: true }, { 'if-match': '"1"' });
    expect(res.status, res.text).toBe(200);
    expect(res.json).toMatchObject({ id, reviewed: true, version: 2, amount: 300 });
    expect(res.headers.get('etag')).toBe('"2"');
    expect('unreviewed' in (await rawItem(b, id))).toBe(false);
    const updated = await theEvent(h.t, 'expense.updated', { expenseId: id, version: 2 });
    expect(updated.envelope.data.changes).toEqual({ reviewed: { before: false, after: true } });
    expect(await changesSince(b, since)).toEqual([expect.objectContaining({ kind: 'expense', id, reviewed: true, version: 2 })]);

    // And back: needs review again (stored as the import stored it).
    const again = await patch(b, id, { reviewed: false });
    expect(again.json).toMatchObject({ reviewed: false, version: 3 });
    expect((await rawItem(b, id)).unreviewed).toBe(true);
    expect((await theEvent(h.t, 'expense.updated', { expenseId: id, version: 3 })).envelope.data.changes).toEqual({ reviewed: { before: true, after: false } });
    // A PATCH of something else keeps it and says nothing of it.
    expect((await patch(b, id, { description: 'checked' })).json).toMatchObject({ reviewed: false, version: 4 });
    expect((await theEvent(h.t, 'expense.updated', { expenseId: id, version: 4 })).envelope.data.changes.reviewed).toBeUndefined();

    const activity = await h.call('GET', `/v1/budgets/${b.id}/activity`, { token: team.owner.token });
    expect(activity.status, activity.text).toBe(200);
    const changes = (activity.json.items as { action: string; subject: { id: string }; changes?: Record<string, unknown> }[])
      .filter((e) => e.action === 'expense.updated' && e.subject.id === id)
      .map((e) => e.changes?.reviewed ?? 'unchanged');
    expect(changes).toEqual(expect.arrayContaining([{ before: false, after: true }, { before: true, after: false }, 'unchanged']));
    expectProblem(await patch(b, id, { reviewed: 'yes' }), 400, ['reviewed']);
    expectProblem(await h.call('PATCH', `${path(b)}/${id}`, { token: team.viewer.token, body: { reviewed: true } }), 403);
  });

  it('POST may send reviewed: false; offline push creates and updates with it', async () => {
    const b = await fresh();
    const res = await post(b, { amount: 100, occurredOn: '2026-11-02', reviewed: false });
    expect(res.status, res.text).toBe(201);
    expect(res.json.reviewed).toBe(false);
    expect((await rawItem(b, res.json.id)).unreviewed).toBe(true);
    expectProblem(await post(b, { amount: 100, reviewed: 'false' }), 400, ['reviewed']);

    const id = '01JDX3Q7K9M2N4P6R8S0T1V3W7';
    const push = await h.call('POST', `/v1/budgets/${b.id}/changes`, {
      token: team.owner.token,
      body: {
        mutations: [
          { op: 'create', id, expense: { amount: 300, occurredOn: '2026-11-10', reviewed: false } },
          { op: 'update', id, baseVersion: 1, patch: { reviewed: true } },
        ],
      },
    });
    expect(push.status, push.text).toBe(200);
    expect(push.json.results).toEqual([
      expect.objectContaining({ status: 'applied', expense: expect.objectContaining({ reviewed: false }) }),
      expect.objectContaining({ status: 'applied', version: 2, expense: expect.objectContaining({ reviewed: true }) }),
    ]);
    const bad = await h.call('POST', `/v1/budgets/${b.id}/changes`, {
      token: team.owner.token,
      body: { mutations: [{ op: 'update', id, baseVersion: 2, patch: { reviewed: 1 } }] },
    });
    expectProblem(bad, 400, ['mutations.0.patch.reviewed']);
  });

  it('bulk markReviewed writes each unreviewed one as its own PATCH and leaves reviewed ones alone', async () => {
    const { b, byMerchant, manual } = await seeded();
    const since = await syncedNow(b);
    const ids = [byMerchant.Bakery.id, manual.id, 'missing-expense', byMerchant.Fuel.id];
    const res = await h.call('POST', `${path(b)}/bulk`, { token: team.editor.token, body: { expenseIds: ids, action: { type: 'markReviewed' } } });
    expect(res.status, res.text).toBe(200);
    expect(res.json).toMatchObject({ succeeded: 3, failed: 1 });
    expect(res.json.results.map((r: any) => [r.expenseId, r.status, r.expense?.reviewed, r.expense?.version])).toEqual([
      [byMerchant.Bakery.id, 200, true, 2],
      [manual.id, 200, true, 1], // already reviewed: nothing written
      ['missing-expense', 404, undefined, undefined],
      [byMerchant.Fuel.id, 200, true, 2],
    ]);
    const changed = await changesSince(b, since);
    expect(changed.map((e) => [e.id, e.reviewed]).sort()).toEqual([[byMerchant.Bakery.id, true], [byMerchant.Fuel.id, true]].sort());
    const event = await theEvent(h.t, 'expense.updated', { expenseId: byMerchant.Fuel.id, version: 2 });
    expect(event.envelope.data).toMatchObject({ updatedBy: team.editor.id, changes: { reviewed: { before: false, after: true } } });
    // Only Market is left to review.
    const left = await h.call('GET', `${path(b)}?reviewed=false`, { token: team.viewer.token });
    expect(left.json.items.map((e: any) => e.merchant)).toEqual(['Market']);
    expectProblem(await h.call('POST', `${path(b)}/bulk`, { token: team.owner.token, body: { expenseIds: [manual.id], action: { type: 'markReviewed', reviewed: true } } }), 400, [
      'action.reviewed',
    ]);
  });

  it('?reviewed= filters the list (every match once over cursor pages) and the export, whose reviewed column says it', async () => {
    const { b } = await seeded();
    const walk = async (query: string) => {
      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const res = await h.call('GET', `${path(b)}?${query}&limit=1${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`, { token: team.viewer.token });
        expect(res.status, res.text).toBe(200);
        seen.push(...res.json.items.map((e: any) => e.merchant));
        cursor = res.json.nextCursor;
      } while (cursor);
      return seen;
    };
    expect(await walk('reviewed=false')).toEqual(['Fuel', 'Market', 'Bakery']);
    expect(await walk('reviewed=true')).toEqual(['By hand']);
    expect(await walk('reviewed=false&from=2026-11-02&to=2026-11-05')).toEqual(['Fuel', 'Market']);
    const withCategory = await h.call('GET', `${path(b)}?reviewed=false&categoryId=${b.categories[0]!.id}`, { token: team.viewer.token });
    expect(withCategory.json.items.map((e: any) => e.merchant)).toEqual(['Market']);
    expectProblem(await h.call('GET', `${path(b)}?reviewed=no`, { token: team.viewer.token }), 400, ['query.reviewed']);
    // A cursor of another filter is refused: it is bound to reviewed.
    const first = await h.call('GET', `${path(b)}?reviewed=false&limit=1`, { token: team.viewer.token });
    expectProblem(await h.call('GET', `${path(b)}?reviewed=true&limit=1&cursor=${encodeURIComponent(first.json.nextCursor)}`, { token: team.viewer.token }), 400, [
      'query.cursor',
    ]);

    const exported = await h.call('GET', `${path(b)}/export`, { token: team.viewer.token });
    expect(exported.status, exported.text).toBe(200);
    const rows = parse(exported.text) as string[][];
    expect(rows[0]).toEqual(['date', 'amount', 'category', 'description', 'merchant', 'tags', 'foreignAmount', 'foreignCurrency', 'reviewed', 'recurringExpenseId']);
    expect(rows.slice(1).map((r) => [r[4], r[8]])).toEqual([
      ['Fuel', 'false'],
      ['By hand', 'true'],
      ['Market', 'false'],
      ['Bakery', 'false'],
    ]);
    const unreviewed = await h.call('GET', `${path(b)}/export?reviewed=false`, { token: team.viewer.token });
    expect((parse(unreviewed.text) as string[][]).slice(1).map((r) => r[4])).toEqual(['Fuel', 'Market', 'Bakery']);

    // The export imports back: the reviewed column is read past, the rows need review again.
    const other = await fresh();
    const again = await importFile(other, exported.text);
    expect(again.status, again.text).toBe(200);
    expect(again.json).toMatchObject({ status: 'succeeded', imported: 4, errorCount: 0 });
    expect((await h.listExpenses(other, team.owner.token)).map((e) => e.reviewed)).toEqual([false, false, false, false]);
  });

  it('a manual create writes what it wrote before review existed: no attribute for it, the same transaction', async () => {
    const b = await fresh();
    const written = async (body: Record<string, unknown>) => {
      const { result, sent } = await commandsSentDuring(h.t.doc, () => post(b, body));
      expect(result.status, result.text).toBe(201);
            const items = writeItemsOf(sent) as Record<string, any>[];
      const put = items.find((i) => i.Put?.Item?.kind === 'expense')!.Put.Item as Record<string, unknown>;
      return { requests: sent.length, items: items.map((i) => Object.keys(i)[0]), attributes: Object.keys(put).sort(), counterRead: readsChangeCounter(sent) };
    };
    const [plain, reviewed] = await inOneCounterState(
      () => written({ amount: 500, occurredOn: '2026-11-03' }),
      () => written({ amount: 500, occurredOn: '2026-11-03', reviewed: true }),
    );
    expect(plain.attributes).not.toContain('unreviewed');
    expect(plain.attributes).not.toContain('reviewed');
    expect(reviewed).toEqual(plain);
    const [plainAgain, unreviewed] = await inOneCounterState(
      () => written({ amount: 500, occurredOn: '2026-11-03' }),
      () => written({ amount: 500, occurredOn: '2026-11-03', reviewed: false }),
    );
    expect(unreviewed.items).toEqual(plainAgain.items);
    // One that needs review: the flag and its review inbox entry (gsi3; review-inbox.test.ts).
    expect(unreviewed.attributes).toEqual([...plain.attributes, 'unreviewed', 'gsi3pk', 'gsi3sk'].sort());
  });
});
