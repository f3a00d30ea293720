import type { EmailMessage } from '@budgeting/platform';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call } from '../../support/http';
import { uniqueEmail } from '../../support/actors';
import { createTestSystem, type TestSystem } from '../../support/test-system';
import { addMember, asUser, createBudget, deliver, outboxEvents, signup, tableItems, theEvent } from './support';

/**
 * user.email_changed and user.name_changed (budgets-on-users): the memberships of the account
 * keep a name and email snapshot for the members list; after a change each shows the account's
 * current values, in the account's own budget and in others'. The jobs run inline (no queue),
 * the mail recorded.
 */
let t: TestSystem;
const sent: EmailMessage[] = [];

beforeAll(async () => {
  t = await createTestSystem({ mail: { send: async (m) => void sent.push(m) } });
});
afterAll(() => t.destroy());

const CODE = /[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{43}/;

describe('user.email_changed', { timeout: 60_000 }, () => {
  it("sets the new address on every membership of the account, once; a redelivery changes nothing", async () => {
    const [alice, carol] = [await signup(t.app, 'alice'), await signup(t.app, 'carol')];
    const own = await createBudget(t.app, alice, { name: 'Mine' });
    const carols = await createBudget(t.app, carol, { name: "Carol's" });
    await addMember(t.app, carol, carols.id, alice, 'editor');

    const newEmail = uniqueEmail('alice-new');
    const requested = await asUser(t.app, alice)('POST', '/v1/me/email', { body: { newEmail, password: alice.password } });
    expect(requested.status, requested.text).toBe(202);
    const code = CODE.exec(sent.find((m) => m.to === newEmail)!.text)![0];
    const confirmed = await asUser(t.app, alice)('POST', '/v1/me/email/confirm', { body: { token: code } });
    expect(confirmed.status, confirmed.text).toBe(200);

    const emailOf = async (who: typeof alice, budgetId: string) =>
      (await asUser(t.app, who)('GET', `/v1/budgets/${budgetId}/members`)).json.items.find((m: { userId: string }) => m.userId === alice.id).email;
    // Until the event is delivered, the snapshots are the old address.
    expect(await emailOf(carol, carols.id)).toBe(alice.email);

    const event = await theEvent(t, 'user.email_changed', { userId: alice.id });
    await deliver(t, event);
    expect(await emailOf(carol, carols.id)).toBe(newEmail);
    expect(await emailOf(alice, own.id)).toBe(newEmail);

    const once = await tableItems(t.doc, t.tableName);
    await deliver(t, event);
    expect(await tableItems(t.doc, t.tableName)).toEqual(once);
    // The old address is on no membership any more.
    expect(JSON.stringify(once.filter((i) => String(i.pk).startsWith('budgets#')))).not.toContain(alice.email);
    expect((await call(t.app, 'POST', '/v1/auth/login', { body: { email: newEmail, password: alice.password } })).status).toBe(200);
  });

  it('a rename reaches every membership (a cleared name clears it); a timezone-only patch publishes nothing; a stale If-Match writes and publishes nothing', async () => {
    const [alice, carol] = [await signup(t.app, 'alice'), await signup(t.app, 'carol')];
    const own = await createBudget(t.app, alice, { name: 'Mine' });
    const carols = await createBudget(t.app, carol, { name: "Carol's" });
    await addMember(t.app, carol, carols.id, alice, 'editor');
    const me = asUser(t.app, alice);
    const nameOf = async (who: typeof alice, budgetId: string) =>
      (await asUser(t.app, who)('GET', `/v1/budgets/${budgetId}/members`)).json.items.find((m: { userId: string }) => m.userId === alice.id).name;
    const renames = async () => (await outboxEvents(t, 'user.name_changed')).filter((e) => e.envelope.data.userId === alice.id);

    const renamed = await me('PATCH', '/v1/me', { body: { name: 'Alice Liddell' } });
    expect(renamed.status, renamed.text).toBe(200);
    const before = await nameOf(carol, carols.id);
    expect(before).not.toBe('Alice Liddell');
    await deliver(t, await theEvent(t, 'user.name_changed', { userId: alice.id }));
    expect(await nameOf(carol, carols.id)).toBe('Alice Liddell');
    expect(await nameOf(alice, own.id)).toBe('Alice Liddell');

    // Only the timezone: no event (the update stays a single conditional write).
    const zoned = await me('PATCH', '/v1/me', { body: { timezone: 'Europe/Paris' } });
    expect(zoned.status, zoned.text).toBe(200);
    expect(await renames()).toHaveLength(1);

    // A stale If-Match: 412, nothing written, no event.
    const items = await tableItems(t.doc, t.tableName);
    const stale = await me('PATCH', '/v1/me', { body: { name: 'Stale' }, headers: { 'if-match': '"1"' } });
    expect(stale.status, stale.text).toBe(412);
    expect(await tableItems(t.doc, t.tableName)).toEqual(items);

    // A cleared name (with the current version) clears the snapshots.
    const cleared = await me('PATCH', '/v1/me', { body: { name: null }, headers: { 'if-match': zoned.headers.get('etag')! } });
    expect(cleared.status, cleared.text).toBe(200);
    const events = await renames();
    expect(events).toHaveLength(2);
    await deliver(t, events[1]!);
    expect(await nameOf(carol, carols.id)).toBeNull();
    expect(await nameOf(alice, own.id)).toBeNull();
  });
});
