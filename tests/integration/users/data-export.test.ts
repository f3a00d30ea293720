import { GUARDS, type EmailMessage } from '@budgeting/platform';
import { Secret, TOTP } from 'otpauth';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addExpense, addMember, as, createBudget, signUp, type Actor } from '../../support/actors';
import { captureLogLines, type LogCapture } from '../../support/log-lines';
import { commandsSentDuring } from '../../support/sent-commands';
import { expectProblem } from '../../support/problem';
import { deliver, outboxEvents, theEvent } from '../../support/events';
import { createFanOutSystem, itemsOfKind } from '../jobs/support';
import { seedExpenses } from '../expenses/seed';

/**
 * The data export (GDPR Art. 20) through HTTP, its units going over the local work queue (the
 * stand-in of SQS: separate deliveries, retries) on DynamoDB Local, the document written to the
 * local storage stand-in and downloaded through the URL GET hands out. A user with two budgets:
 * one owned with 120 expenses (three pages of 50: the page size lowered so paging shows with few
 * expenses; production pages 500) and one shared as a viewer.
 */
const PAGE = 50;
const EXPENSES = 120;
type Fan = Awaited<ReturnType<typeof createFanOutSystem>>;

const mail: EmailMessage[] = [];
const recorder = { send: async (m: EmailMessage) => void mail.push(m) };

/** `rows` distinct CSV rows dated in November 2026. */
function csv(rows: number): string {
  const lines = ['date,amount,category,description,merchant'];
  for (let n = 0; n < rows; n++) lines.push(`2026-11-${String(1 + (n % 28)).padStart(2, '0')},${(n % 50) + 1}.${String(n % 100).padStart(2, '0')},,row ${n},Shop ${n % 7}`);
  return `${lines.join('\n')}\n`;
}

async function importRows(s: Fan, who: Actor, budgetId: string, rows: number) {
  const res = await as(s.t.app, who)('POST', `/v1/budgets/${budgetId}/expenses/import`, { rawBody: csv(rows), headers: { 'content-type': 'text/csv' } });
  expect(res.status, res.text).toBe(202);
  await s.queue.idle();
  expect((await as(s.t.app, who)('GET', res.headers.get('location')!)).json).toMatchObject({ status: 'succeeded', imported: rows });
}

/** Every expense of a budget as the API lists it (page by page). */
async function listedExpenses(s: Fan, who: Actor, budgetId: string): Promise<Record<string, unknown>[]> {
  const out: Record<string, unknown>[] = [];
  let cursor: string | null = null;
  do {
    const res = await as(s.t.app, who)('GET', `/v1/budgets/${budgetId}/expenses?limit=100&from=2000-01-01&to=2100-12-31${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
    expect(res.status, res.text).toBe(200);
    out.push(...res.json.items);
    cursor = res.json.nextCursor;
  } while (cursor);
  return out;
}

/** Waits for the export to be over (the queue idle), then GETs it. */
async function finished(s: Fan, who: Actor, location: string) {
  await s.queue.idle();
  const res = await as(s.t.app, who)('GET', location);
  expect(res.status, res.text).toBe(200);
  return res.json;
}

async function download(url: string): Promise<{ type: string; budgetId?: string; data: any }[]> {
  const res = await fetch(url);
  expect(res.status).toBe(200);
  const text = await res.text();
  expect(text.endsWith('\n')).toBe(true);
  return text
    .trimEnd()
    .split('\n')
    .map((line) => JSON.parse(line));
}

describe('data export', { timeout: 600_000 }, () => {
  let s: Fan;
  let release: (() => void) | undefined;
  let held: Promise<void> | undefined;
  let log: LogCapture;
  beforeAll(async () => {
    s = await createFanOutSystem({
      concurrency: 2,
      expenses: { dataExport: { pageSize: PAGE } },
      mail: recorder,
      // INFO: the access lines, read from `log` (tests/support/log-lines.ts, which keeps them off the terminal).
      env: { WEBHOOK_ALLOW_LOCAL_URLS: 'true', LOG_LEVEL: 'INFO' },
      // While `held` is set, the export's units wait: the export stays queued.
      beforeDelivery: async (job) => {
        if (job === 'users-data-export' && held) await held;
      },
    });
    log = captureLogLines();
  });
  afterAll(async () => {
    log?.restore();
    await s?.t.destroy();
  });

  it('exports the profile, tokens, webhooks and both budgets, every own expense once and no secret; queued -> succeeded, mailed', async () => {
    const ada = await signUp(s.t.app, 'export-ada');
    const bob = await signUp(s.t.app, 'export-bob');
    const api = as(s.t.app, ada);
    expect((await api('PATCH', '/v1/me', { body: { locale: 'fr-FR' } })).status).toBe(200); // a profile field like the others
    // Its first category is the rule's (below); the second has a note and is hidden (both exported).
    const owned = await createBudget(s.t.app, ada, { name: 'Ada home', categories: [{ name: 'Lunch' }, { name: 'Old car', note: 'Sold in May', hidden: true }] });
    await importRows(s, ada, owned.id, EXPENSES);
    // A rule with every kind of condition (merchant, amount range, description) and what it sets.
    const ruleBody = {
      merchant: { contains: 'shop 1' },
      amount: { min: 100, max: 5000 },
      description: { contains: 'lunch' },
      categoryId: owned.categories[0]!.id,
      tags: ['work'],
      position: 3,
    };
    const rule = await api('POST', `/v1/budgets/${owned.id}/rules`, { body: ruleBody });
    expect(rule.status, rule.text).toBe(201);
    expect(rule.json).toMatchObject(ruleBody);
    const importProfile = await api('POST', `/v1/budgets/${owned.id}/import-profiles`, {
      body: { name: 'Barclays', mapping: { dateColumn: 'Date', debitColumn: 'Paid out', creditColumn: 'Paid in', dateFormat: 'DD/MM/YYYY' }, credits: 'refunds' },
    });
    expect(importProfile.status, importProfile.text).toBe(201);
    const shared = await createBudget(s.t.app, bob, { name: 'Bob flat' });
    const bobsProfile = await as(s.t.app, bob)('POST', `/v1/budgets/${shared.id}/import-profiles`, { body: { name: 'Bob bank', mapping: { dateColumn: 'Booked' } } });
    expect(bobsProfile.status, bobsProfile.text).toBe(201);
    await addMember(s.t.app, bob, shared.id, ada, 'viewer');
    const bobs = await addExpense(s.t.app, bob, shared.id, { amount: 1234, occurredOn: '2026-11-03' });
    // A settle-up payment in each budget: ada's (owner) is exported, bob's (ada a viewer) is not.
    await addMember(s.t.app, ada, owned.id, bob, 'editor');
    const settled = await as(s.t.app, ada)('POST', `/v1/budgets/${owned.id}/settlements`, { body: { fromUserId: bob.id, toUserId: ada.id, amount: 500 } });
    expect(settled.status, settled.text).toBe(201);
    const bobsPayment = await as(s.t.app, bob)('POST', `/v1/budgets/${shared.id}/settlements`, { body: { fromUserId: ada.id, toUserId: bob.id, amount: 700 } });
    expect(bobsPayment.status, bobsPayment.text).toBe(201);
    // Comments on one of ada's expenses: hers is exported, bob's (an editor of her budget) is not.
    const firstExpense = (await api('GET', `/v1/budgets/${owned.id}/expenses?limit=1`)).json.items[0].id as string;
    const adasComment = await api('POST', `/v1/budgets/${owned.id}/expenses/${firstExpense}/comments`, { body: { text: 'What was this?' } });
    expect(adasComment.status, adasComment.text).toBe(201);
    const bobsComment = await as(s.t.app, bob)('POST', `/v1/budgets/${owned.id}/expenses/${firstExpense}/comments`, { body: { text: 'Bob knows' } });
    expect(bobsComment.status, bobsComment.text).toBe(201);
    // Income: ada's budget's (two, one PATCHed after), and bob's budget's, which she only views.
    const salary = await api('POST', `/v1/budgets/${owned.id}/income`, { body: { amount: 320000, receivedOn: '2026-11-01', source: 'Acme payroll' } });
    expect(salary.status, salary.text).toBe(201);
    const gift = await as(s.t.app, bob)('POST', `/v1/budgets/${owned.id}/income`, { body: { amount: 5000, receivedOn: '2026-10-12' } });
    expect(gift.status, gift.text).toBe(201);
    expect((await api('PATCH', `/v1/budgets/${owned.id}/income/${gift.json.id}`, { body: { description: 'Birthday' } })).status).toBe(200);
    const bobsIncome = await as(s.t.app, bob)('POST', `/v1/budgets/${shared.id}/income`, { body: { amount: 777, source: 'Bob side job' } });
    expect(bobsIncome.status, bobsIncome.text).toBe(201);
    // Recurring income: ada's budget's (one skipped once: its internal skippedThrough and pause and
    // skip history go along, as a recurring expense's), and bob's budget's, which she only views.
    const paycheck = await api('POST', `/v1/budgets/${owned.id}/recurring-income`, { body: { amount: 150000, source: 'Acme payroll', schedule: { frequency: 'monthly', startsOn: '2026-12-15' } } });
    expect(paycheck.status, paycheck.text).toBe(201);
    const skippedPaycheck = await api('POST', `/v1/budgets/${owned.id}/recurring-income/${paycheck.json.id}/skip`);
    expect(skippedPaycheck.status, skippedPaycheck.text).toBe(200);
    const bobsPaycheck = await as(s.t.app, bob)('POST', `/v1/budgets/${shared.id}/recurring-income`, { body: { amount: 999, source: 'Bob pension', schedule: { frequency: 'monthly' } } });
    expect(bobsPaycheck.status, bobsPaycheck.text).toBe(201);
    const token = await api('POST', '/v1/me/tokens', { body: { name: 'Sheet sync', scope: 'read' } });
    expect(token.status, token.text).toBe(201);
    const hook = await api('POST', '/v1/webhooks', { body: { url: 'http://127.0.0.1:9/hook', eventTypes: ['expense.recorded'] } });
    expect(hook.status, hook.text).toBe(201);
    // A report of the owned budget (on demand, for October).
    const report = await api('POST', `/v1/budgets/${owned.id}/reports`, { body: { date: '2026-10-15' } });
    expect(report.status, report.text).toBe(201);

    // Held: the export stays queued, and a second start is refused.
    held = new Promise((ok) => (release = ok));
    const start = await api('POST', '/v1/me/export');
    expect(start.status, start.text).toBe(202);
    const location = start.headers.get('location')!;
    expect(location).toBe(`/v1/me/exports/${start.json.id}`);
    expect(start.json).toMatchObject({ id: start.json.id, status: 'queued', createdAt: expect.any(String) });
    expect(start.json.download).toBeUndefined();
    expectProblem(await api('POST', '/v1/me/export'), 409);
    expect((await api('POST', '/v1/me/export')).json.type).toMatch(/export-running$/);
    expect((await api('GET', location)).json.status).toBe('queued');
    // Strangers (bob) see nothing of it.
    expect((await as(s.t.app, bob)('GET', location)).status).toBe(404);
    held = undefined;
    release!();

    const done = await finished(s, ada, location);
    expect(done).toMatchObject({ id: start.json.id, status: 'succeeded', completedAt: expect.any(String), expiresAt: expect.any(String), size: expect.any(Number) });
    expect(Date.parse(done.expiresAt) - Date.parse(done.createdAt)).toBe(7 * 86_400_000);
    expect(Date.parse(done.download.expiresAt) - s.t.clock.now().getTime()).toBe(15 * 60 * 1000);
    expect((await as(s.t.app, bob)('GET', location)).status).toBe(404);

    const lines = await download(done.download.url);
    const of = (type: string, budgetId?: string) => lines.filter((l) => l.type === type && (budgetId === undefined || l.budgetId === budgetId));
    expect(lines[0]).toMatchObject({ type: 'export', data: { format: 'budgeting-export/1', exportId: start.json.id, userId: ada.id, budgets: 2 } });
    expect(lines.at(-1)).toMatchObject({ type: 'end' });
    expect(of('profile')).toEqual([{ type: 'profile', data: expect.objectContaining({ id: ada.id, email: ada.email, locale: 'fr-FR' }) }]);
    expect(of('session').length).toBeGreaterThan(0);
    expect(of('personalToken').map((l) => l.data.name)).toEqual(['Sheet sync']);
    // Each as the API shows it: the token as GET /v1/me/tokens lists it, the report as GET .../reports/{id}.
    expect(of('personalToken').map((l) => l.data)).toEqual((await api('GET', '/v1/me/tokens')).json.items);
    expect(of('report', owned.id).map((l) => l.data)).toEqual([(await api('GET', report.headers.get('location')!)).json]);
    expect(of('webhook').map((l) => l.data.url)).toEqual(['http://127.0.0.1:9/hook']);
    expect(of('budget').map((l) => l.budgetId).sort()).toEqual([owned.id, shared.id].sort());
    // The budget as GET shows it: a category's note and hidden flag included.
    expect(of('budget', owned.id)[0]!.data.categories).toEqual([
      { id: owned.categories[0]!.id, name: 'Lunch' },
      { id: owned.categories[1]!.id, name: 'Old car', note: 'Sold in May', hidden: true },
    ]);
    expect(of('membership', owned.id)[0]!.data.role).toBe('owner');
    expect(of('membership', shared.id)[0]!.data.role).toBe('viewer');
    // The owned budget's rule whole, as GET .../rules/{id} shows it: its conditions included.
    const ruleNow = await api('GET', `/v1/budgets/${owned.id}/rules/${rule.json.id}`);
    expect(ruleNow.status, ruleNow.text).toBe(200);
    expect(of('categorizationRule', owned.id).map((l) => l.data)).toEqual([ruleNow.json]);
    expect(of('categorizationRule', owned.id)[0]!.data).toMatchObject({ id: rule.json.id, createdBy: ada.id, ...ruleBody });
    expect(of('categorizationRule', shared.id)).toEqual([]);
    // The owned budget's import profile as GET .../import-profiles/{id} shows it (and its
    // creator); none of the budget ada only views.
    expect(of('importProfile', owned.id).map((l) => l.data)).toEqual([
      expect.objectContaining({
        id: importProfile.json.id,
        name: 'Barclays',
        mapping: { dateColumn: 'Date', debitColumn: 'Paid out', creditColumn: 'Paid in', dateFormat: 'DD/MM/YYYY' },
        credits: 'refunds',
        version: importProfile.json.version,
        createdAt: importProfile.json.createdAt,
        updatedAt: importProfile.json.updatedAt,
        createdBy: ada.id,
      }),
    ]);
    expect(of('importProfile', shared.id)).toEqual([]);
    // The owned budget's income entries as GET .../income/{id} shows them, whoever recorded
    // them; none of the budget ada only views.
    const incomeNow = await Promise.all([salary, gift].map(async (r) => (await api('GET', `/v1/budgets/${owned.id}/income/${r.json.id}`)).json));
    expect(incomeNow[1]).toMatchObject({ description: 'Birthday', version: 2, createdBy: bob.id });
    expect(of('income', owned.id).map((l) => l.data).sort((a, b) => (a.id < b.id ? -1 : 1))).toEqual(incomeNow.sort((a, b) => (a.id < b.id ? -1 : 1)));
    expect(of('income', shared.id)).toEqual([]);
    expect(JSON.stringify(lines)).not.toContain('Bob side job');
    // The owned budget's recurring income as GET shows it, plus the skip it remembers and the day it was created; none of bob's budget.
    const paycheckNow = (await api('GET', `/v1/budgets/${owned.id}/recurring-income/${paycheck.json.id}`)).json;
    expect(paycheckNow).toMatchObject({ nextOccurrenceOn: '2027-01-15', version: 2 });
    expect(of('recurringIncome', owned.id).map((l) => l.data)).toEqual([{ ...paycheckNow, skippedThrough: '2026-12-15', skippedDates: ['2026-12-15'], historySince: '2026-11-24', createdOn: '2026-11-24' }]);
    expect(of('recurringIncome', shared.id)).toEqual([]);
    expect(JSON.stringify(lines)).not.toContain('Bob pension');
    // Its sections in the document's order: income entries, then recurring income, last (sections added later go last).
    const ownedTypes = lines.filter((l) => l.budgetId === owned.id).map((l) => l.type);
    expect(ownedTypes.slice(-2)).toEqual(['income', 'recurringIncome']);
    expect(JSON.stringify(lines)).not.toContain('Bob bank');
    expect(of('settlement', owned.id).map((l) => l.data)).toEqual([expect.objectContaining({ id: settled.json.id, fromUserId: bob.id, toUserId: ada.id, amount: 500 })]);
    expect(of('settlement', shared.id)).toEqual([]);
    expect(of('comment').map((l) => l.data)).toEqual([adasComment.json]);
    expect(JSON.stringify(lines)).not.toContain('Bob knows');

    // Exactly the owned budget's expenses, each once, as the API lists them; none of the
    // budget shared as a viewer (bob's).
    const exported = of('expense', owned.id).map((l) => l.data);
    const listed = await listedExpenses(s, ada, owned.id);
    expect(listed).toHaveLength(EXPENSES);
    expect(exported).toHaveLength(EXPENSES);
    expect(new Set(exported.map((e) => e.id)).size).toBe(EXPENSES);
    const byId = new Map(exported.map((e) => [e.id, e]));
    for (const e of listed) expect(byId.get(e.id), String(e.id)).toMatchObject({ amount: e.amount, occurredOn: e.occurredOn, merchant: e.merchant });
    expect(of('expense', shared.id)).toEqual([]);
    expect(JSON.stringify(lines)).not.toContain(bobs.id);

    // No secret of any kind: the password hash, the personal token (and its hash), the webhook's signing secret.
    const text = JSON.stringify(lines);
    const [profile] = (await itemsOfKind(s.t, 'user')).filter((u) => u.id === ada.id);
    expect(profile!.passwordHash).toEqual(expect.any(String));
    expect(text).not.toContain(profile!.passwordHash);
    expect(text).not.toContain('passwordHash');
    const [stored] = (await itemsOfKind(s.t, 'personal-token')).filter((t) => t.userId === ada.id);
    expect(text).not.toContain(stored!.secretHash);
    expect(text).not.toContain(token.json.token);
    expect(text).not.toContain(hook.json.secret);
    expect(text).not.toMatch(/whsec_|secretHash|"secret"/);

    // The user was told, once: by email, and in the app (user.data_export_finished, written
    // with the status; delivered twice, as EventBridge may: still one notification).
    // ada's profile says fr-FR: the email is in French (data-export-locale.test.ts has the texts).
    expect(mail.filter((m) => m.to === ada.email && m.subject === 'Votre export de données est prêt')).toHaveLength(1);
    const finishedEvent = await theEvent(s.t, 'user.data_export_finished', { exportId: start.json.id });
    expect(finishedEvent.envelope.data).toEqual({ userId: ada.id, exportId: start.json.id, status: 'succeeded' });
    await deliver(s.t, finishedEvent, finishedEvent);
    const inbox = await api('GET', '/v1/notifications');
    expect(inbox.status, inbox.text).toBe(200);
    expect(inbox.json.items).toEqual([{ id: expect.any(String), kind: 'data-export.ready', exportId: start.json.id, createdAt: expect.any(String), readAt: null }]);
    expect((await as(s.t.app, bob)('GET', '/v1/notifications')).json.items).toEqual([]);
    // The part objects are gone; the document stays.
    const list = await api('GET', '/v1/me/exports');
    expect(list.status).toBe(200);
    expect(list.json.items.map((e: { id: string }) => e.id)).toEqual([start.json.id]);
    expect(list.json.items[0].download).toBeUndefined();
  });

  it('exports an undated savings target as it was sent: `target: {amount}` with no `by` key; a dated one keeps its `by`', async () => {
    const una = await signUp(s.t.app, 'export-una');
    const api = as(s.t.app, una);
    const budget = await createBudget(s.t.app, una, {
      name: 'Una savings',
      categories: [
        { name: 'Emergency', limit: 5_000, rollover: true, target: { amount: 120_000 } },
        { name: 'Car', limit: 5_000, rollover: true, target: { amount: 60_000, by: '2027-06-30' } },
      ],
    });
    const start = await api('POST', '/v1/me/export');
    expect(start.status, start.text).toBe(202);
    const done = await finished(s, una, start.headers.get('location')!);
    expect(done.status).toBe('succeeded');
    const res = await fetch(done.download.url);
    const text = await res.text();
    const line = text.split('\n').find((l) => l.startsWith('{"type":"budget"') && l.includes(budget.id))!;
    const exported = JSON.parse(line).data.categories;
    expect(exported.map((c: { name: string }) => c.name)).toEqual(['Emergency', 'Car']);
    // Exactly the key `amount` (no `by`, not even `by: null`), in the line's own text too.
    expect(Object.keys(exported[0].target)).toEqual(['amount']);
    expect(exported[0].target).toEqual({ amount: 120_000 });
    expect(line).toContain('"target":{"amount":120000}');
    expect(exported[1].target).toEqual({ amount: 60_000, by: '2027-06-30' });
    // The Budget resource, as GET shows it.
    expect(exported).toEqual((await api('GET', `/v1/budgets/${budget.id}`)).json.categories);
  });

  it("exports a budget's `paceAlerts: true` (opted in to pace alerts); a budget that did not opt in says false", async () => {
    const pia = await signUp(s.t.app, 'export-pia');
    const api = as(s.t.app, pia);
    const paced = await createBudget(s.t.app, pia, { name: 'Paced', paceAlerts: true });
    const plain = await createBudget(s.t.app, pia, { name: 'Plain' });
    const start = await api('POST', '/v1/me/export');
    expect(start.status, start.text).toBe(202);
    const done = await finished(s, pia, start.headers.get('location')!);
    expect(done.status).toBe('succeeded');
    const text = await (await fetch(done.download.url)).text();
    const budgetLine = (id: string) => JSON.parse(text.split('\n').find((l) => l.startsWith('{"type":"budget"') && l.includes(id))!).data;
    expect(budgetLine(paced.id).paceAlerts).toBe(true);
    expect(budgetLine(plain.id).paceAlerts).toBe(false);
    // The Budget resource, as GET shows it.
    expect(budgetLine(paced.id)).toEqual((await api('GET', `/v1/budgets/${paced.id}`)).json);
  });

  it('exports the notifications as GET /v1/notifications shows them: those read by "mark all read" read, and no internal field', async () => {
    const nia = await signUp(s.t.app, 'export-nia');
    const api = as(s.t.app, nia);
    // Two exports' data-export.ready notifications (their events delivered), then all marked read
    // at once: POST /v1/notifications/read-all stores one mark, not a readAt on each notification.
    for (let n = 0; n < 2; n++) {
      const start = await api('POST', '/v1/me/export');
      expect(start.status, start.text).toBe(202);
      expect((await finished(s, nia, start.headers.get('location')!)).status).toBe('succeeded');
      const event = await theEvent(s.t, 'user.data_export_finished', { exportId: start.json.id });
      await deliver(s.t, event);
    }
    const readAll = await api('POST', '/v1/notifications/read-all');
    expect(readAll.status, readAll.text).toBe(200);
    const listed = (await api('GET', '/v1/notifications')).json.items;
    expect(listed.map((n: { kind: string; readAt: string | null }) => [n.kind, n.readAt])).toEqual([
      ['data-export.ready', readAll.json.readAt],
      ['data-export.ready', readAll.json.readAt],
    ]);

    const start = await api('POST', '/v1/me/export');
    expect(start.status, start.text).toBe(202);
    const done = await finished(s, nia, start.headers.get('location')!);
    const lines = await download(done.download.url);
    // As the API shows them (read, as the user marked them), not as stored (unread, with the owner's id).
    expect(lines.filter((l) => l.type === 'notification').map((l) => l.data)).toEqual(listed);
  });

  it("exports the user's calendar feeds of each budget as GET .../calendar-feeds lists them (a viewer's too): never a URL or its secret's hash, never another member's", async () => {
    const [fay, gus] = [await signUp(s.t.app, 'export-fay'), await signUp(s.t.app, 'export-gus')];
    const api = as(s.t.app, fay);
    const own = await createBudget(s.t.app, fay, { name: 'Fay home' });
    const gussBudget = await createBudget(s.t.app, gus, { name: 'Gus flat' });
    await addMember(s.t.app, gus, gussBudget.id, fay, 'viewer');
    const feed = async (who: Actor, budgetId: string) => {
      const res = await as(s.t.app, who)('POST', `/v1/budgets/${budgetId}/calendar-feeds`, { body: {} });
      expect(res.status, res.text).toBe(201);
      return res.json as { id: string; url: string };
    };
    const [ownFeed, viewersFeed] = [await feed(fay, own.id), await feed(fay, gussBudget.id)];
    await feed(gus, gussBudget.id); // Gus's own: not Fay's data

    const start = await api('POST', '/v1/me/export');
    expect(start.status, start.text).toBe(202);
    const done = await finished(s, fay, start.headers.get('location')!);
    expect(done.status).toBe('succeeded');
    const lines = await download(done.download.url);
    const feedsOf = (budgetId: string) => lines.filter((l) => l.type === 'calendarFeed' && l.budgetId === budgetId).map((l) => l.data);
    const listed = async (budgetId: string) => (await api('GET', `/v1/budgets/${budgetId}/calendar-feeds`)).json.items;
    expect(feedsOf(own.id)).toEqual(await listed(own.id));
    expect(feedsOf(own.id).map((f: { id: string }) => f.id)).toEqual([ownFeed.id]);
    expect(feedsOf(gussBudget.id)).toEqual(await listed(gussBudget.id));
    expect(feedsOf(gussBudget.id).map((f: { id: string }) => f.id)).toEqual([viewersFeed.id]);
    // The feed's URL is the credential: shown once at its creation, never in the export.
    const text = JSON.stringify(lines);
    for (const f of [ownFeed, viewersFeed]) expect(text).not.toContain(new URL(f.url).pathname.split('/').at(-1)!.replace(/\.ics$/, ''));
    expect(text).not.toContain('secretHash');
    expect(lines.at(-1)!.type).toBe('end');
  });

  it("exports the receipts of an owner's or editor's budget as GET .../attachments lists them (the uploaded ones, never a URL); a viewer's budget gives none", async () => {
    const [ivy, jon] = [await signUp(s.t.app, 'export-ivy'), await signUp(s.t.app, 'export-jon')];
    const api = as(s.t.app, ivy);
    const own = await createBudget(s.t.app, ivy, { name: 'Ivy home' });
    const jonsBudget = await createBudget(s.t.app, jon, { name: 'Jon flat' });
    await addMember(s.t.app, jon, jonsBudget.id, ivy, 'viewer');
    const receipt = async (who: Actor, budgetId: string, expenseId: string, upload: boolean) => {
      const created = await as(s.t.app, who)('POST', `/v1/budgets/${budgetId}/expenses/${expenseId}/attachments`, { body: { contentType: 'image/png', size: 3, fileName: 'till.png' } });
      expect(created.status, created.text).toBe(201);
      if (upload) {
        const form = new FormData();
        for (const [k, v] of Object.entries(created.json.upload.fields as Record<string, string>)) form.append(k, v);
        form.append('file', new Blob([new Uint8Array([1, 2, 3])]), 'till.png');
        expect((await fetch(created.json.upload.url, { method: 'POST', body: form })).status).toBeLessThan(300);
      }
      return created.json as { id: string };
    };
    const first = await addExpense(s.t.app, ivy, own.id, { amount: 100, occurredOn: '2026-11-03' });
    const second = await addExpense(s.t.app, ivy, own.id, { amount: 200, occurredOn: '2026-11-04' });
    const uploaded = [await receipt(ivy, own.id, first.id, true), await receipt(ivy, own.id, second.id, true)];
    await receipt(ivy, own.id, second.id, false); // declared, never uploaded: no receipt
    const jons = await addExpense(s.t.app, jon, jonsBudget.id, { amount: 300, occurredOn: '2026-11-05' });
    await receipt(jon, jonsBudget.id, jons.id, true); // the household's, in a budget Ivy only views

    const start = await api('POST', '/v1/me/export');
    expect(start.status, start.text).toBe(202);
    const done = await finished(s, ivy, start.headers.get('location')!);
    expect(done.status).toBe('succeeded');
    const lines = await download(done.download.url);
    const exported = lines.filter((l) => l.type === 'attachment');
    expect(exported.map((l) => l.budgetId)).toEqual([own.id, own.id]);
    const listed = async (expenseId: string) =>
      ((await api('GET', `/v1/budgets/${own.id}/expenses/${expenseId}/attachments`)).json.items as Record<string, unknown>[])
        .filter((a) => a.status === 'uploaded')
        .map(({ download: _, ...shown }) => shown);
    expect(exported.map((l) => l.data)).toEqual([...(await listed(first.id)), ...(await listed(second.id))]);
    expect(exported.map((l) => l.data.id).sort()).toEqual(uploaded.map((a) => a.id).sort());
    expect(exported[0]!.data).toMatchObject({ expenseId: first.id, contentType: 'image/png', size: 3, fileName: 'till.png', createdBy: ivy.id });
    expect(JSON.stringify(exported)).not.toMatch(/https?:\/\//);
    expect(lines.at(-1)!.type).toBe('end');
  });

  it("exports an owner's or editor's restorable deleted expenses and income entries as GET .../deleted lists them (still held 30 days); a viewer's budget gives none", async () => {
    const [kim, lou] = [await signUp(s.t.app, 'export-kim'), await signUp(s.t.app, 'export-lou')];
    const api = as(s.t.app, kim);
    const own = await createBudget(s.t.app, kim, { name: 'Kim home' });
    const lousBudget = await createBudget(s.t.app, lou, { name: 'Lou flat' });
    await addMember(s.t.app, lou, lousBudget.id, kim, 'viewer');
    const binned = await addExpense(s.t.app, kim, own.id, { amount: 4_200, occurredOn: '2026-11-03', merchant: 'Deli' });
    const kept = await addExpense(s.t.app, kim, own.id, { amount: 100, occurredOn: '2026-11-04' });
    expect((await api('DELETE', `/v1/budgets/${own.id}/expenses/${binned.id}`)).status).toBe(204);
    const income = await api('POST', `/v1/budgets/${own.id}/income`, { body: { amount: 90_000, receivedOn: '2026-11-01', source: 'Payroll' } });
    expect(income.status, income.text).toBe(201);
    expect((await api('DELETE', `/v1/budgets/${own.id}/income/${income.json.id}`)).status).toBe(204);
    const lous = await addExpense(s.t.app, lou, lousBudget.id, { amount: 300, occurredOn: '2026-11-05' });
    expect((await as(s.t.app, lou)('DELETE', `/v1/budgets/${lousBudget.id}/expenses/${lous.id}`)).status).toBe(204);

    const start = await api('POST', '/v1/me/export');
    expect(start.status, start.text).toBe(202);
    const done = await finished(s, kim, start.headers.get('location')!);
    expect(done.status).toBe('succeeded');
    const lines = await download(done.download.url);
    const ofType = (type: string) => lines.filter((l) => l.type === type);
    expect(ofType('deletedExpense').map((l) => l.budgetId)).toEqual([own.id]);
    expect(ofType('deletedExpense').map((l) => l.data)).toEqual((await api('GET', `/v1/budgets/${own.id}/expenses/deleted`)).json.items);
    expect(ofType('deletedExpense')[0]!.data).toMatchObject({ id: binned.id, amount: 4_200, merchant: 'Deli', deletedBy: kim.id });
    expect(ofType('deletedIncome').map((l) => l.data)).toEqual((await api('GET', `/v1/budgets/${own.id}/income/deleted`)).json.items);
    expect(ofType('deletedIncome').map((l) => l.data.id)).toEqual([income.json.id]);
    // The live expense stays an `expense` line only.
    expect(ofType('expense').filter((l) => l.budgetId === own.id).map((l) => l.data.id)).toEqual([kept.id]);
    expect(lines.at(-1)!.type).toBe('end');
  });

  it("exports the account's two-factor sign-in as GET /v1/me/mfa shows it (on since when, recovery codes left): never its secret, seal or codes' hashes", async () => {
    const max = await signUp(s.t.app, 'export-max');
    const api = as(s.t.app, max);
    const enrol = await api('POST', '/v1/me/mfa/totp', { body: { password: max.password } });
    expect(enrol.status, enrol.text).toBe(201);
    const code = TOTP.generate({ secret: Secret.fromBase32(enrol.json.secret), timestamp: s.t.clock.now().getTime() });
    const confirm = await api('POST', '/v1/me/mfa/totp/confirm', { body: { code } });
    expect(confirm.status, confirm.text).toBe(200);

    const start = await api('POST', '/v1/me/export');
    expect(start.status, start.text).toBe(202);
    const done = await finished(s, max, start.headers.get('location')!);
    expect(done.status).toBe('succeeded');
    const lines = await download(done.download.url);
    const shown = (await api('GET', '/v1/me/mfa')).json;
    expect(shown).toMatchObject({ totp: 'on', recoveryCodesLeft: 10 });
    expect(lines.filter((l) => l.type === 'twoFactor').map((l) => l.data)).toEqual([shown]);
    const text = JSON.stringify(lines);
    expect(text).not.toContain(enrol.json.secret);
    for (const c of confirm.json.recoveryCodes as string[]) expect(text).not.toContain(c);
    expect(text).not.toMatch(/sealedSecret|recoveryHashes/);
    expect(lines.at(-1)!.type).toBe('end');
  });

  it('a unit out of time continues with `again` (many invocations) and still writes every expense once; the per-expense cost', async () => {
    const small = await createFanOutSystem({ concurrency: 2, unitBudgetMs: 1, expenses: { dataExport: { pageSize: PAGE } } });
    try {
      const eve = await signUp(small.t.app, 'export-eve');
      const b = await createBudget(small.t.app, eve);
      // Recorded directly (the CSV import's own units would also stop after each step here).
      const bodies = Array.from({ length: EXPENSES }, (_, n) => ({ amount: 100 + n, occurredOn: `2026-11-${String(1 + (n % 28)).padStart(2, '0')}` }));
      await seedExpenses({ t: small.t }, { id: b.id, currency: b.currency, categories: [] }, { id: eve.id, email: eve.email, token: eve.token }, bodies);
      small.deliveries.length = 0;
      const { result: start, sent } = await commandsSentDuring(small.t.doc, async () => {
        const res = await as(small.t.app, eve)('POST', '/v1/me/export');
        await small.queue.idle();
        return res;
      });
      expect(start.status, start.text).toBe(202);
      const done = await finished(small, eve, start.headers.get('location')!);
      expect(done.status).toBe('succeeded');
      // Each unit did one step per invocation: more deliveries than units (account, plan, budget, assemble).
      expect(small.deliveries.filter((d) => d.job === 'users-data-export').length).toBeGreaterThan(8);
      const lines = await download(done.download.url);
      const ids = lines.filter((l) => l.type === 'expense').map((l) => l.data.id as string);
      expect(ids).toHaveLength(EXPENSES);
      expect(new Set(ids).size).toBe(EXPENSES);
      // The DynamoDB requests of the whole export (docs/capacity.md): reads are a few per
      // expense page, writes a handful per export, not per expense.
      const reads = sent.filter((c) => /^(Get|BatchGet|Query)/.test(c.name)).length;
      const writes = sent.filter((c) => /^(Put|Update|Delete|TransactWrite|BatchWrite)/.test(c.name)).length;
      console.info(`data export of ${EXPENSES} expenses in pages of ${PAGE}: ${sent.length} DynamoDB requests (${reads} reads, ${writes} writes), ${small.deliveries.length} deliveries`);
      expect(writes).toBeLessThan(40);
    } finally {
      await small.t.destroy();
    }
  });

  it('a unit failing its last attempt fails the export: user.data_export_finished (failed) once, a data-export.failed notification', async () => {
    const ivy = await signUp(s.t.app, 'export-ivy');
    const api = as(s.t.app, ivy);
    // The assembly's storage call fails on every attempt (a fault DynamoDB Local and the local
    // storage cannot produce on their own); the retries run out and the export fails.
    const storage = s.t.system.storage;
    const concatenate = storage.concatenate;
    storage.concatenate = async () => {
      throw new Error('storage unavailable');
    };
    let location: string;
    try {
      const start = await api('POST', '/v1/me/export');
      expect(start.status, start.text).toBe(202);
      location = start.headers.get('location')!;
      expect((await finished(s, ivy, location)).status).toBe('failed');
    } finally {
      storage.concatenate = concatenate;
    }
    const exportId = location.split('/').at(-1)!;
    const events = (await outboxEvents(s.t, 'user.data_export_finished')).filter((e) => e.envelope.data.exportId === exportId);
    expect(events.map((e) => e.envelope.data)).toEqual([{ userId: ivy.id, exportId, status: 'failed' }]);
    await deliver(s.t, events[0]!, events[0]!);
    const inbox = (await api('GET', '/v1/notifications')).json.items;
    expect(inbox).toEqual([expect.objectContaining({ kind: 'data-export.failed', exportId, readAt: null })]);
    // No "ready" mail for it.
    expect(mail.filter((m) => m.to === ivy.email)).toEqual([]);
  });

  it('allows 5 exports a day: the 6th is a 429 with Retry-After until the next UTC day (its access line names the guard)', async () => {
    const kim = await signUp(s.t.app, 'export-kim');
    const api = as(s.t.app, kim);
    for (let i = 0; i < 5; i++) {
      const res = await api('POST', '/v1/me/export');
      expect(res.status, res.text).toBe(202);
      await finished(s, kim, res.headers.get('location')!);
    }
    log.clear();
    const sixth = await api('POST', '/v1/me/export', { headers: { 'x-request-id': 'export-sixth' } });
    expectProblem(sixth, 429);
    // The problem every 429 of the API is; which limit refused is the access line's `refusedBy`.
    expect(sixth.json).toMatchObject({ type: expect.stringMatching(/\/too-many-requests$/), detail: expect.stringContaining('5 exports a day') });
    const refusedLines = log.lines.map((l) => JSON.parse(l)).filter((l) => l.requestId === 'export-sixth');
    expect(refusedLines).toMatchObject([{ message: 'request refused', status: 429, path: '/v1/me/export', refusedBy: GUARDS.dataExportLimit }]);
    // The test clock reads 2026-11-24T12:00Z: 12 hours to the next UTC day.
    expect(Number(sixth.headers.get('retry-after'))).toBe(12 * 3600);
  });

  it('Idempotency-Key: a retried start is the same export, not a second one', async () => {
    const lea = await signUp(s.t.app, 'export-lea');
    const api = as(s.t.app, lea);
    const first = await api('POST', '/v1/me/export', { headers: { 'idempotency-key': 'export-once-1' } });
    expect(first.status, first.text).toBe(202);
    const again = await api('POST', '/v1/me/export', { headers: { 'idempotency-key': 'export-once-1' } });
    expect(again.status, again.text).toBe(202);
    expect(again.json.id).toBe(first.json.id);
    await s.queue.idle();
    expect((await api('GET', '/v1/me/exports')).json.items).toHaveLength(1);
  });

  it('account deletion removes the exports: items and objects', async () => {
    const max = await signUp(s.t.app, 'export-max');
    const api = as(s.t.app, max);
    await createBudget(s.t.app, max);
    const start = await api('POST', '/v1/me/export');
    const done = await finished(s, max, start.headers.get('location')!);
    expect(done.status).toBe('succeeded');
    expect((await fetch(done.download.url)).status).toBe(200);
    const before = (await itemsOfKind(s.t, 'data-export')).filter((i) => i.userId === max.id);
    expect(before).toHaveLength(1);

    expect((await api('DELETE', '/v1/me')).status).toBe(204);
    await s.queue.idle();
    expect((await itemsOfKind(s.t, 'data-export')).filter((i) => i.userId === max.id)).toEqual([]);
    expect((await itemsOfKind(s.t, 'data-export-gate')).filter((i) => i.pk.endsWith(max.id))).toEqual([]);
    // The document's object is gone (the URL handed out before now finds nothing).
    expect((await fetch(done.download.url)).status).toBe(404);
  });
});
