import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { budgetDeleted, budgetMemberRemoved } from '@budgeting/budgets';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addExpense, addMember, asUser, createBudget, signup, tableItems } from '../integration/subscribers/support';
import { withoutClosedMarkers } from '../support/closed-budgets';
import { startE2eSystem, type E2eSystem } from './support';

/**
 * Retention, by a scan of the WHOLE table and of the storage stand-in (the S3 bucket's folder)
 * after the system settled, as `npm start` runs it: after DELETE /v1/me nothing names the
 * account (its id or either email, in any attribute, string sets included) but what the docs
 * keep, and why (packages/users/docs/account-deletion.md "Every item of an account"); after a
 * budget's DELETE nothing names the budget but its closed markers and what expires by itself.
 * Every leftover that should expire carries the table's TTL attribute in epoch SECONDS within
 * its documented duration. The user uses (nearly) every feature first, as owner of a budget of
 * their own and editor of someone else's.
 */
let e2e: E2eSystem;
const storageDir = mkdtempSync(join(tmpdir(), 'leftovers-storage-'));
const DAY = 86_400;

beforeAll(async () => {
  e2e = await startE2eSystem([budgetDeleted, budgetMemberRemoved], {
    env: {
      PUSH_DIR: mkdtempSync(join(tmpdir(), 'leftovers-push-')),
      MAIL_DIR: mkdtempSync(join(tmpdir(), 'leftovers-mail-')),
      ATTACHMENTS_DIR: storageDir,
      WEBHOOK_ALLOW_LOCAL_URLS: 'true',
    },
  });
});
afterAll(() => e2e?.stop());

/** An item as text, string sets included (JSON.stringify writes a Set as {}). */
const text = (item: unknown) => JSON.stringify(item, (_k, v) => (v instanceof Set ? [...v] : v)).toLowerCase();
const storedFiles = () => execFileSync('find', [storageDir, '-type', 'f'], { encoding: 'utf8' }).split('\n').filter(Boolean);
const nowSeconds = () => Math.floor(e2e.t.clock.now().getTime() / 1000);

function succeeded<R extends { status: number; text: string }>(res: R): R {
  expect(res.status, res.text).toBeLessThan(300);
  return res;
}

/** A receipt declared on the expense and uploaded through its ticket. */
async function receipt(call: ReturnType<typeof asUser>, budgetId: string, expenseId: string) {
  const declared = succeeded(await call('POST', `/v1/budgets/${budgetId}/expenses/${expenseId}/attachments`, { body: { contentType: 'image/png', size: 3 } }));
  const form = new FormData();
  for (const [k, v] of Object.entries(declared.json.upload.fields as Record<string, string>)) form.append(k, v);
  form.append('file', new Blob([new Uint8Array([1, 2, 3])]), 'r.png');
  expect((await fetch(declared.json.upload.url, { method: 'POST', body: form })).status).toBeLessThan(300);
}

/** Leftovers that expire by themselves: kind -> the longest documented lifetime from now, in seconds. */
const EXPIRING: Record<string, number> = {
  outbox: DAY, // OUTBOX_RETENTION_SECONDS: the relay's input (account-deletion.md, "app: outbox events and job units")
  'job-unit': DAY,
  activity: 90 * DAY, // the budget's log keeps a former member's entries, the name then null
  'expense-change': 90 * DAY, // the delta sync's change log
  'expense-deleted': 30 * DAY, // the restorable copy (deletedBy)
  'bulk-undo': DAY,
  'password-reset': 30 * 60, // minutes (account-deletion.md "MFA challenge, password reset")
  watchers: 30 * DAY, // a hint naming user ids (account-deletion.md "budget watch pins")
  notification: 180 * DAY, // another member's own notifications about the deleted budget
  'alert-guard': 180 * DAY,
};

/**
 * Leftovers kept for good in a budget someone else owns: the household's data, which names its
 * author as the comments do (account-deletion.md "comments on other people's budgets ... stay").
 */
const HOUSEHOLD = new Set(['expense', 'income', 'recurring-expense', 'recurring-income', 'import-profile', 'attachment', 'comment', 'comment-count', 'settlement', 'duplicate-dismissed']);

function expectExpiring(item: Record<string, any>) {
  const most = EXPIRING[item.kind];
  expect(most, `${item.kind} ${item.pk} ${item.sk} is not documented as a leftover`).toBeDefined();
  // Epoch seconds (a value in ms would be ~1000 times larger), within its documented lifetime.
  expect(typeof item.expiresAt, `${item.kind} has no TTL`).toBe('number');
  expect(item.expiresAt - nowSeconds(), `${item.kind} ${item.pk}`).toBeGreaterThan(0);
  expect(item.expiresAt - nowSeconds(), `${item.kind} ${item.pk}`).toBeLessThanOrEqual(most!);
}

describe('leftovers, by a scan of everything', { timeout: 300_000 }, () => {
  it('DELETE /v1/me: nothing names the account but the household data of budgets others own and what expires', async () => {
    const { t } = e2e;
    const [alice, carol] = [await signup(t.app, 'alice'), await signup(t.app, 'carol')];
    const a = asUser(t.app, alice);
    const home = await createBudget(t.app, alice, { name: 'Home', limit: 1_000, categories: [{ name: 'Food', limit: 300 }] });
    const old = await createBudget(t.app, alice, { name: 'Old' });
    const shared = await createBudget(t.app, carol, { name: "Carol's", categories: [{ name: 'Fun' }] });
    await addMember(t.app, carol, shared.id, alice, 'editor');
    const mine = await addExpense(t.app, alice, home.id, { amount: 900, occurredOn: '2026-11-02', merchant: 'Shop' });
    const [e1, e2, e3] = [
      await addExpense(t.app, alice, shared.id, { amount: 600, occurredOn: '2026-11-05', merchant: 'Cinema' }),
      await addExpense(t.app, alice, shared.id, { amount: 601, occurredOn: '2026-11-06', merchant: 'Cinema' }),
      await addExpense(t.app, alice, shared.id, { amount: 602, occurredOn: '2026-11-07', merchant: 'Bar' }),
    ];
    await addExpense(t.app, alice, old.id, { amount: 5, occurredOn: '2026-11-02' });
    await receipt(a, home.id, mine.id);
    await receipt(a, shared.id, e1.id);
    succeeded(await a('POST', `/v1/budgets/${shared.id}/expenses/${e1.id}/comments`, { body: { text: 'mine' } }));
    succeeded(await a('POST', `/v1/budgets/${home.id}/rules`, { body: { merchant: { equals: 'shop' }, categoryId: home.categories[0]!.id } }));
    succeeded(await a('POST', `/v1/budgets/${shared.id}/import-profiles`, { body: { name: 'Alice bank', mapping: { dateColumn: 'Booked' } } }));
    succeeded(await a('POST', `/v1/budgets/${shared.id}/income`, { body: { amount: 5000, receivedOn: '2026-11-03', source: 'Job' } }));
    succeeded(await a('POST', `/v1/budgets/${shared.id}/recurring-income`, { body: { amount: 5000, source: 'Job', schedule: { frequency: 'monthly', startsOn: '2026-12-15' } } }));
    succeeded(await a('POST', `/v1/budgets/${shared.id}/recurring-expenses`, { body: { amount: 100, schedule: { frequency: 'monthly', interval: 1, startsOn: '2026-12-01' } } }));
    succeeded(await a('POST', `/v1/budgets/${shared.id}/settlements`, { body: { fromUserId: alice.id, toUserId: carol.id, amount: 100, paidOn: '2026-11-10' } }));
    succeeded(await a('POST', `/v1/budgets/${shared.id}/calendar-feeds`, { body: {} }));
    succeeded(await a('POST', `/v1/budgets/${home.id}/calendar-feeds`, { body: {} }));
    succeeded(await a('POST', `/v1/budgets/${shared.id}/expenses/duplicates/dismiss`, { body: { expenseIds: [e1.id, e2.id] } }));
    succeeded(await a('POST', `/v1/budgets/${shared.id}/expenses/bulk`, { body: { expenseIds: [e2.id], action: { type: 'addTags', tags: ['x'] } } }));
    succeeded(await a('DELETE', `/v1/budgets/${shared.id}/expenses/${e3.id}`));
    succeeded(await a('POST', `/v1/budgets/${shared.id}/reports`, { body: { date: '2026-10-15' } }));
    succeeded(await a('POST', `/v1/budgets/${home.id}/invitations`, { body: { email: 'friend@example.com', role: 'viewer' } }));
    succeeded(await a('POST', '/v1/me/devices', { body: { platform: 'fcm', token: 'alices-phone-token' } }));
    succeeded(await a('POST', '/v1/me/tokens', { body: { name: 'cli', scope: 'read' } }));
    const hook = succeeded(await a('POST', '/v1/webhooks', { body: { url: 'http://127.0.0.1:9/alice', budgetIds: [shared.id] } }));
    succeeded(await a('POST', `/v1/webhooks/${hook.json.id}/ping`));
    succeeded(await a('PATCH', '/v1/me', { body: { name: 'Alice A' } }));
    succeeded(await a('POST', '/v1/me/export'));
    succeeded(await a('POST', '/v1/me/email', { body: { newEmail: 'alice-new@example.com', password: alice.password } }));
    succeeded(await a('POST', '/v1/notifications/read-all'));
    succeeded(await a('POST', `/v1/budgets/${old.id}/archive`));
    succeeded(await asUser(t.app, { token: '' })('POST', '/v1/auth/password-reset', { body: { email: alice.email } }));
    await addExpense(t.app, carol, shared.id, { amount: 7, occurredOn: '2026-11-09' }); // a webhook delivery for alice
    await e2e.settled();
    expect(storedFiles().some((f) => f.includes(`/exports/${alice.id}/`))).toBe(true);

    succeeded(await a('DELETE', '/v1/me'));
    await e2e.settled();

    const names = [alice.id, alice.email, 'alice-new@example.com', home.id, old.id].map((n) => n.toLowerCase());
    const left = withoutClosedMarkers((await tableItems(t.doc, t.tableName)).filter((i) => names.some((n) => text(i).includes(n))));
    for (const item of left) {
      // Nothing of her own budgets went on but the relay's input (their budget.deleted events, the cleanups' units).
      const ofHerBudgets = [home.id, old.id].some((id) => text(item).includes(id.toLowerCase()));
      if (ofHerBudgets) expect(['outbox', 'job-unit'], `${item.kind} ${item.pk} ${item.sk}`).toContain(item.kind);
      // Her email only in the relay's input (user.registered), which expires within the day.
      if (text(item).includes(alice.email.toLowerCase()) || text(item).includes('alice-new@example.com')) expect(['outbox', 'password-reset']).toContain(item.kind);
      if (HOUSEHOLD.has(item.kind)) expect(String(item.pk), `${item.kind}`).toContain(shared.id);
      else expectExpiring(item);
    }
    // What stays for good is the household's, in Carol's budget: never an item of her own account.
    expect([...new Set(left.filter((i) => HOUSEHOLD.has(i.kind)).map((i) => i.kind))].sort()).toEqual([...HOUSEHOLD].sort());
    // The storage: her export's objects and her own budgets' receipts gone; her receipt on Carol's expense stays with it.
    const files = storedFiles();
    expect(files.filter((f) => f.includes(`/exports/${alice.id}/`) || f.includes(`/budgets/${home.id}/`) || f.includes(`/budgets/${old.id}/`))).toEqual([]);
    expect(files.filter((f) => f.includes(`/budgets/${shared.id}/expenses/${e1.id}/`)).length).toBeGreaterThan(0);
  });

  it("a budget's DELETE: nothing names it but its closed markers and what expires (the members' own notifications)", async () => {
    const { t } = e2e;
    const [owner, editor, gone] = [await signup(t.app, 'owner'), await signup(t.app, 'editor'), await signup(t.app, 'gone')];
    const o = asUser(t.app, owner);
    const b = await createBudget(t.app, owner, { name: 'Doomed', limit: 1_000, paceAlerts: true, categories: [{ name: 'Fun', limit: 100 }, { name: 'Rent', limit: 100 }] });
    const [fun, rent] = [b.categories[0]!.id, b.categories[1]!.id];
    const base = `/v1/budgets/${b.id}`;
    await addMember(t.app, owner, b.id, editor, 'editor');
    await addMember(t.app, owner, b.id, gone, 'viewer');
    succeeded(await o('DELETE', `${base}/members/${gone.id}`)); // a former member's record
    const e1 = await addExpense(t.app, editor, b.id, { amount: 600, occurredOn: '2026-11-05', merchant: 'Cinema', categoryId: fun });
    const e2 = await addExpense(t.app, owner, b.id, { amount: 601, occurredOn: '2026-11-06', merchant: 'Cinema' });
    const e3 = await addExpense(t.app, owner, b.id, { amount: 602, occurredOn: '2026-11-07', merchant: 'Bar' });
    await receipt(asUser(t.app, editor), b.id, e1.id);
    succeeded(await asUser(t.app, editor)('POST', `${base}/expenses/${e1.id}/comments`, { body: { text: 'hi' } }));
    succeeded(await asUser(t.app, editor)('POST', `${base}/calendar-feeds`, { body: {} }));
    succeeded(await o('POST', `${base}/rules`, { body: { merchant: { equals: 'cinema' }, categoryId: fun } }));
    succeeded(await o('POST', `${base}/import-profiles`, { body: { name: 'Bank', mapping: { dateColumn: 'Booked' } } }));
    const income = succeeded(await o('POST', `${base}/income`, { body: { amount: 5000, receivedOn: '2026-11-03', source: 'Job' } }));
    succeeded(await o('DELETE', `${base}/income/${income.json.id}`));
    succeeded(await o('POST', `${base}/recurring-income`, { body: { amount: 5000, source: 'Job', schedule: { frequency: 'monthly', startsOn: '2026-11-15' } } }));
    succeeded(await o('POST', `${base}/recurring-expenses`, { body: { amount: 100, schedule: { frequency: 'monthly', interval: 1, startsOn: '2026-11-01' } } }));
    succeeded(await o('POST', `${base}/settlements`, { body: { fromUserId: editor.id, toUserId: owner.id, amount: 100, paidOn: '2026-11-10' } }));
    succeeded(await o('POST', `${base}/merchants/rename`, { body: { from: ['Bar'], to: 'Pub', remember: true } }));
    succeeded(await o('POST', `${base}/expenses/duplicates/dismiss`, { body: { expenseIds: [e1.id, e2.id] } }));
    succeeded(await o('POST', `${base}/expenses/bulk`, { body: { expenseIds: [e2.id], action: { type: 'addTags', tags: ['x'] } } }));
    succeeded(await o('DELETE', `${base}/expenses/${e3.id}`));
    succeeded(await o('POST', `${base}/reports`, { body: { date: '2026-10-15' } }));
    succeeded(await o('POST', `${base}/invitations`, { body: { email: 'other@example.com', role: 'viewer' } }));
    succeeded(await o('POST', `${base}/move-money`, { body: { from: fun, to: rent, amount: 10 } }));
    succeeded(await o('PUT', `${base}/period-limits`, { body: { categoryId: rent, limit: 50, date: '2026-11-05' } }));
    const csv = 'date,amount,category,description,merchant\n2026-11-09,1.23,,lunch,Deli\n';
    const imported = succeeded(await o('POST', `${base}/expenses/import`, { rawBody: csv, headers: { 'content-type': 'text/csv', prefer: 'wait=25' } }));
    await e2e.settled();
    succeeded(await o('POST', `${base}/imports/${imported.json.id}/undo`, { headers: { prefer: 'wait=25' } }));
    succeeded(await o('POST', `${base}/archive`)); // deleted while archived
    await e2e.settled();
    expect(storedFiles().some((f) => f.includes(`/budgets/${b.id}/`))).toBe(true);

    succeeded(await o('DELETE', base));
    await e2e.settled();

    const left = withoutClosedMarkers((await tableItems(t.doc, t.tableName)).filter((i) => text(i).includes(b.id.toLowerCase())));
    for (const item of left) {
      if (['outbox', 'job-unit'].includes(item.kind)) expectExpiring(item);
      else {
        // The members' own notifications about it (budgetName null from now on), each with its guard.
        expect(['notification', 'alert-guard'], `${item.kind} ${item.pk} ${item.sk}`).toContain(item.kind);
        expect(String(item.pk)).toMatch(/^notifications#user#/);
        expectExpiring(item);
      }
    }
    expect(storedFiles().filter((f) => f.includes(`/budgets/${b.id}/`))).toEqual([]);
  });
});
