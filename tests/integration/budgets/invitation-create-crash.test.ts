import { fixedClock, type EmailMessage } from '@budgeting/platform';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appKeys } from '../../support/app-keys';
import { crashAfterCommit } from '../../support/crash-after-commit';
import { createTestSystem, type TestSystem } from '../../support/test-system';
import { as, createBudget, signup, type Account } from './helpers';

/**
 * A keyed invite whose answer was lost. Its mail is a job unit queued AFTER the invitation's
 * transaction (inline here: the job runs in the request), and the key is completed after that.
 * Its retry once the lease ran out re-invited: a new nonce, a new code, new dates, and a second
 * mail whose code replaced the first one's (a crash after the mail left), or the only mail (a
 * crash before it). A keyed invite's nonce is now the key's reserved id, so the retry finds its
 * own invitation: it answers it as the first attempt would have (same id and dates) and queues
 * its mail only if the first attempt's never ran (no code hash stored): one mail, one code.
 */
const clock = fixedClock('2026-11-24T12:00:00Z');
const sent: EmailMessage[] = [];
let t: TestSystem;
let owner: Account;
let crash: ReturnType<typeof crashAfterCommit>;
/** While armed, the key's completion fails: the process died after the mail job, before completing the key. */
let dieBeforeCompletion = false;
beforeAll(async () => {
  t = await createTestSystem({ clock, mail: { send: async (m) => void sent.push(m) } });
  crash = crashAfterCommit(t.doc);
  t.doc.middlewareStack.add(
    (next) => async (args) => {
      const input = args.input as { Key?: { pk?: string }; UpdateExpression?: string };
      if (dieBeforeCompletion && String(input.Key?.pk ?? '').startsWith('idempotency#') && /:completed/.test(String(input.UpdateExpression ?? ''))) {
        throw new Error('process died');
      }
      return next(args);
    },
    { step: 'initialize', name: 'dieBeforeCompletion' },
  );
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

describe('a keyed invite whose answer was lost', () => {
  it('crash after the transaction, before the mail: the retry mails once and answers the invitation as it was written', async () => {
    const { path, invite, listed } = await invitedBy(appKeys(clock)('before-mail'), 'kai@example.com');
    const lost = await crash.during(invite);
    expect(lost.status).toBeGreaterThanOrEqual(500); // the client never got its answer
    const written = await listed();
    expect(written).toHaveLength(1);
    expect(mailsTo('kai@example.com')).toHaveLength(0);

    clock.advance(61_000);
    const retry = await invite();
    expect(retry.status, retry.text).toBe(201);
    expect(retry.json).toEqual(written[0]);
    expect(retry.headers.get('location')).toBe(`${path}/${written[0]!.id}`);
    expect(mailsTo('kai@example.com')).toHaveLength(1);
    expect(await listed()).toEqual(written);
    // Completed now: a replay mails nothing.
    expect((await invite()).headers.get('idempotent-replayed')).toBe('true');
    expect(mailsTo('kai@example.com')).toHaveLength(1);
  });

  it('crash after the mail, before the key was completed: the retry answers the same invitation and mails nothing more (the code mailed works)', async () => {
    const { invite, listed } = await invitedBy(appKeys(clock)('after-mail'), 'lou@example.com');
    dieBeforeCompletion = true;
    const lost = await invite().finally(() => (dieBeforeCompletion = false));
    expect(lost.status).toBeGreaterThanOrEqual(500);
    const written = await listed();
    expect(mailsTo('lou@example.com')).toHaveLength(1);
    const code = mailsTo('lou@example.com')[0]!.text.match(TOKEN)![0];

    clock.advance(61_000);
    const retry = await invite();
    expect(retry.status, retry.text).toBe(201);
    expect(retry.json).toEqual(written[0]);
    expect(mailsTo('lou@example.com')).toHaveLength(1);
    const lou = await signup(t.app, 'lou');
    const accepted = await as(t.app, lou)('POST', '/v1/invitations/accept', { body: { token: code } });
    expect(accepted.status, accepted.text).toBe(201);
  });
});
