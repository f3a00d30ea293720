import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { createLogger, type EmailMessage } from '@budgeting/platform';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { heldJobs } from '../../support/held-jobs';
import { createTestSystem, type TestSystem } from '../../support/test-system';
import { as, createBudget, expectProblem, signup, type Account } from './helpers';

/**
 * The invitation mail job through the local work queue (the stand-in of SQS), its units held
 * until the test lets them run: what the request did can be told from what the job did.
 */
let t: TestSystem;
const sent: EmailMessage[] = [];
const jobs = heldJobs('invitation');
const held = jobs.held;
let owner: Account;
let kim: Account;

beforeAll(async () => {
  t = await createTestSystem({
    env: { INVITATION_URL: 'https://app.example.com/join?code=' },
    mail: { send: async (m) => void sent.push(m) },
    jobs: { transport: jobs.transport },
  });
  owner = await signup(t.app, 'owner');
  kim = await signup(t.app, 'kim');
});
afterAll(async () => {
  await jobs.stop();
  await t.destroy();
});

const runJobs = (messages = held.splice(0)) => jobs.run(messages);
const TOKEN = /[A-Za-z0-9_-]{1,64}\.[A-Za-z0-9_-]{1,64}\.[A-Za-z0-9_-]{43}/;
const codesTo = (to: string) => sent.filter((m) => m.to === to).map((m) => TOKEN.exec(m.text)![0]);
const invite = (budgetId: string, email: string, role = 'editor') => as(t.app, owner)('POST', `/v1/budgets/${budgetId}/invitations`, { body: { email, role } });
const accept = (token: string) => as(t.app, kim)('POST', '/v1/invitations/accept', { body: { token } });

describe('the invitation mail job', () => {
  it('queues one unit holding nothing secret; the code exists only once the job has run', async () => {
    const budget = await createBudget(t.app, owner);
    const email = `queued-${Date.now()}@example.com`;
    expect((await invite(budget.id, email)).status).toBe(201);
    expect(sent.filter((m) => m.to === email)).toEqual([]);
    expect(held).toEqual([
      expect.objectContaining({ type: 'unit', job: 'budgets-invitation-mail', unit: { budgetId: budget.id, emailKey: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/), nonce: expect.any(String) } }),
    ]);
    await runJobs();
    expect(codesTo(email)).toHaveLength(1);
    // INVITATION_URL configured: the mail links to it with the code appended.
    const [code] = codesTo(email);
    expect(sent.find((m) => m.to === email)!.text).toContain(`https://app.example.com/join?code=${code}`);
  });

  it('a re-invite voids the old code at once, and a superseded unit sends nothing', async () => {
    const budget = await createBudget(t.app, owner);
    const email = `superseded-${Date.now()}@example.com`;
    await invite(budget.id, email, 'viewer');
    await runJobs();
    const [first] = codesTo(email);

    await invite(budget.id, email, 'editor');
    // The new unit has not run: the old code already opens nothing.
    expectProblem(await accept(first!), 404, ['token']);
    const second = held.splice(0);
    await invite(budget.id, email, 'editor');
    const third = held.splice(0);
    await runJobs([...second, ...third]);
    // Only the latest invite's unit mailed.
    const codes = codesTo(email);
    expect(codes).toHaveLength(2);
    const res = await accept(codes[1]!);
    expect(res.status, res.text).toBe(201);
    expect(res.json.role).toBe('editor');
  });

  it('a redelivered unit that ran is dropped; one worked again (its done mark lost) mails the same code (same message id), which works once', async () => {
    const budget = await createBudget(t.app, owner);
    const email = `redelivered-${Date.now()}@example.com`;
    await invite(budget.id, email);
    const unit = held.splice(0);
    expect(unit.map((m) => (m.type === 'unit' ? m.relayed : undefined))).toEqual([expect.objectContaining({ key: expect.any(String) })]);
    await runJobs(unit);
    // The queue's redelivery of the send that mailed: its claim is done (relayed-units.ts), so dropped.
    await runJobs(unit);
    expect(sent.filter((m) => m.to === email)).toHaveLength(1);
    // A done mark that failed (throttled: the runner only logs it) leaves the claim not done, and
    // the redelivery, which SQS hands back after its visibility timeout (the claim's lease), takes
    // it over and works the unit again: the same mail, the same code.
    for (const m of unit) {
      if (m.type !== 'unit' || !m.relayed) continue;
      await t.doc.send(
        new UpdateCommand({
          TableName: t.tableName,
          Key: { pk: `jobs#ran#${m.relayed.key}`, sk: 'jobs#ran' },
          UpdateExpression: 'REMOVE doneAt SET leaseUntil = :passed',
          ConditionExpression: 'attribute_exists(doneAt)',
          ExpressionAttributeValues: { ':passed': '2000-01-01T00:00:00.000Z' },
        }),
      );
    }
    await runJobs(unit);
    const mails = sent.filter((m) => m.to === email);
    expect(mails).toHaveLength(2);
    expect(mails[1]!.id).toBe(mails[0]!.id);
    const [earlier, later] = codesTo(email);
    expect(later).toBe(earlier);
    const joined = await accept(earlier!);
    expect(joined.status, joined.text).toBe(201);
    // Accepted: the code is used up.
    expectProblem(await accept(later!), 404, ['token']);
  });

  it('a unit worked only after its invitation expired mails nothing: its code could only answer 410', async () => {
    const budget = await createBudget(t.app, owner);
    const email = `late-${Date.now()}@example.com`;
    expect((await invite(budget.id, email)).status).toBe(201);
    const late = held.splice(0);
    // The queue hands the unit back a week later (a send failing for days, a dead letter replayed).
    const clock = t.clock as unknown as { set(at: string): void };
    clock.set('2026-12-01T12:00:01Z');
    try {
      await runJobs(late);
      expect(sent.filter((m) => m.to === email)).toEqual([]);
    } finally {
      clock.set('2026-11-24T12:00:00Z');
    }
  });

  it('a unit worked late states the lifetime its code has left (days, then hours), never the 7 days partly spent; none under an hour', async () => {
    const budget = await createBudget(t.app, owner);
    const stamp = Date.now();
    const [days, hours, gone] = [`late-days-${stamp}@example.com`, `late-hours-${stamp}@example.com`, `late-gone-${stamp}@example.com`];
    const unitsOf = async (email: string) => {
      expect((await invite(budget.id, email)).status).toBe(201);
      return held.splice(0);
    };
    const [daysUnit, hoursUnit, goneUnit] = [await unitsOf(days), await unitsOf(hours), await unitsOf(gone)];
    // Invited at 2026-11-24T12:00Z: each code expires at 2026-12-01T12:00Z.
    const clock = t.clock as unknown as { set(at: string): void };
    const expiresLine = (email: string) => sent.filter((m) => m.to === email).map((m) => m.text.split('\n').find((l) => l.includes('expires in')));
    try {
      // Handed back 3 days and an hour later (a send failing for days): 3 days and 23 hours left.
      clock.set('2026-11-27T13:00:00Z');
      await runJobs(daysUnit);
      expect(expiresLine(days)).toEqual(['The code works once and expires in 3 days. Anyone who has it can join, so do not pass it on.']);
      // A dead letter replayed 6 days and 12.5 hours later: 11.5 hours left.
      clock.set('2026-12-01T00:30:00Z');
      await runJobs(hoursUnit);
      expect(expiresLine(hours)).toEqual(['The code works once and expires in 11 hours. Anyone who has it can join, so do not pass it on.']);
      // 30 minutes left: no lifetime worth stating, nothing mailed.
      clock.set('2026-12-01T11:30:00Z');
      await runJobs(goneUnit);
      expect(sent.filter((m) => m.to === gone)).toEqual([]);
    } finally {
      clock.set('2026-11-24T12:00:00Z');
    }
  });

  it('an inviter support suspended before the units ran (spam invitations: support.md "Suspension") gets none of them mailed', async () => {
    const spammer = await signup(t.app, 'spammer');
    const budget = await createBudget(t.app, spammer);
    const emails = [`spam-a-${Date.now()}@example.com`, `spam-b-${Date.now()}@example.com`];
    for (const email of emails) expect((await as(t.app, spammer)('POST', `/v1/budgets/${budget.id}/invitations`, { body: { email, role: 'viewer' } })).status).toBe(201);
    expect(held).toHaveLength(2);
    const suspended = await t.system.operations.find((o) => o.name === 'users-suspend')!.run({ email: spammer.email, reason: 'TICKET-5: spam invitations', operator: 'support' }, { logger: createLogger('SILENT') });
    expect(suspended).toMatchObject({ ok: true, summary: { outcome: 'suspended' } });
    await runJobs();
    expect(sent.filter((m) => emails.includes(m.to))).toEqual([]);
  });

  it('a revoked invitation is not mailed', async () => {
    const budget = await createBudget(t.app, owner);
    const email = `revoked-${Date.now()}@example.com`;
    const made = await invite(budget.id, email);
    expect((await as(t.app, owner)('DELETE', `/v1/budgets/${budget.id}/invitations/${made.json.id}`)).status).toBe(204);
    await runJobs();
    expect(codesTo(email)).toEqual([]);
  });
});

describe("the invitation mail's language", () => {
  const setLocale = async (who: Account, locale: string) => {
    const res = await as(t.app, who)('PATCH', '/v1/me', { body: { locale } });
    expect(res.status, res.text).toBe(200);
  };

  it("the invitee's profile locale when the address has an account (none: English), else the inviter's; the same answer either way", async () => {
    const inviter = await signup(t.app, 'Camille');
    await setLocale(inviter, 'fr-FR');
    const [gerda, pat] = await Promise.all([signup(t.app, 'gerda'), signup(t.app, 'pat')]);
    await setLocale(gerda, 'de-DE');
    const budget = await createBudget(t.app, inviter, { name: 'Maison' });
    const stranger = `no-account-${Date.now()}@example.com`;

    const answers = [];
    for (const email of [gerda.email, pat.email, stranger]) {
      const res = await as(t.app, inviter)('POST', `/v1/budgets/${budget.id}/invitations`, { body: { email, role: 'viewer' } });
      expect(res.status, res.text).toBe(201);
      answers.push(Object.keys(res.json).sort());
    }
    // Nothing of the invitee's account in the answer.
    expect(answers[0]).toEqual(answers[2]);
    expect(answers[1]).toEqual(answers[2]);
    await runJobs();

    const subjectTo = (email: string) => sent.filter((m) => m.to === email).map((m) => m.subject);
    expect(subjectTo(gerda.email)).toEqual(['Treten Sie dem Budget „Maison“ bei']);
    expect(sent.find((m) => m.to === gerda.email)!.text).toContain('Camille lädt Sie als Betrachter (Sie können es ansehen) zum Budget „Maison“ ein.');
    expect(subjectTo(pat.email)).toEqual(['Join the budget "Maison"']);
    expect(subjectTo(stranger)).toEqual(['Rejoignez le budget «\u00A0Maison\u00A0»']);
    expect(sent.find((m) => m.to === stranger)!.text).toContain('Camille vous invite à rejoindre le budget «\u00A0Maison\u00A0» en tant que lecteur (vous pouvez le consulter).');
  });
});
