import { fixedClock, type EmailMessage } from '@budgeting/platform';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appKeys } from '../../support/app-keys';
import { itemsUnder } from '../../support/events';
import { crashAfterCommit } from '../../support/crash-after-commit';
import { relayStreamOnce } from '../../support/stream-relay-once';
import { createTestSystem, type TestSystem } from '../../support/test-system';
import { as, createBudget, signup, type Account } from './helpers';

/**
 * A keyed invite whose process died right after the invitation's transaction committed. The
 * mail's job unit is an item of that transaction (packages/budgets/docs/members.md "Invitations"), carried to the work
 * queue by the table stream's relay, and the key is completed in it too. So, with no retry at
 * all, the relay that runs after the crash (the local stream poller, the same relay code the
 * Lambda's stream trigger runs) still queues the unit and the mail arrives; and a retry of the
 * same key replays the committed answer without a second mail. Before (stop 54) the unit was
 * queued after the commit: the crash lost the mail unless the client retried.
 */
const clock = fixedClock('2026-11-24T12:00:00Z');
const sent: EmailMessage[] = [];
let t: TestSystem;
let owner: Account;
let crash: ReturnType<typeof crashAfterCommit>;
beforeAll(async () => {
  t = await createTestSystem({ stream: true, clock, mail: { send: async (m) => void sent.push(m) } });
  crash = crashAfterCommit(t.doc);
  owner = await signup(t.app, 'owner');
});
afterAll(() => t.destroy());

const TOKEN = /[A-Za-z0-9_-]{1,64}\.[A-Za-z0-9_-]{1,64}\.[A-Za-z0-9_-]{43}/;
const mailsTo = (to: string) => sent.filter((m) => m.to === to);

async function invitedBy(key: string, email: string) {
  const budgetId = (await createBudget(t.app, owner)).id;
  const path = `/v1/budgets/${budgetId}/invitations`;
  const invite = () => as(t.app, owner)('POST', path, { body: { email, role: 'viewer' }, headers: { 'idempotency-key': key } });
  const listed = async () => (await as(t.app, owner)('GET', path)).json.items as { id: string }[];
  return { path, invite, listed };
}

const relayOnce = () => relayStreamOnce(t);

describe('a keyed invite whose process died right after its commit', { timeout: 120_000 }, () => {
  it('no retry: the stream relay still queues its mail; the retry replays the answer and mails nothing more', async () => {
    const { path, invite, listed } = await invitedBy(appKeys(clock)('crashed'), 'kai@example.com');
    const lost = await crash.during(invite);
    expect(lost.status).toBeGreaterThanOrEqual(500); // the client never got its answer
    const written = await listed();
    expect(written).toHaveLength(1); // ... but the invitation is in
    expect(mailsTo('kai@example.com')).toHaveLength(0); // and nothing ran after the commit
    // The unit committed with it: under the module's own prefix, nothing secret, gone with the stream's records.
    const units = await itemsUnder(t, 'budgets#unit#');
    expect(units.map((u) => ({ kind: u.kind, job: u.job, keys: Object.keys(JSON.parse(u.unit)).sort(), ttl: u.expiresAt - Date.parse(u.tick) / 1000 }))).toEqual([
      { kind: 'job-unit', job: 'budgets-invitation-mail', keys: ['budgetId', 'emailKey', 'nonce'], ttl: 24 * 60 * 60 },
    ]);

    await relayOnce();
    expect(mailsTo('kai@example.com')).toHaveLength(1);
    const code = mailsTo('kai@example.com')[0]!.text.match(TOKEN)![0];
    expect(code.startsWith(`${path.split('/')[3]}.${written[0]!.id}.`)).toBe(true);

    clock.advance(61_000);
    const retry = await invite();
    expect(retry.status, retry.text).toBe(201);
    expect(retry.headers.get('idempotent-replayed')).toBe('true'); // completed in the invitation's transaction
    expect(retry.json).toEqual(written[0]);
    expect(retry.headers.get('location')).toBe(`${path}/${written[0]!.id}`);
    expect(mailsTo('kai@example.com')).toHaveLength(1);
    expect(await listed()).toEqual(written);

    // The code mailed opens the invitation.
    const kai = await signup(t.app, 'kai');
    const accepted = await as(t.app, kai)('POST', '/v1/invitations/accept', { body: { token: code } });
    expect(accepted.status, accepted.text).toBe(201);
  });

  it('a re-invite (no key) that died right after its commit: the relay mails its new code, the old one stops working', async () => {
    const { path, listed } = await invitedBy(appKeys(clock)('unused'), 'lea@example.com');
    const first = await as(t.app, owner)('POST', path, { body: { email: 'lea@example.com', role: 'viewer' } });
    expect(first.status, first.text).toBe(201);
    const [oldCode] = mailsTo('lea@example.com').map((m) => m.text.match(TOKEN)![0]); // relayed inline (the test system's stand-in of the stream)

    clock.advance(1_000);
    const lost = await crash.during(() => as(t.app, owner)('POST', path, { body: { email: 'lea@example.com', role: 'editor' } }));
    expect(lost.status).toBeGreaterThanOrEqual(500);
    expect((await listed()).map((i) => ({ id: i.id, role: (i as { role?: string }).role }))).toEqual([{ id: first.json.id, role: 'editor' }]);
    expect(mailsTo('lea@example.com')).toHaveLength(1);

    await relayOnce(); // reads the whole stream again: earlier units are mailed again (at least once), the re-invite's once more
    const codes = [...new Set(mailsTo('lea@example.com').map((m) => m.text.match(TOKEN)![0]))];
    expect(codes).toHaveLength(2);
    const newCode = codes.find((c) => c !== oldCode)!;
    const lea = await signup(t.app, 'lea');
    expect((await as(t.app, lea)('POST', '/v1/invitations/accept', { body: { token: oldCode } })).status).toBe(404);
    const accepted = await as(t.app, lea)('POST', '/v1/invitations/accept', { body: { token: newCode } });
    expect(accepted.status, accepted.text).toBe(201);
    expect(accepted.json.role).toBe('editor');
  });
});
