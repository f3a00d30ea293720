import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { createHash } from 'node:crypto';
import type { EmailMessage } from '@budgeting/platform';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deliver, itemsUnder, outboxEvents, theEvent } from '../../support/events';
import { captureLogLines, type LogCapture } from '../../support/log-lines';
import { createTestSystem, type TestSystem } from '../../support/test-system';
import { addMember, as, createBudget, expectProblem, signup, type Account } from './helpers';
import { signUp } from '../../support/actors';
import { withArchiveFlicker } from '../../support/archive-flicker';
import { withCommandMiddleware } from '../../support/command-middleware';

/**
 * Budget invitations over HTTP on DynamoDB Local: the mail job runs inline (no queue in
 * tests) and its mail is recorded, so a test reads the code as the invitee would.
 */
let t: TestSystem;
let log: LogCapture;
const sent: EmailMessage[] = [];
let owner: Account;
let sam: Account;
let kim: Account;
const START = '2026-11-24T12:00:00Z';

beforeAll(async () => {
  t = await createTestSystem({ env: { LOG_LEVEL: 'DEBUG' }, mail: { send: async (m) => void sent.push(m) } });
  log = captureLogLines();
  owner = await signup(t.app, 'owner');
  sam = await signup(t.app, 'sam');
  kim = await signup(t.app, 'kim');
});
afterAll(async () => {
  log.restore();
  await t.destroy();
});

const TOKEN = /[A-Za-z0-9_-]{1,64}\.[A-Za-z0-9_-]{1,64}\.[A-Za-z0-9_-]{43}/g;
const clock = () => t.clock as unknown as { set(d: string): void; advance(ms: number): void };

/** Every code mailed to `to` so far, oldest first (text and HTML parts must carry the same one). */
function codesMailedTo(to: string): string[] {
  return sent
    .filter((m) => m.to === to)
    .map((m) => {
      const code = m.text.match(TOKEN)![0];
      expect(m.html).toContain(code);
      return code;
    });
}
const lastCodeFor = (to: string) => codesMailedTo(to).at(-1)!;

const invite = (who: Account, budgetId: string, email: string, role = 'editor', headers: Record<string, string> = {}) =>
  as(t.app, who)('POST', `/v1/budgets/${budgetId}/invitations`, { body: { email, role }, headers });
const accept = (who: Pick<Account, 'token'>, token: string) => as(t.app, who)('POST', '/v1/invitations/accept', { body: { token } });
const pending = async (budgetId: string) => {
  const res = await as(t.app, owner)('GET', `/v1/budgets/${budgetId}/invitations`);
  expect(res.status, res.text).toBe(200);
  return res.json.items as { id: string; email: string; role: string }[];
};

describe('inviting and accepting', () => {
  it('invites an email with no account; they sign up with it and accept: a member with the role, the budget in their list', async () => {
    const budget = await createBudget(t.app, owner);
    const email = `Newcomer-${Date.now()}@Example.com`;
    const res = await invite(owner, budget.id, ` ${email} `, 'viewer');
    expect(res.status, res.text).toBe(201);
    expect(res.json).toEqual({
      id: expect.any(String),
      email: email.toLowerCase(),
      role: 'viewer',
      status: 'pending',
      createdAt: '2026-11-24T12:00:00.000Z',
      expiresAt: '2026-12-01T12:00:00.000Z',
    });
    expect(res.headers.get('location')).toBe(`/v1/budgets/${budget.id}/invitations/${res.json.id}`);
    const [mail] = sent.filter((m) => m.to === email.toLowerCase());
    expect(mail!.subject).toBe('Join the budget "Household"');
    expect(mail!.text).toContain('as a viewer');
    const code = lastCodeFor(email.toLowerCase());
    expect(code.startsWith(`${budget.id}.${res.json.id}.`)).toBe(true);

    const newcomer = await signUp(t.app, 'newcomer', { email: email.toLowerCase(), name: 'Newcomer' });
    const accepted = await accept(newcomer, code);
    expect(accepted.status, accepted.text).toBe(201);
    expect(accepted.json).toEqual({ budgetId: budget.id, userId: newcomer.id, role: 'viewer', addedAt: expect.any(String) });
    expect(accepted.headers.get('location')).toBe(`/v1/budgets/${budget.id}/members/${newcomer.id}`);
    // The Location names the new membership, readable by the member and the owner.
    for (const who of [newcomer, owner]) {
      const membership = await as(t.app, who)('GET', accepted.headers.get('location')!);
      expect(membership.status, membership.text).toBe(200);
      expect(membership.json).toMatchObject({ userId: newcomer.id, role: 'viewer', addedAt: accepted.json.addedAt });
    }

    const seen = await as(t.app, newcomer)('GET', `/v1/budgets/${budget.id}`);
    expect(seen.status).toBe(200);
    expect(seen.json.role).toBe('viewer');
    const mine = await as(t.app, newcomer)('GET', '/v1/budgets');
    expect(mine.json.items.map((b: { id: string; role: string }) => [b.id, b.role])).toContainEqual([budget.id, 'viewer']);
    const members = await as(t.app, owner)('GET', `/v1/budgets/${budget.id}/members`);
    expect(members.json.items).toContainEqual(expect.objectContaining({ userId: newcomer.id, role: 'viewer', email: newcomer.email, name: 'Newcomer' }));
    // The same event as POST members, added by the owner who invited.
    await theEvent(t, 'budget.member_added', { budgetId: budget.id, userId: newcomer.id, role: 'viewer', addedBy: owner.id });
    // Consumed: gone from the list, and a second accept (anyone's) opens nothing.
    expect(await pending(budget.id)).toEqual([]);
    expectProblem(await accept(newcomer, code), 404, ['token']);
    expectProblem(await accept(kim, code), 404, ['token']);
  });

  it('answers an existing account exactly as an unknown email (no enumeration), and the account accepts', async () => {
    const budget = await createBudget(t.app, owner);
    const known = await invite(owner, budget.id, sam.email, 'editor');
    const unknown = await invite(owner, budget.id, `nobody-${Date.now()}@example.com`, 'editor');
    expect(known.status).toBe(201);
    expect(unknown.status).toBe(201);
    expect(Object.keys(known.json).sort()).toEqual(Object.keys(unknown.json).sort());
    expect({ ...known.json, id: 'x', email: 'x' }).toEqual({ ...unknown.json, id: 'x', email: 'x' });

    const res = await accept(sam, lastCodeFor(sam.email));
    expect(res.status, res.text).toBe(201);
    expect((await as(t.app, sam)('GET', `/v1/budgets/${budget.id}`)).json.role).toBe('editor');
    expect((await pending(budget.id)).map((i) => i.email)).toEqual([unknown.json.email]);
  });

  it('lets the holder of the code accept whatever their own email (possession is the proof)', async () => {
    const budget = await createBudget(t.app, owner);
    await invite(owner, budget.id, `forwarded-${Date.now()}@example.com`, 'viewer');
    const code = sent.at(-1)!.text.match(TOKEN)![0];
    const res = await accept(kim, code);
    expect(res.status, res.text).toBe(201);
    expect(res.json.userId).toBe(kim.id);
  });

  it('accepts with a personal access token of the write scope, and refuses a read-scoped one (403)', async () => {
    const budget = await createBudget(t.app, owner);
    const email = `pat-${Date.now()}@example.com`;
    await invite(owner, budget.id, email, 'viewer');
    const code = lastCodeFor(email);
    const holder = await signup(t.app, 'pat-holder');
    const token = async (scope: string) => {
      const made = await as(t.app, holder)('POST', '/v1/me/tokens', { body: { name: `Script ${scope}`, scope } });
      expect(made.status, made.text).toBe(201);
      return { token: made.json.token as string };
    };
    expectProblem(await accept(await token('read'), code), 403);
    const res = await accept(await token('write'), code);
    expect(res.status, res.text).toBe(201);
    expect(res.json.userId).toBe(holder.id);
  });

  it('replays an invite retried with the same Idempotency-Key: one invitation, one mail', async () => {
    const budget = await createBudget(t.app, owner);
    const email = `retry-${Date.now()}@example.com`;
    const first = await invite(owner, budget.id, email, 'viewer', { 'idempotency-key': 'invite-1' });
    const again = await invite(owner, budget.id, email, 'viewer', { 'idempotency-key': 'invite-1' });
    expect(again.status).toBe(201);
    expect(again.json).toEqual(first.json);
    expect(codesMailedTo(email)).toHaveLength(1);
    expect(await pending(budget.id)).toHaveLength(1);
  });
});

describe('accepting after leaving', () => {
  it("continues the former membership's versions, as POST members does: its ETags stay stale", async () => {
    const budget = await createBudget(t.app, owner);
    await addMember(t.app, owner, budget.id, sam, 'viewer');
    const url = `/v1/budgets/${budget.id}/members/${sam.id}`;
    expect((await as(t.app, owner)('PATCH', url, { body: { share: 2 } })).headers.get('etag')).toBe('"2"');
    expect((await as(t.app, sam)('DELETE', url)).status).toBe(204);
    expect((await invite(owner, budget.id, sam.email, 'editor')).status).toBe(201);
    expect((await accept(sam, lastCodeFor(sam.email))).status).toBe(201);
    const members = (await as(t.app, owner)('GET', `/v1/budgets/${budget.id}/members`)).json.items;
    expect(members).toContainEqual(expect.objectContaining({ userId: sam.id, role: 'editor', share: 1, version: 3 }));
    expectProblem(await as(t.app, owner)('PATCH', url, { body: { role: 'viewer' }, headers: { 'if-match': '"2"' } }), 412);
  });
});

describe('reading one invitation', () => {
  it("the create's Location answers 200 to the owner with the invitation as the list shows it, never its code", async () => {
    const budget = await createBudget(t.app, owner);
    const email = `one-${Date.now()}@example.com`;
    const made = await invite(owner, budget.id, email, 'viewer');
    expect(made.status, made.text).toBe(201);
    const got = await as(t.app, owner)('GET', made.headers.get('location')!);
    expect(got.status, got.text).toBe(200);
    expect(got.json).toEqual((await pending(budget.id)).find((i) => i.id === made.json.id));
    expect(got.json).toEqual(made.json);
    expect(got.headers.get('cache-control')).toBe('no-store');
    const secret = lastCodeFor(email).split('.')[2]!;
    expect(got.text).not.toContain(secret);
    expect(got.text).not.toContain(createHash('sha256').update(secret).digest('base64url'));
    // A re-invite replaces it under the same id: the GET shows the new role.
    await invite(owner, budget.id, email, 'editor');
    expect((await as(t.app, owner)('GET', made.headers.get('location')!)).json.role).toBe('editor');
  });

  it('as the list: an editor or viewer is refused (403), a stranger, an unknown id, another budget\'s, a revoked, accepted or expired one is a 404', async () => {
    const budget = await createBudget(t.app, owner);
    const other = await createBudget(t.app, owner);
    await addMember(t.app, owner, budget.id, sam, 'viewer');
    const stranger = await signup(t.app, 'stranger');
    const one = (budgetId: string, id: string, who: Account = owner) => as(t.app, who)('GET', `/v1/budgets/${budgetId}/invitations/${id}`);
    const made = (await invite(owner, budget.id, `who-${Date.now()}@example.com`)).json.id as string;
    expectProblem(await one(budget.id, made, sam), 403);
    expectProblem(await one(budget.id, made, stranger), 404);
    expectProblem(await one(budget.id, '01JDQ4V8M7ZK3X9A2B5C6D7E8H'), 404);
    expectProblem(await one(budget.id, 'not-an-id'), 404);
    expectProblem(await one(other.id, made), 404);

    expect((await as(t.app, owner)('DELETE', `/v1/budgets/${budget.id}/invitations/${made}`)).status).toBe(204);
    expectProblem(await one(budget.id, made), 404);

    const acceptedEmail = `taken-${Date.now()}@example.com`;
    const taken = (await invite(owner, budget.id, acceptedEmail)).json.id as string;
    expect((await accept(kim, lastCodeFor(acceptedEmail))).status).toBe(201);
    expectProblem(await one(budget.id, taken), 404);

    const expiring = (await invite(owner, budget.id, `late-${Date.now()}@example.com`)).json.id as string;
    expect((await one(budget.id, expiring)).status).toBe(200);
    try {
      clock().advance(7 * 24 * 3600 * 1000);
      // The owner's access token of a week ago has expired: a fresh one.
      const later = { ...owner, token: await t.system.deps.tokens.sign({ userId: owner.id }) };
      expectProblem(await one(budget.id, expiring, later), 404);
    } finally {
      clock().set(START);
    }
  });
});

describe('who may invite', () => {
  it('refuses an editor or viewer (403) and a stranger (404) on every owner route; the owner alone lists and revokes', async () => {
    const budget = await createBudget(t.app, owner);
    await addMember(t.app, owner, budget.id, sam, 'editor');
    const made = await invite(owner, budget.id, `x-${Date.now()}@example.com`);
    const stranger = await signup(t.app, 'stranger');
    expectProblem(await invite(sam, budget.id, 'friend@example.com'), 403);
    expectProblem(await invite(stranger, budget.id, 'friend@example.com'), 404);
    expectProblem(await as(t.app, sam)('GET', `/v1/budgets/${budget.id}/invitations`), 403);
    expectProblem(await as(t.app, stranger)('GET', `/v1/budgets/${budget.id}/invitations`), 404);
    expectProblem(await as(t.app, sam)('DELETE', `/v1/budgets/${budget.id}/invitations/${made.json.id}`), 403);
    expectProblem(await as(t.app, stranger)('DELETE', `/v1/budgets/${budget.id}/invitations/${made.json.id}`), 404);
    expect(await pending(budget.id)).toHaveLength(1);
  });

  it('validates the body like POST members (email, role editor|viewer)', async () => {
    const budget = await createBudget(t.app, owner);
    expectProblem(await invite(owner, budget.id, 'not-an-email'), 400, ['email']);
    expectProblem(await invite(owner, budget.id, 'ok@example.com', 'owner'), 400, ['role']);
    expectProblem(await as(t.app, owner)('POST', '/v1/invitations/accept', { body: {} }), 400, ['token']);
  });
});

describe('tokens that open nothing', () => {
  it('refuses a tampered, malformed, revoked or expired code (404, 404, 404, 410)', async () => {
    const budget = await createBudget(t.app, owner);
    const email = `wrong-${Date.now()}@example.com`;
    const made = await invite(owner, budget.id, email);
    const code = lastCodeFor(email);
    const secret = code.split('.')[2]!;
    const tampered = code.slice(0, -secret.length) + (secret[0] === 'A' ? 'B' : 'A') + secret.slice(1);
    expectProblem(await accept(kim, tampered), 404, ['token']);
    expectProblem(await accept(kim, 'garbage'), 404, ['token']);
    expectProblem(await accept(kim, `${budget.id}.01JNOSUCHINVITATION000000.${secret}`), 404, ['token']);

    const revoked = await as(t.app, owner)('DELETE', `/v1/budgets/${budget.id}/invitations/${made.json.id}`);
    expect(revoked.status, revoked.text).toBe(204);
    expectProblem(await accept(kim, code), 404, ['token']);
    expectProblem(await as(t.app, owner)('DELETE', `/v1/budgets/${budget.id}/invitations/${made.json.id}`), 404);
    expect(await pending(budget.id)).toEqual([]);

    const later = `expired-${Date.now()}@example.com`;
    await invite(owner, budget.id, later);
    const expiring = lastCodeFor(later);
    try {
      clock().advance(7 * 24 * 3600 * 1000);
      const fresh = await signUp(t.app, 'late');
      const res = await accept(fresh, expiring);
      expectProblem(res, 410, ['token']);
      expect((await as(t.app, fresh)('GET', `/v1/budgets/${budget.id}`)).status).toBe(404);
    } finally {
      clock().set(START);
    }
  });

  it('re-inviting the same email replaces the invitation: same id, new role, the old code stops working', async () => {
    const budget = await createBudget(t.app, owner);
    const email = `again-${Date.now()}@example.com`;
    const first = await invite(owner, budget.id, email, 'viewer');
    const oldCode = lastCodeFor(email);
    const second = await invite(owner, budget.id, email.toUpperCase(), 'editor');
    expect(second.status).toBe(201);
    expect(second.json.id).toBe(first.json.id);
    expect(second.json.role).toBe('editor');
    const newCode = lastCodeFor(email);
    expect(newCode).not.toBe(oldCode);
    expect(await pending(budget.id)).toEqual([expect.objectContaining({ id: first.json.id, role: 'editor' })]);

    expectProblem(await accept(kim, oldCode), 404, ['token']);
    const res = await accept(kim, newCode);
    expect(res.status, res.text).toBe(201);
    expect(res.json.role).toBe('editor');
  });

  it('refuses to invite a member (409 naming email, any case; the owner too); anyone else gets the same 201', async () => {
    const budget = await createBudget(t.app, owner);
    await addMember(t.app, owner, budget.id, sam, 'viewer');
    expectProblem(await invite(owner, budget.id, sam.email.toUpperCase()), 409, ['email']);
    expectProblem(await invite(owner, budget.id, owner.email), 409, ['email']);
    expect((await invite(owner, budget.id, kim.email)).status).toBe(201);
    expect(await pending(budget.id)).toEqual([expect.objectContaining({ email: kim.email })]);
  });

  it('answers 409 at accept to someone who became a member meanwhile, and leaves the invitation pending', async () => {
    const budget = await createBudget(t.app, owner);
    await invite(owner, budget.id, sam.email, 'editor');
    await addMember(t.app, owner, budget.id, sam, 'viewer');
    expectProblem(await accept(sam, lastCodeFor(sam.email)), 409);
    expect((await as(t.app, sam)('GET', `/v1/budgets/${budget.id}`)).json.role).toBe('viewer');
    expect(await pending(budget.id)).toHaveLength(1);
  });
});

describe('caps', () => {
  it('holds at most 20 pending invitations; a revoked or expired one frees its place', async () => {
    const budget = await createBudget(t.app, owner);
    const ids: string[] = [];
    for (let i = 0; i < 20; i++) {
      const res = await invite(owner, budget.id, `cap-${i}-${budget.id}@example.com`);
      expect(res.status, res.text).toBe(201);
      ids.push(res.json.id);
    }
    const full = await invite(owner, budget.id, `cap-20-${budget.id}@example.com`);
    expectProblem(full, 409);
    // The typed refusal of a full collection (not the generic conflict), its detail still naming the limit.
    expect(full.json).toMatchObject({ type: 'https://budgeting.dev/problems/limit-reached', title: 'Limit reached', limit: 20, collection: 'invitations' });
    expect(full.json.detail).toContain('at most 20 pending invitations');
    // Re-inviting a pending email is not a new invitation: allowed at the cap.
    expect((await invite(owner, budget.id, `cap-3-${budget.id}@example.com`, 'viewer')).status).toBe(201);
    expect(await pending(budget.id)).toHaveLength(20);

    expect((await as(t.app, owner)('DELETE', `/v1/budgets/${budget.id}/invitations/${ids[0]}`)).status).toBe(204);
    expect((await invite(owner, budget.id, `cap-20-${budget.id}@example.com`)).status).toBe(201);
    expectProblem(await invite(owner, budget.id, `cap-21-${budget.id}@example.com`), 409);

    // Expired invitations do not hold places: the count is put right when it says full.
    try {
      clock().advance(7 * 24 * 3600 * 1000 + 1000);
      // A new access token: the one of the sign-up has expired by now.
      const login = await as(t.app, owner)('POST', '/v1/auth/login', { body: { email: owner.email, password: owner.password } });
      expect(login.status, login.text).toBe(200);
      const ownerAgain = { ...owner, token: login.json.tokens.accessToken as string };
      const res = await invite(ownerAgain, budget.id, `cap-22-${budget.id}@example.com`);
      expect(res.status, res.text).toBe(201);
      const listed = await as(t.app, ownerAgain)('GET', `/v1/budgets/${budget.id}/invitations`);
      expect(listed.json.items).toHaveLength(1);
      const stored = (await itemsUnder(t, `budgets#invitations#${budget.id}`)).filter((i) => i.kind === 'invitation');
      expect(stored).toHaveLength(1);
    } finally {
      clock().set(START);
    }
  });

  it('a full invite\'s recount does not undercount when a revoke and another invite pass between its reads (the cap holds at 20)', async () => {
    const budget = await createBudget(t.app, owner);
    const ids: string[] = [];
    for (let i = 0; i < 20; i++) {
      const res = await invite(owner, budget.id, `aba-${i}-${budget.id}@example.com`);
      expect(res.status, res.text).toBe(201);
      ids.push(res.json.id);
    }
    const partition = `budgets#invitations#${budget.id}`;
    let queryHeld = false;
    let writeHeld = false;
    // The full invite's recount reads the count (20, before anything below) and the invitations:
    // that Query waits until one is revoked (19 pending), and the recount's write until another
    // invite has taken the freed place (20 pending, the count back at 20).
    const answer = await withCommandMiddleware(
      t.doc,
      'recountInterleaved',
      (next, context) => async (args) => {
        const input = JSON.stringify(args.input);
        if (!queryHeld && context.commandName === 'QueryCommand' && input.includes(partition)) {
          queryHeld = true;
          await new Promise((r) => setTimeout(r, 50));
          expect((await as(t.app, owner)('DELETE', `/v1/budgets/${budget.id}/invitations/${ids[0]}`)).status).toBe(204);
        }
        if (!writeHeld && context.commandName === 'TransactWriteItemsCommand' && input.includes(':live')) {
          writeHeld = true;
          const other = await invite(owner, budget.id, `aba-other-${budget.id}@example.com`);
          expect(other.status, other.text).toBe(201);
        }
        return next(args);
      },
      () => invite(owner, budget.id, `aba-late-${budget.id}@example.com`),
    );
    expect(queryHeld && writeHeld).toBe(true);
    expectProblem(answer, 409);
    expect(answer.json).toMatchObject({ type: 'https://budgeting.dev/problems/limit-reached', collection: 'invitations' });
    expect(await pending(budget.id)).toHaveLength(20);
  });

  it('applies the members cap at accept (409), nothing consumed', async () => {
    const budget = await createBudget(t.app, owner);
    await invite(owner, budget.id, kim.email);
    await t.doc.send(
      new UpdateCommand({ TableName: t.tableName, Key: { pk: `budgets#budget#${budget.id}`, sk: 'budgets#budget' }, UpdateExpression: 'SET memberCount = :full', ExpressionAttributeValues: { ':full': 50 } }),
    );
    const refused = await accept(kim, lastCodeFor(kim.email));
    expectProblem(refused, 409);
    expect(refused.json).toMatchObject({ type: 'https://budgeting.dev/problems/limit-reached', limit: 50, collection: 'members' });
    expect(refused.json.detail).toContain('at most 50 members');
    expect((await as(t.app, kim)('GET', `/v1/budgets/${budget.id}`)).status).toBe(404);
    expect(await pending(budget.id)).toHaveLength(1);
  });

  it('an accept whose write met an archive undone right after is not refused as full: 201, a member', async () => {
    const budget = await createBudget(t.app, owner);
    await invite(owner, budget.id, kim.email, 'viewer');
    const call = as(t.app, owner);
    // The accept's transaction meets the budget archived; the owner unarchives it before the accept reads why it failed.
    const res = await withArchiveFlicker(t.doc, call, budget.id, kim.id, () => accept(kim, lastCodeFor(kim.email)));
    expect(res.status, res.text).toBe(201);
    expect((await as(t.app, kim)('GET', `/v1/budgets/${budget.id}`)).status).toBe(200);
    expect(await pending(budget.id)).toHaveLength(0);
  });

  it('two acceptances at once for the last seat: one member more, the other 409 with its invitation kept', async () => {
    for (let round = 0; round < 3; round++) {
      const budget = await createBudget(t.app, owner);
      await invite(owner, budget.id, sam.email);
      await invite(owner, budget.id, kim.email);
      const memberCount = async () => (await itemsUnder(t, `budgets#budget#${budget.id}`)).find((i) => i.sk === 'budgets#budget')!.memberCount as number;
      // One seat left (as the cap test above fills the budget: by its count).
      await t.doc.send(
        new UpdateCommand({ TableName: t.tableName, Key: { pk: `budgets#budget#${budget.id}`, sk: 'budgets#budget' }, UpdateExpression: 'SET memberCount = :n', ExpressionAttributeValues: { ':n': 49 } }),
      );
      const answers = await Promise.all([accept(sam, lastCodeFor(sam.email)), accept(kim, lastCodeFor(kim.email))]);
      expect(answers.map((r) => r.status).sort(), answers.map((r) => r.text).join('\n')).toEqual([201, 409]);
      expect(await memberCount()).toBe(50);
      const [won, lost] = answers[0]!.status === 201 ? [sam, kim] : [kim, sam];
      expect((await as(t.app, won)('GET', `/v1/budgets/${budget.id}`)).status).toBe(200);
      expect((await as(t.app, lost)('GET', `/v1/budgets/${budget.id}`)).status).toBe(404);
      expect((await pending(budget.id)).map((i) => i.email)).toEqual([lost.email]);
    }
  });
});

describe('budget deletion and secrecy', () => {
  it('removes the invitations with the budget (budget.deleted), and their codes open nothing', async () => {
    const budget = await createBudget(t.app, owner);
    const email = `gone-${Date.now()}@example.com`;
    await invite(owner, budget.id, email);
    await invite(owner, budget.id, `gone2-${Date.now()}@example.com`);
    const code = lastCodeFor(email);
    expect(await itemsUnder(t, `budgets#invitations#${budget.id}`)).toHaveLength(3); // two and their count
    expect((await as(t.app, owner)('DELETE', `/v1/budgets/${budget.id}`)).status).toBe(204);
    // Before the cleanup runs the code already opens nothing (the budget is gone).
    expectProblem(await accept(kim, code), 404, ['token']);
    const deleted = (await outboxEvents(t, 'budget.deleted')).filter((e) => e.envelope.data.budgetId === budget.id);
    await deliver(t, ...deleted);
    expect(await itemsUnder(t, `budgets#invitations#${budget.id}`)).toEqual([]);
  });

  it('never shows or logs a code: only its SHA-256 is stored, and no answer carries it', async () => {
    log.clear();
    const budget = await createBudget(t.app, owner);
    const email = `secret-${Date.now()}@example.com`;
    const made = await invite(owner, budget.id, email);
    const code = lastCodeFor(email);
    const secret = code.split('.')[2]!;
    const listed = await as(t.app, owner)('GET', `/v1/budgets/${budget.id}/invitations`);
    const hash = createHash('sha256').update(secret).digest('base64url');
    for (const body of [made.text, listed.text]) {
      expect(body).not.toContain(secret);
      expect(body).not.toContain(hash);
    }
    const [stored] = (await itemsUnder(t, `budgets#invitations#${budget.id}`)).filter((i) => i.kind === 'invitation');
    expect(stored!.secretHash).toBe(hash);
    expect(JSON.stringify(stored)).not.toContain(secret);
    await accept(kim, code);
    expect(log.lines.length).toBeGreaterThan(0);
    expect(log.lines.join('\n')).not.toContain(secret);
  });
});
