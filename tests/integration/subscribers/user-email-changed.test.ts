import type { EmailMessage } from '@budgeting/platform';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call } from '../../support/http';
import { uniqueEmail } from '../../support/actors';
import { createTestSystem, type TestSystem } from '../../support/test-system';
import { addMember, asUser, createBudget, deliver, signup, tableItems, theEvent } from './support';

/**
 * user.email_changed (budgets-on-users): the memberships of the account keep an email snapshot
 * for the members list; after the change each shows the new address, in the account's own
 * budget and in others'. The mail job runs inline (no queue), its mail recorded.
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
});
