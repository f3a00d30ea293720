import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SESv2Client, SendEmailCommand } from '@aws-sdk/client-sesv2';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { fixedClock } from '@budgeting/platform';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { folderEmailSender } from '../../../packages/app/src/mail/folder-sender';
import { sesEmailSender } from '../../../packages/app/src/mail/ses-sender';
import { commandsSentDuring } from '../../support/sent-commands';
import { firstCallHeld } from '../../support/first-call-held';
import { createTestSystem, type TestSystem } from '../../support/test-system';
import { addExpense, asUser, createBudget, deliver, itemsUnder, outboxEvents, signup, type User } from './support';
import { tokenAtClock } from '../../support/actors';

/**
 * report.generated -> the owner's email, through the real subscription table, bus delivery and
 * inbox on DynamoDB Local. SES is the one thing mocked (aws-sdk-client-mock): the emulator
 * cannot show a send or a failed one.
 */
const ses = mockClient(SESv2Client);
const clock = fixedClock('2026-10-10T12:00:00Z');
let t: TestSystem;
let owner: User;

beforeAll(async () => {
  t = await createTestSystem({ clock, mail: sesEmailSender({ from: 'Budgets <reports@example.com>', region: 'eu-west-1' }) });
  owner = await signup(t.app, 'owner');
});
afterAll(async () => {
  ses.restore();
  await t.destroy();
});
beforeEach(() => {
  ses.reset();
  ses.on(SendEmailCommand).resolves({ MessageId: 'ses-1' });
});

/** A budget with one October expense whose October report was just generated; its event. */
async function generatedReport(name = 'Household', body: Record<string, unknown> = {}) {
  clock.set('2026-10-10T12:00:00Z');
  owner.token = await tokenAtClock(t, owner);
  const budget = await createBudget(t.app, owner, { name, ...body });
  await addExpense(t.app, owner, budget.id, { amount: 1_250, occurredOn: '2026-10-03' });
  clock.set('2026-11-01T08:00:00Z');
  owner.token = await tokenAtClock(t, owner);
  const res = await asUser(t.app, owner)('POST', `/v1/budgets/${budget.id}/reports`, { body: { date: '2026-10-03' } });
  expect(res.status, res.text).toBe(201);
  const event = (await outboxEvents(t, 'report.generated')).find((e) => e.envelope.data.budgetId === budget.id)!;
  return { budget, event };
}

const sent = () => ses.commandCalls(SendEmailCommand).map((c) => c.args[0].input);

describe('report email', () => {
  it('sends the report to the owner once, however often the event is delivered', async () => {
    const { budget, event } = await generatedReport('Home <b>&</b>');
    await deliver(t, event);
    await deliver(t, event); // a redelivery
    expect(sent()).toHaveLength(1);
    const mail = sent()[0]!;
    expect(mail.FromEmailAddress).toBe('Budgets <reports@example.com>');
    expect(mail.Destination?.ToAddresses).toEqual([owner.email]);
    expect(mail.Content?.Simple?.Subject?.Data).toBe('Home <b>&</b>: your report for 2026-10-01 to 2026-10-31');
    // The text part: a summary table in fixed columns, amounts right-aligned under the currency.
    const text = mail.Content?.Simple?.Body?.Text?.Data ?? '';
    expect(text).toMatch(/^ +EUR\n-+ +-+\nLimit +\d+\.\d\d\n/m);
    expect(text).toMatch(/^Spent +12\.50$/m);
    expect(text).toMatch(/^Category +Limit +Spent +Left$/m);
    expect(text).toMatch(/^Uncategorized +- +12\.50 +-$/m);
    // The HTML part: every number in tables, no SVG (mail clients strip it), names escaped.
    const html = mail.Content?.Simple?.Body?.Html?.Data ?? '';
    expect(html).toContain('&lt;b&gt;&amp;&lt;/b&gt;');
    expect(html).not.toContain('<b>&</b>');
    expect(html).not.toContain('<svg');
    expect(html).toMatch(/<th>Spent<\/th><td class="n"><span>12\.50<\/span><\/td>/);
    const inbox = await itemsUnder(t, `budgets#inbox#budgets-report-mail#${event.envelope.id}`);
    expect(inbox).toHaveLength(1);
    expect(budget.id).toBeTruthy();
  });

  it('shows a category savings target under its category, in both parts', async () => {
    // October, the budget's first period: Car carried nothing, 50.00 limit, nothing spent: 50.00 remaining.
    // October..December: 3 periods; 50.00 + 2 x 50.00 = 150.00 < 400.00: behind; needed = (400.00 - 0) / 3 = 133.34 a period.
    const { event } = await generatedReport('Targets', {
      categories: [{ name: 'Car', limit: 5_000, rollover: true, target: { amount: 40_000, by: '2026-12-31' } }, { name: 'Rent', limit: 2_000 }],
    });
    await deliver(t, event);
    const mail = sent()[0]!;
    const text = mail.Content?.Simple?.Body?.Text?.Data ?? '';
    expect(text).toMatch(/^Car +50\.00 \(0\.00 carried over\) +0\.00 +50\.00\n {2}Target 400\.00 by 2026-12-31 · 133\.34 a period · Behind\nRent +20\.00 +0\.00 +20\.00$/m);
    expect(text.match(/^ {2}Target /gm)).toHaveLength(1);
    const html = mail.Content?.Simple?.Body?.Html?.Data ?? '';
    expect(html).toContain('<td colspan="4">Target 400.00 by 2026-12-31 · 133.34 a period · <span class="target-behind">Behind</span></td>');
  });

  it('shows an undated target ("have a balance of") as the balance and its status, no date and no pace', async () => {
    // October, the first period: Fund 50.00 limit, nothing spent: 50.00 remaining < 300.00, limit > 0: on track.
    // Spare: limit 0, 0.00 remaining < 10.00: behind. Neither has a `by`.
    const { event } = await generatedReport('Balances', {
      categories: [
        { name: 'Fund', limit: 5_000, rollover: true, target: { amount: 30_000 } },
        { name: 'Spare', limit: 0, rollover: true, target: { amount: 1_000 } },
      ],
    });
    await deliver(t, event);
    const mail = sent()[0]!;
    const text = mail.Content?.Simple?.Body?.Text?.Data ?? '';
    expect(text).toMatch(/^Fund +50\.00 \(0\.00 carried over\) +0\.00 +50\.00\n {2}Target 300\.00 · On track\n/m);
    expect(text).toMatch(/^Spare +0\.00 \(0\.00 carried over\) +0\.00 +0\.00\n {2}Target 10\.00 · Behind\n/m);
    const html = mail.Content?.Simple?.Body?.Html?.Data ?? '';
    expect(html).toContain('<td colspan="4">Target 300.00 · <span class="target-on-track">On track</span></td>');
    expect(html).toContain('<td colspan="4">Target 10.00 · <span class="target-behind">Behind</span></td>');
  });

  it('marks a hidden category\'s row "(hidden)" in both parts, its figures as any row\'s', async () => {
    // October: Fun (hidden) 20.00 limit, nothing spent; Rent shown. The report's JSON line carries hidden: true.
    const { budget, event } = await generatedReport('Hidden', {
      categories: [{ name: 'Fun & <games>', limit: 2_000, hidden: true }, { name: 'Rent', limit: 3_000 }],
    });
    const report = await asUser(t.app, owner)('GET', `/v1/budgets/${budget.id}/reports/20261001-20261031`);
    expect(report.json.byCategory[0]).toMatchObject({ name: 'Fun & <games>', hidden: true });
    await deliver(t, event);
    const mail = sent()[0]!;
    const text = mail.Content?.Simple?.Body?.Text?.Data ?? '';
    expect(text).toMatch(/^Fun & <games> \(hidden\) +20\.00 +0\.00 +20\.00\nRent +30\.00 +0\.00 +30\.00$/m);
    const html = mail.Content?.Simple?.Body?.Html?.Data ?? '';
    expect(html).toContain('<tr><td>Fun &amp; &lt;games&gt; (hidden)</td><td class="n"><span>20.00</span></td>');
    expect(html).toContain('<tr><td>Rent</td>');
    expect(html.match(/\(hidden\)/g)).toHaveLength(1);
  });

  it("writes both parts in the owner's locale (German words, amounts and dates), read with their address (one profile read)", async () => {
    const setLocale = async (locale: string | null) => {
      const res = await asUser(t.app, owner)('PATCH', '/v1/me', { body: { locale } });
      expect(res.status, res.text).toBe(200);
    };
    // October, the budget's first period: Car carried nothing; 1,234.56 spent of its 2,000.00 (765.44 left);
    // the target 5,000.00 by 2026-12-31 (3 periods) is behind: ceil((5,000.00 - (765.44 - 2,000.00)) / 3) = 2,078.19 a period.
    clock.set('2026-10-10T12:00:00Z');
    owner.token = await tokenAtClock(t, owner);
    await setLocale('de-DE');
    try {
      const budget = await createBudget(t.app, owner, {
        name: 'Locale',
        limit: 500_000,
        categories: [{ name: 'Car', limit: 200_000, rollover: true, target: { amount: 500_000, by: '2026-12-31' } }],
      });
      await addExpense(t.app, owner, budget.id, { amount: 123_456, occurredOn: '2026-10-03', categoryId: budget.categories[0]!.id });
      clock.set('2026-11-01T08:00:00Z');
      owner.token = await tokenAtClock(t, owner);
      const created = await asUser(t.app, owner)('POST', `/v1/budgets/${budget.id}/reports`, { body: { date: '2026-10-03' } });
      expect(created.status, created.text).toBe(201);
      // The JSON API is not changed: integer minor units, ISO dates.
      expect(created.json).toMatchObject({ spent: 123_456, limit: 500_000, periodStart: '2026-10-01' });
      const event = (await outboxEvents(t, 'report.generated')).find((e) => e.envelope.data.budgetId === budget.id)!;
      const { sent: commands } = await commandsSentDuring(t.doc, () => deliver(t, event));
      // The owner's profile is read once (a GetItem): the address and the locale come from that one read.
      const profileReads = commands.filter((c) => JSON.stringify(c.input).includes(`users#user#${owner.id}`));
      expect(profileReads.map((c) => c.name)).toEqual(['GetItemCommand']);
      expect(sent()).toHaveLength(1);
      const mail = sent()[0]!;
      const eur = (amount: string) => `${amount}\u00A0€`; // Intl's no-break space before the euro sign
      expect(mail.Content?.Simple?.Subject?.Data).toBe('Locale: Ihr Bericht vom 01.10.2026 bis 31.10.2026');
      const text = mail.Content?.Simple?.Body?.Text?.Data ?? '';
      // The amounts carry the sign: no "(amounts in EUR)" note, the summary's column is "Betrag".
      expect(text.startsWith('Locale: Bericht vom 01.10.2026 bis 31.10.2026\n\n')).toBe(true);
      expect(text).toMatch(/^ +Betrag\n-+ +-+\nLimit +/m);
      expect(text).toMatch(new RegExp(`^Ausgegeben +${eur('1\\.234,56')}$`, 'm'));
      expect(text).toMatch(new RegExp(`^Verfügbar +${eur('5\\.000,00')}$`, 'm'));
      expect(text).toMatch(/^Kategorie +Limit +Ausgegeben +Übrig$/m);
      expect(text).toMatch(new RegExp(`^Car +${eur('2\\.000,00')} \\(${eur('0,00')} übertragen\\) +${eur('1\\.234,56')} +${eur('765,44')}$`, 'm'));
      expect(text).toContain(`  Ziel ${eur('5.000,00')} bis 31.12.2026 · ${eur('2.078,19')} pro Zeitraum · Im Rückstand\n`);
      expect(text).toMatch(new RegExp(`^Ohne Kategorie +- +${eur('0,00')} +-$`, 'm'));
      expect(text).not.toContain('EUR');
      const html = mail.Content?.Simple?.Body?.Html?.Data ?? '';
      expect(html.startsWith('<!doctype html><html lang="de-DE">')).toBe(true);
      expect(html).toContain(`<th>Ausgegeben</th><td class="n"><span>${eur('1.234,56')}</span></td>`);
      expect(html).toContain(
        `<td colspan="4">Ziel ${eur('5.000,00')} bis 31.12.2026 · ${eur('2.078,19')} pro Zeitraum · <span class="target-behind">Im Rückstand</span></td>`,
      );
      expect(html).toContain('<p>Bericht vom 01.10.2026 bis 31.10.2026.</p>');
      expect(html).toContain('<h2>Ausgaben nach Kategorie</h2>');
      expect(html).toContain('<p><small>Erstellt am 01.11.2026, 08:00 UTC.</small></p>');
    } finally {
      await setLocale(null);
    }
  });

  it('retries a failed send instead of losing the mail: the delivery fails, the next one sends', async () => {
    const { event } = await generatedReport();
    ses.reset();
    ses.on(SendEmailCommand).rejectsOnce(Object.assign(new Error('Maximum sending rate exceeded.'), { name: 'ThrottlingException' })).resolves({});
    await expect(deliver(t, event)).rejects.toThrow();
    expect(await itemsUnder(t, `budgets#inbox#budgets-report-mail#${event.envelope.id}`)).toHaveLength(0);
    await deliver(t, event);
    await deliver(t, event);
    expect(sent()).toHaveLength(2); // the failed attempt and the one that went out
  });

  it("keeps the address out of a refused send's error (SES names it: a sandboxed account's unverified recipient), so out of the logs", async () => {
    const { event } = await generatedReport();
    ses.reset();
    const refusal = `Email address is not verified. The following identities failed the check in region EU-WEST-1: ${owner.email}`;
    ses.on(SendEmailCommand).rejectsOnce(Object.assign(new Error(refusal), { name: 'MessageRejected' })).resolves({});
    const failed = await deliver(t, event).then(
      () => undefined,
      (err: unknown) => err as Error,
    );
    expect(failed).toBeInstanceOf(Error);
    // What the function throws is what Lambda logs (and the subscriber's error line, and a dead letter, hold).
    expect(failed!.message).toContain('Email address is not verified');
    expect(`${failed!.message}\n${failed!.stack}`.toLowerCase()).not.toContain(owner.email.toLowerCase());
  });

  it('two deliveries at once send one mail: the second meets the first one\'s claim and fails, to be delivered again', async () => {
    const { event } = await generatedReport();
    ses.reset();
    // The first send waits until the second delivery has come and gone; any later send answers at once.
    const held = firstCallHeld();
    ses.on(SendEmailCommand).callsFake(async () => ({ MessageId: `ses-${await held.pass()}` }));
    const first = deliver(t, event);
    await held.firstStarted;
    await expect(deliver(t, event)).rejects.toThrow(/another delivery holds its claim/);
    held.release();
    await first;
    expect(sent()).toHaveLength(1);
    // The second's redelivery finds the event processed: still one mail.
    await deliver(t, event);
    expect(sent()).toHaveLength(1);
  });

  it('a claim whose delivery died is taken over once its lease has passed: the mail goes', async () => {
    const { event } = await generatedReport();
    const key = `budgets#inbox#budgets-report-mail#${event.envelope.id}`;
    // A delivery that claimed the event and died (its Lambda timed out) left this behind.
    await t.doc.send(new PutCommand({ TableName: t.tableName, Item: { pk: key, sk: 'budgets#inbox', kind: 'inbox', claimId: 'dead', claimedUntil: new Date(clock.now().getTime() + 60_000).toISOString() } }));
    await expect(deliver(t, event)).rejects.toThrow(/holds its claim/);
    expect(sent()).toHaveLength(0);
    clock.advance(61_000);
    await deliver(t, event);
    expect(sent()).toHaveLength(1);
    const [inbox] = await itemsUnder(t, key);
    expect(inbox?.processedAt).toBe(clock.now().toISOString());
    expect(inbox?.claimId).toBeUndefined();
  });

  it('sends nothing when the owner account or the budget is gone', async () => {
    const gone = await generatedReport();
    expect((await asUser(t.app, owner)('DELETE', `/v1/budgets/${gone.budget.id}`)).status).toBe(204);
    await deliver(t, ...(await outboxEvents(t, 'budget.deleted')).filter((e) => e.envelope.data.budgetId === gone.budget.id));
    await deliver(t, gone.event);
    expect(sent()).toHaveLength(0);
  });

  it('sends nothing to an owner who turned report mails off (notifications.email.reports), and sends again once turned on', async () => {
    const off = await asUser(t.app, owner)('PATCH', '/v1/me', { body: { notifications: { email: { reports: false } } } });
    expect(off.status, off.text).toBe(200);
    expect(off.json.notifications.email).toEqual({ budgetAlerts: false, reports: false });
    try {
      const muted = await generatedReport('Muted');
      await deliver(t, muted.event);
      expect(sent()).toHaveLength(0);
      // The report itself is there as always: only its mail is off.
      expect((await asUser(t.app, owner)('GET', `/v1/budgets/${muted.budget.id}/reports`)).json.items).toHaveLength(1);
    } finally {
      expect((await asUser(t.app, owner)('PATCH', '/v1/me', { body: { notifications: { email: { reports: true } } } })).status).toBe(200);
    }
    const heard = await generatedReport('Heard');
    await deliver(t, heard.event);
    expect(sent()).toHaveLength(1);
  });

  it('sends nothing for a budget deleted before its budget.deleted cleanup has removed the report', async () => {
    // The report.generated and budget.deleted deliveries are independent: the mail may come first.
    const gone = await generatedReport('Deleted');
    expect((await asUser(t.app, owner)('DELETE', `/v1/budgets/${gone.budget.id}`)).status).toBe(204);
    await deliver(t, gone.event);
    expect(sent()).toHaveLength(0);
  });
});

describe('local mail folder', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'mail-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('writes one MIME file per message, the same file again for the same message', async () => {
    const sender = folderEmailSender({ dir: join(dir, 'mail'), from: 'Budgets <budgets@localhost>', now: () => new Date('2026-11-01T08:00:00Z') });
    const message = { id: 'evt-01', to: 'ada@example.com', subject: 'Café: report', text: 'Spent 12.50', html: '<p>Spent</p>' };
    await sender.send(message);
    await sender.send(message);
    const files = await readdir(join(dir, 'mail'));
    expect(files).toEqual(['evt-01.eml']);
    const mime = await readFile(join(dir, 'mail', 'evt-01.eml'), 'utf8');
    expect(mime).toContain('To: ada@example.com\r\n');
    expect(mime).toContain('From: Budgets <budgets@localhost>\r\n');
    expect(mime).toContain('Date: Sun, 01 Nov 2026 08:00:00 +0000\r\n');
    expect(mime).toContain('Message-ID: <evt-01@localhost>\r\n');
    expect(mime).toMatch(/^Subject: =\?UTF-8\?[BQ]\?[^\r\n]+\?=\r$/m); // non-ASCII subject, encoded
    expect(mime).not.toContain('Café');
    expect(mime).toMatch(/Content-Type: multipart\/alternative;/);
    expect(mime).toMatch(/Content-Type: text\/plain; charset=utf-8/i);
    expect(mime).toMatch(/Content-Type: text\/html; charset=utf-8/i);
    expect(mime).toContain('<p>Spent</p>');
  });
});
