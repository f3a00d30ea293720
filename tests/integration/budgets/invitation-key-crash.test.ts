import { fixedClock, type EmailMessage } from '@budgeting/platform';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appKeys } from '../../support/app-keys';
import { crashAfterCommit } from '../../support/crash-after-commit';
import { createTestSystem, type TestSystem } from '../../support/test-system';
import { as, createBudget, signup, type Account } from './helpers';

/**
 * A keyed invitation accept whose answer was lost: the process died right after its transaction
 * committed (tests/support/crash-after-commit.ts). The accept deletes the invitation and adds the
 * membership, so a retry that ran again once the lease was over found the invitation used and
 * answered 404 (not the 409 "already a member" once assumed); its key is completed with the 201 INSIDE the accept's transaction (platform
 * keyCompletion, as the member add's, keyed-write-crash.test.ts), so the retry replays it.
 */
const clock = fixedClock('2026-11-24T12:00:00Z');
const sent: EmailMessage[] = [];
let t: TestSystem;
let owner: Account;
let sam: Account;
let crash: ReturnType<typeof crashAfterCommit>;
beforeAll(async () => {
  t = await createTestSystem({ clock, mail: { send: async (m) => void sent.push(m) } });
  crash = crashAfterCommit(t.doc);
  owner = await signup(t.app, 'owner');
  sam = await signup(t.app, 'sam');
});
afterAll(() => t.destroy());

const TOKEN = /[A-Za-z0-9_-]{1,64}\.[A-Za-z0-9_-]{1,64}\.[A-Za-z0-9_-]{43}/;

describe('a keyed invitation accept whose answer was lost (crash after the commit)', () => {
  it('retried once the lease ran out: the first 201 (member, Location), a member once', async () => {
    const budgetId = (await createBudget(t.app, owner)).id;
    const invited = await as(t.app, owner)('POST', `/v1/budgets/${budgetId}/invitations`, { body: { email: sam.email, role: 'viewer' } });
    expect(invited.status, invited.text).toBe(201);
    const code = sent.filter((m) => m.to === sam.email).at(-1)!.text.match(TOKEN)![0];
    const key = appKeys(clock)('accept');
    const accept = () => as(t.app, sam)('POST', '/v1/invitations/accept', { body: { token: code }, headers: { 'idempotency-key': key } });

    const lost = await crash.during(accept);
    expect(lost.status).toBeGreaterThanOrEqual(500); // the client never got its answer
    const members = `/v1/budgets/${budgetId}/members`;
    const joined = ((await as(t.app, owner)('GET', members)).json.items as { userId: string; role: string; addedAt: string }[]).find((m) => m.userId === sam.id);
    expect(joined?.role).toBe('viewer');

    clock.advance(61_000);
    const retry = await accept();
    expect(retry.status, retry.text).toBe(201);
    expect(retry.json).toEqual({ budgetId, userId: sam.id, role: 'viewer', addedAt: joined!.addedAt });
    expect(retry.headers.get('location')).toBe(`${members}/${sam.id}`);
    expect((await as(t.app, owner)('GET', members)).json.items).toHaveLength(2);
  });
});
