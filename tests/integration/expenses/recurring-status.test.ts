import { DeleteCommand, ScanCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { expectProblem } from '../../support/problem';
import { commandsSentDuring } from '../../support/sent-commands';
import type { Budget } from './harness';
import { callAs, recurringSuite } from './recurring-harness';

/**
 * The bill status of a period (GET .../recurring-expenses/status, packages/expenses/docs/recurring.md "Bill
 * status") on DynamoDB Local with the real recurring job, skip, pause, record-next and a CSV
 * import, the clock moved through December 2026 (a monthly budget in UTC). Every figure below is
 * worked out by hand from the timeline:
 * - Nov 30: six definitions created (so no date before Nov 30 is theirs); the streaming paused.
 * - Dec 1 job: rent (1,200.00) recorded; its definition then PATCHed to 1,250.00.
 * - Dec 2 job: gym (15.00 weekly from Wed Dec 2) recorded; Dec 3: its Dec 9 skipped.
 * - Dec 10 job: the phone plan (4 x 25.00 monthly from Nov 10: Nov 10, Dec 10, Jan 10, Feb 10)
 *   records Dec 10, its payment 2 (Nov 10 was before it was created).
 * - Dec 11: a bank CSV holds "ACME INSURANCE" 45.00 on Dec 11; Dec 12 job: the insurance's
 *   Dec 12 is matched with that imported expense.
 * - Dec 13: record-next of the gym, paid that day: its Dec 16 occurrence, dated Dec 13.
 * - Dec 15, no job run: the internet bill's Dec 14 is overdue.
 * - Apr 15, 2027: December again, its occurrence markers expired.
 */
const suite = recurringSuite('2026-11-30T12:00:00Z');
const { req, clock } = suite;

async function define(b: Budget, body: Record<string, unknown>): Promise<string> {
  const res = await req('POST', suite.collection(b), { body });
  expect(res.status, res.text).toBe(201);
  suite.created.push(res.headers.get('location')!);
  return res.json.id as string;
}

async function runOn(date: string) {
  clock.set(`${date}T12:00:00Z`);
  const out = await suite.run();
  expect(out).toMatchObject({ failed: 0 });
  return out;
}

async function importCsv(b: Budget, csv: string) {
  const h = suite.harness();
  const res = await callAs(h, suite.owner(), 'POST', `/v1/budgets/${b.id}/expenses/import`, { rawBody: csv, headers: { 'content-type': 'text/csv', prefer: 'wait=25' } });
  expect(res.status, res.text).toBe(200);
  expect(res.json).toMatchObject({ status: 'succeeded', imported: 1, matched: 0 });
}

const status = (b: Budget, query = '') => req('GET', `/v1/budgets/${b.id}/recurring-expenses/status${query}`);

describe('bill status of a period', { timeout: 180_000 }, () => {
  it('gives each bill date its status: paid (amount recorded), matched, skipped, paused, due, overdue; totals by hand', async () => {
    const b = await suite.harness().createBudget(suite.owner());
    const rent = await define(b, { amount: 120000, merchant: 'Landlord', description: 'Rent', categoryId: null, schedule: { frequency: 'monthly', startsOn: '2026-12-01' } });
    const gym = await define(b, { amount: 1500, merchant: 'Gym', categoryId: null, schedule: { frequency: 'weekly', startsOn: '2026-12-02' } });
    const streaming = await define(b, { amount: 999, merchant: 'Streamly', categoryId: null, schedule: { frequency: 'monthly', startsOn: '2026-12-05' } });
    const plan = await define(b, { amount: 2500, merchant: 'Phone Shop', categoryId: null, schedule: { frequency: 'monthly', startsOn: '2026-11-10', count: 4 } });
    const insurance = await define(b, { amount: 4500, merchant: 'Acme Insurance', categoryId: null, schedule: { frequency: 'monthly', startsOn: '2026-12-12' } });
    const internet = await define(b, { amount: 3000, merchant: 'Fibre Co', categoryId: null, schedule: { frequency: 'monthly', startsOn: '2026-12-14' } });
    expect((await req('PATCH', `${suite.collection(b)}/${streaming}`, { body: { paused: true } })).status).toBe(200);

    await runOn('2026-12-01');
    expect((await req('PATCH', `${suite.collection(b)}/${rent}`, { body: { amount: 125000 } })).status).toBe(200);
    await runOn('2026-12-02');
    clock.set('2026-12-03T12:00:00Z');
    expect((await req('POST', `${suite.collection(b)}/${gym}/skip`)).status).toBe(200);
    await runOn('2026-12-10');
    clock.set('2026-12-11T12:00:00Z');
    await importCsv(b, 'date,amount,category,description,merchant\n2026-12-11,45.00,,,ACME INSURANCE\n');
    expect(await runOn('2026-12-12')).toMatchObject({ matched: 1 });
    clock.set('2026-12-13T12:00:00Z');
    const early = await req('POST', `${suite.collection(b)}/${gym}/record-next`, { body: { occurredOn: '2026-12-13' } });
    expect(early.status, early.text).toBe(200);
    clock.set('2026-12-15T12:00:00Z');

    const expenses = await suite.expensesOf<{ id: string; occurredOn: string; amount: number; merchant: string }>(b);
    const idOf = (merchant: string, occurredOn: string) => expenses.find((e) => e.merchant === merchant && e.occurredOn === occurredOn)!.id;

    const res = await status(b);
    expect(res.status, res.text).toBe(200);
    expect(res.json).toMatchObject({ from: '2026-12-01', to: '2026-12-31', today: '2026-12-15', currency: 'USD', truncated: false });
    const byId = (id: string) => res.json.items.find((i: { recurringExpenseId: string }) => i.recurringExpenseId === id);
    expect(res.json.items.map((i: { recurringExpenseId: string }) => i.recurringExpenseId)).toEqual([rent, gym, streaming, plan, insurance, internet]);

    // Paid by the job at 1,200.00; the definition says 1,250.00 now.
    expect(byId(rent)).toEqual({
      recurringExpenseId: rent,
      merchant: 'Landlord',
      description: 'Rent',
      amount: 125000,
      categoryId: null,
      paused: false,
      count: null,
      paymentsLeft: null,
      dates: [{ occurredOn: '2026-12-01', status: 'paid', expenseId: idOf('Landlord', '2026-12-01'), amount: 120000, paymentNumber: null }],
    });
    // Weekly: the job's Dec 2, the skipped Dec 9, Dec 16 recorded early (dated Dec 13), two due.
    expect(byId(gym).dates).toEqual([
      { occurredOn: '2026-12-02', status: 'paid', expenseId: idOf('Gym', '2026-12-02'), amount: 1500, paymentNumber: null },
      { occurredOn: '2026-12-09', status: 'skipped', paymentNumber: null },
      { occurredOn: '2026-12-16', status: 'paid', expenseId: early.json.expense.id, amount: 1500, paymentNumber: null },
      { occurredOn: '2026-12-23', status: 'due', amount: 1500, paymentNumber: null },
      { occurredOn: '2026-12-30', status: 'due', amount: 1500, paymentNumber: null },
    ]);
    expect(early.json.expense.id).toBe(idOf('Gym', '2026-12-13'));
    expect(byId(streaming)).toMatchObject({ paused: true, dates: [{ occurredOn: '2026-12-05', status: 'paused', paymentNumber: null }] });
    expect(byId(plan)).toMatchObject({
      count: 4,
      paymentsLeft: 2,
      dates: [{ occurredOn: '2026-12-10', status: 'paid', expenseId: idOf('Phone Shop', '2026-12-10'), amount: 2500, paymentNumber: 2 }],
    });
    expect(byId(insurance).dates).toEqual([{ occurredOn: '2026-12-12', status: 'matched', expenseId: idOf('ACME INSURANCE', '2026-12-11'), paymentNumber: null }]);
    expect(byId(internet).dates).toEqual([{ occurredOn: '2026-12-14', status: 'overdue', amount: 3000, paymentNumber: null }]);

    // paid: 1,200.00 + 15.00 + 15.00 + 25.00; due: 15.00 + 15.00 + 30.00 (overdue).
    expect(res.json.totals).toEqual({ paid: 125500, due: 6000, counts: { paid: 4, matched: 1, skipped: 1, paused: 1, missed: 0, due: 2, overdue: 1 } });

    // Any day of the period gives the same period; November has no date of these (created Nov 30).
    expect((await status(b, '?date=2026-12-31')).json.totals).toEqual(res.json.totals);
    expect((await status(b, '?date=2026-11-15')).json).toMatchObject({ from: '2026-11-01', to: '2026-11-30', items: [], totals: { paid: 0, due: 0 } });

    // January: the plan's payment 3 and the rest still due, the paused streaming paused.
    const january = (await status(b, '?date=2027-01-20')).json;
    expect(january.items.find((i: { recurringExpenseId: string }) => i.recurringExpenseId === plan).dates).toEqual([
      { occurredOn: '2027-01-10', status: 'due', amount: 2500, paymentNumber: 3 },
    ]);
    expect(january.totals.counts).toEqual({ paid: 0, matched: 0, skipped: 0, paused: 1, missed: 0, due: 8, overdue: 0 });

    // 120 days on (no job run since), December's occurrence markers have expired (100 days):
    // the payments index still gives the paid dates, the Dec 13 payment (no marker to name its
    // date) settles the nearest open date, Dec 16; the bill match marker (400 days) the matched
    // one. The gym's Dec 23 and 30 are now overdue.
    clock.set('2027-04-15T12:00:00Z');
    // DynamoDB Local runs no TTL: delete them as the TTL would (the code ignores them past expiresAt anyway).
    const { t } = suite.harness();
    const markers = ((await t.doc.send(new ScanCommand({ TableName: t.tableName }))).Items ?? []).filter((i) => i.kind === 'recurring-occurrence' && String(i.pk).endsWith(b.id));
    expect(markers).toHaveLength(5);
    for (const m of markers) await t.doc.send(new DeleteCommand({ TableName: t.tableName, Key: { pk: m.pk, sk: m.sk } }));
    const later = (await status(b, '?date=2026-12-15')).json;
    expect(later.items.find((i: { recurringExpenseId: string }) => i.recurringExpenseId === gym).dates.map((d: { status: string; expenseId?: string }) => [d.status, d.expenseId])).toEqual([
      ['paid', idOf('Gym', '2026-12-02')],
      ['skipped', undefined],
      ['paid', early.json.expense.id],
      ['overdue', undefined],
      ['overdue', undefined],
    ]);
    expect(later.items.find((i: { recurringExpenseId: string }) => i.recurringExpenseId === insurance).dates[0]).toMatchObject({ status: 'matched', expenseId: idOf('ACME INSURANCE', '2026-12-11') });
    expect(later.totals).toEqual({ paid: 125500, due: 6000, counts: { paid: 4, matched: 1, skipped: 1, paused: 1, missed: 0, due: 0, overdue: 3 } });
  });

  it('with the pause history: a pause before the latest skip reads paused, each skip skipped, a changed schedule\'s date missed', async () => {
    const b = await suite.harness().createBudget(suite.owner());
    // Nov 30: a weekly gym from Wed Dec 2, and a monthly bill from Dec 5.
    const gym = await define(b, { amount: 1500, merchant: 'Gym', categoryId: null, schedule: { frequency: 'weekly', startsOn: '2026-12-02' } });
    const bill = await define(b, { amount: 4000, merchant: 'Water', categoryId: null, schedule: { frequency: 'monthly', startsOn: '2026-12-05' } });
    const gymUrl = `${suite.collection(b)}/${gym}`;
    expect((await req('GET', gymUrl)).json.pauses).toEqual([]);
    await runOn('2026-12-02'); // the gym's Dec 2 recorded
    clock.set('2026-12-03T12:00:00Z');
    expect((await req('POST', `${gymUrl}/skip`)).json.nextOccurrenceOn).toBe('2026-12-16'); // Dec 9 skipped
    // Moved to the 2nd of the month: from today on, so its first date is Jan 2; Dec 2 was never recorded.
    expect((await req('PATCH', `${suite.collection(b)}/${bill}`, { body: { schedule: { startsOn: '2026-12-02' } } })).json.nextOccurrenceOn).toBe('2027-01-02');
    clock.set('2026-12-14T12:00:00Z');
    const paused = await req('PATCH', gymUrl, { body: { paused: true } });
    expect(paused.json).toMatchObject({ paused: true, pauses: [{ from: '2026-12-14', to: null }] });
    clock.set('2026-12-20T12:00:00Z');
    const resumed = await req('PATCH', gymUrl, { body: { paused: false } });
    expect(resumed.json).toMatchObject({ paused: false, nextOccurrenceOn: '2026-12-23', pauses: [{ from: '2026-12-14', to: '2026-12-20' }] });
    clock.set('2026-12-21T12:00:00Z');
    expect((await req('POST', `${gymUrl}/skip`)).json).toMatchObject({ nextOccurrenceOn: '2026-12-30', pauses: [{ from: '2026-12-14', to: '2026-12-20' }] });
    // The history is read-only.
    expectProblem(await req('PATCH', gymUrl, { body: { pauses: [] } }), 400, ['pauses']);

    const res = await status(b);
    expect(res.status, res.text).toBe(200);
    const byId = (id: string) => res.json.items.find((i: { recurringExpenseId: string }) => i.recurringExpenseId === id);
    // Dec 16 fell while paused, before the latest skip (Dec 23): paused, not skipped.
    expect(byId(gym).dates.map((d: { occurredOn: string; status: string }) => [d.occurredOn, d.status])).toEqual([
      ['2026-12-02', 'paid'],
      ['2026-12-09', 'skipped'],
      ['2026-12-16', 'paused'],
      ['2026-12-23', 'skipped'],
      ['2026-12-30', 'due'],
    ]);
    expect(byId(bill).dates).toEqual([{ occurredOn: '2026-12-02', status: 'missed', paymentNumber: null }]);
    expect(res.json.totals).toEqual({ paid: 1500, due: 1500, counts: { paid: 1, matched: 0, skipped: 2, paused: 1, missed: 1, due: 1, overdue: 0 } });
  });

  it('a definition written before the history falls back to the old rule; its history begins at its next resume or skip', async () => {
    const b = await suite.harness().createBudget(suite.owner());
    const gym = await define(b, { amount: 1500, merchant: 'Gym', categoryId: null, schedule: { frequency: 'weekly', startsOn: '2026-12-02' } });
    const gymUrl = `${suite.collection(b)}/${gym}`;
    await runOn('2026-12-02');
    clock.set('2026-12-03T12:00:00Z');
    expect((await req('POST', `${gymUrl}/skip`)).status).toBe(200); // Dec 9
    clock.set('2026-12-14T12:00:00Z');
    expect((await req('PATCH', gymUrl, { body: { paused: true } })).status).toBe(200);
    // As an item written before the history was kept: no historySince, pauses, skippedDates.
    const { t } = suite.harness();
    const items = (await t.doc.send(new ScanCommand({ TableName: t.tableName }))).Items ?? [];
    const item = items.find((i) => i.kind === 'recurring-expense' && i.id === gym)!;
    expect(item).toMatchObject({ historySince: '2026-11-30', pauses: [{ from: '2026-12-14', to: null }], skippedDates: ['2026-12-09'], skippedThrough: '2026-12-09' });
    await t.doc.send(new UpdateCommand({ TableName: t.tableName, Key: { pk: item.pk, sk: item.sk }, UpdateExpression: 'REMOVE historySince, pauses, skippedDates' }));
    expect((await req('GET', gymUrl)).json.pauses).toEqual([]);
    const dates = async () => (await status(b)).json.items[0].dates.map((d: { status: string }) => d.status);
    // Dec 2 paid; Dec 9 on or before skippedThrough: skipped; the rest paused (paused now).
    expect(await dates()).toEqual(['paid', 'skipped', 'paused', 'paused', 'paused']);

    // Resumed Dec 20: the history begins (the pause's start is not known, so no interval is kept).
    clock.set('2026-12-20T12:00:00Z');
    expect((await req('PATCH', gymUrl, { body: { paused: false } })).json).toMatchObject({ nextOccurrenceOn: '2026-12-23', pauses: [] });
    clock.set('2026-12-21T12:00:00Z');
    expect((await req('POST', `${gymUrl}/skip`)).json.nextOccurrenceOn).toBe('2026-12-30'); // Dec 23, exactly
    // Dec 16, before the history (Dec 20), reads by the old rule: on or before the latest skip.
    expect(await dates()).toEqual(['paid', 'skipped', 'skipped', 'skipped', 'due']);
  });

  it('an old period of a bill with large payments reads every payment (past one 1 MB Query page): none missed once the markers expired', async () => {
    const b = await suite.harness().createBudget(suite.owner(), { period: 'yearly' });
    clock.set('2026-01-05T12:00:00Z');
    // 50 parts with 500-character descriptions (the API's bounds): each payment is about 27 KB,
    // so a year of Mondays (52, about 1.4 MB) passes the 1 MB one Query of gsi4 returns.
    const splits = Array.from({ length: 50 }, (_, n) => ({ categoryId: null, amount: 200, description: `${String(n).padStart(3, '0')} ${'p'.repeat(496)}` }));
    await define(b, { amount: 10_000, merchant: 'Cleaner', description: 'd'.repeat(500), splits, schedule: { frequency: 'weekly', startsOn: '2026-01-05' } });
    expect(await runOn('2026-12-28')).toMatchObject({ recorded: 52 }); // every Monday of 2026
    clock.set('2027-04-15T12:00:00Z'); // each 2026 occurrence marker expired (100 days after its date)
    const res = await status(b, '?date=2026-06-01');
    expect(res.status, res.text).toBe(200);
    expect(res.json.items[0].dates).toHaveLength(52);
    expect(res.json.totals).toMatchObject({ paid: 520_000, counts: { paid: 52, missed: 0 } });
  });

  it('costs the access read, ONE Query of the definitions, one gsi4 Query per bill with a passed date and one BatchGetItem of the open dates\' markers', async () => {
    const b = await suite.harness().createBudget(suite.owner());
    const rent = await define(b, { amount: 120000, merchant: 'Landlord', categoryId: null, schedule: { frequency: 'monthly', startsOn: '2026-12-01' } });
    const paused = await define(b, { amount: 999, merchant: 'Streamly', categoryId: null, schedule: { frequency: 'monthly', startsOn: '2026-12-05' } });
    await define(b, { amount: 3000, merchant: 'Fibre Co', categoryId: null, schedule: { frequency: 'monthly', startsOn: '2026-12-20' } });
    expect((await req('PATCH', `${suite.collection(b)}/${paused}`, { body: { paused: true } })).status).toBe(200);
    await runOn('2026-12-01');
    const h = suite.harness();
    const { result, sent } = await commandsSentDuring(h.t.doc, () => status(b));
    expect(result.status, result.text).toBe(200);
    // The rent's Dec 1 (paid, found in gsi4) and the paused Dec 5 (read in the markers) are
    // passed; the Dec 20 bill is ahead of its next occurrence: nothing read for it.
    const queries = sent.filter((c) => c.name === 'QueryCommand');
    expect(queries.map((q) => q.input.IndexName ?? 'table')).toEqual(['table', 'gsi4', 'gsi4']);
    expect(queries.filter((q) => q.input.IndexName === 'gsi4').map((q) => (q.input.ExpressionAttributeValues as Record<string, string>)[':pk']).sort()).toEqual(
      [`expenses#budget#${b.id}#recurring#${paused}`, `expenses#budget#${b.id}#recurring#${rent}`].sort(),
    );
    // The access read, then the markers of the one open date (the paused Dec 5): 2 keys.
    const batches = sent.filter((c) => c.name === 'BatchGetItemCommand');
    expect(batches).toHaveLength(2);
    const markerKeys = Object.values(batches[1]!.input.RequestItems as Record<string, { Keys: { sk: string }[] }>)[0]!.Keys.map((k) => k.sk);
    expect(markerKeys.sort()).toEqual([`expenses#billmatch#${paused}#2026-12-05`, `expenses#occurrence#${paused}#2026-12-05`].sort());
    expect(sent).toHaveLength(5);
  });

  it('may be read by a viewer; a stranger gets a 404; a bad date is a 400 naming query.date', async () => {
    const h = suite.harness();
    const b = await h.createBudget(suite.owner());
    const [viewer, stranger] = await Promise.all([h.signup('viewer'), h.signup('stranger')]);
    await h.addMember(b, suite.owner(), viewer, 'viewer');
    await define(b, { amount: 120000, merchant: 'Landlord', categoryId: null, schedule: { frequency: 'monthly', startsOn: '2026-12-01' } });
    const url = `/v1/budgets/${b.id}/recurring-expenses/status`;
    const asViewer = await callAs(h, viewer, 'GET', url);
    expect(asViewer.status, asViewer.text).toBe(200);
    // Today is Nov 30: November's period, in which the rent has no date.
    expect(asViewer.json).toMatchObject({ from: '2026-11-01', to: '2026-11-30', items: [] });
    expect((await callAs(h, viewer, 'GET', `${url}?date=2026-12-01`)).json.items[0].dates).toEqual([{ occurredOn: '2026-12-01', status: 'due', amount: 120000, paymentNumber: null }]);
    expectProblem(await callAs(h, stranger, 'GET', url), 404);
    for (const bad of ['2026-13-01', 'abc', '2026-02-30', '']) expectProblem(await req('GET', `${url}?date=${bad}`), 400, ['query.date']);
    expectProblem(await req('GET', `${url}?days=3`), 400);
  });

  it("still lists the date a bill was created on after the budget's time zone moves east past that day", async () => {
    // 20:00 UTC on Nov 30 is 05:00 on Dec 1 in Tokyo. A bill created then in a UTC budget starts
    // that day (Nov 30, today there) and the job records it; then the budget moves to Tokyo.
    const b = await suite.harness().createBudget(suite.owner());
    clock.set('2026-11-30T20:00:00Z');
    const bill = await define(b, { amount: 5000, merchant: 'Water Co', categoryId: null, schedule: { frequency: 'monthly' } });
    clock.set('2026-11-30T21:00:00Z');
    expect(await suite.run()).toMatchObject({ recorded: 1, failed: 0 });
    const [paid] = await suite.expensesOf<{ id: string; occurredOn: string }>(b);
    expect(paid!.occurredOn).toBe('2026-11-30');
    const moved = await req('PATCH', `/v1/budgets/${b.id}`, { body: { timezone: 'Asia/Tokyo' } });
    expect(moved.status, moved.text).toBe(200);
    // November's status still shows that bill's Nov 30 as paid: it was created on Nov 30 (in UTC, its zone then).
    const november = await status(b, '?date=2026-11-15');
    expect(november.status, november.text).toBe(200);
    expect(november.json.items).toEqual([
      expect.objectContaining({ recurringExpenseId: bill, dates: [{ occurredOn: '2026-11-30', status: 'paid', expenseId: paid!.id, amount: 5000, paymentNumber: null }] }),
    ]);
  });
});
