import { PublishCommand } from '@aws-sdk/client-sns';
import { fixedClock, type EmailMessage } from '@budgeting/platform';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { addExpense, addMember, as, createBudget, signUp, type Actor } from '../../support/actors';
import { deliver, outboxEvents, tableItems, theEvent } from '../../support/events';
import { notifiedSystem } from '../../support/notified-system';
import { APNS_APP } from '../../support/sns-push';
import { commandsSentDuring } from '../../support/sent-commands';
import type { TestSystem } from '../../support/test-system';

/**
 * A request that reads the member's profile: the notification's own transaction names it too
 * (its ConditionCheck, UsersFacade.accountCheck: written only while the account exists), which
 * is no read of the profile.
 */
const readsProfile = (c: { name: string; input: Record<string, unknown> }, who: { id: string }) =>
  c.name !== 'TransactWriteItemsCommand' && JSON.stringify(c.input).includes(`users#user#${who.id}`);

/**
 * A budget alert in each recipient's own locale (their profile `locale`, PATCH /v1/me): the
 * email (subject, text, HTML) and the push of a member with `de-DE` are in German words with the
 * amounts and the period's days as German writes them, a `fr-FR` member's in French; a member
 * without a locale gets the text as before locales. The
 * locale comes from the profile read the alert already made for the address and the push
 * switches: no DynamoDB request is added. A bill reminder's push and its in-app `message` the
 * same way. Expected texts written out by hand (\u00A0: the NO-BREAK SPACE Intl puts before a
 * German or French euro sign, and French before ":" and inside « »; \u202F: the NARROW NO-BREAK
 * SPACE grouping French digits). A finished import's push and `message` too, for the user who
 * started it (German words and counts; the same requests as for a starter without a locale),
 * and a failed one's reason by its `failureCode` (German words for a known code; English, as
 * before codes, without a locale; the code stored but not listed; the same requests).
 */
const { push, start } = notifiedSystem();
const clock = fixedClock('2026-11-20T12:00:00Z');
const mail: EmailMessage[] = [];
let t: TestSystem;
let anna: Actor;
let ben: Actor;

beforeAll(async () => {
  t = await start({ clock, mail: { send: async (m) => void mail.push(m) } });
  [anna, ben] = await Promise.all([signUp(t.app, 'locale-anna'), signUp(t.app, 'locale-ben')]);
  push.reset();
  for (const [who, token] of [[anna, 'anna-phone'], [ben, 'ben-phone']] as const) {
    expect((await as(t.app, who)('POST', '/v1/me/devices', { body: { platform: 'apns', token } })).status).toBe(201);
    const optIn = await as(t.app, who)('PATCH', '/v1/me', { body: { notifications: { email: { budgetAlerts: true } } } });
    expect(optIn.status, optIn.text).toBe(200);
  }
});
afterAll(async () => {
  push.restore();
  await t.destroy();
});
beforeEach(() => {
  push.reset();
  mail.length = 0;
});

const setLocale = async (who: Actor, locale: string | null) => {
  const res = await as(t.app, who)('PATCH', '/v1/me', { body: { locale } });
  expect(res.status, res.text).toBe(200);
  expect(res.json.locale).toBe(locale);
};

/** The pushes sent to one device (the APNS payload's alert). */
const pushedAlerts = (token: string) =>
  push.sns
    .commandCalls(PublishCommand)
    .filter((c) => c.args[0].input.TargetArn === `${APNS_APP}/endpoint-${token}`)
    .map((c) => JSON.parse(JSON.parse(c.args[0].input.Message!).APNS).aps.alert as { title: string; body: string });
/** Their bodies. */
const pushedBodies = (token: string) => pushedAlerts(token).map((alert) => alert.body);

describe("budget alerts in the recipient's locale", { timeout: 120_000 }, () => {
  it('a de-DE member gets German words, amounts and days in the email and the push, a fr-FR member French, members without a locale the old text; no request added', async () => {
    const budget = await createBudget(t.app, anna, { currency: 'EUR', limit: 200_000, name: 'Haushalt' });
    await addMember(t.app, anna, budget.id, ben, 'editor');
    const crossing = async (threshold: number) => {
      const events = (await outboxEvents(t, 'budget.threshold_crossed')).filter((e) => e.envelope.data.budgetId === budget.id);
      return events.find((e) => e.envelope.data.threshold === threshold)!;
    };
    const spend = async (amount: number) => {
      const expense = await addExpense(t.app, anna, budget.id, { amount, occurredOn: '2026-11-20' });
      await deliver(t, await theEvent(t, 'expense.recorded', { expenseId: expense.id }));
    };
    const profileReads = (sent: { name: string; input: Record<string, unknown> }[], who: Actor) =>
      sent.filter((c) => readsProfile(c, who)).map((c) => c.name);

    // 80% while neither has a locale: the text as before locales, for both.
    await spend(160_000);
    const plain = await commandsSentDuring(t.doc, async () => deliver(t, await crossing(80)));
    const plainBody = '1600.00 of 2000.00 EUR spent (2026-11-01 to 2026-11-30).';
    expect(mail.map((m) => [m.to, m.text]).sort()).toEqual(
      [anna, ben].map((who) => [who.email, `"Haushalt": 80% of the limit reached\n\n${plainBody}\n`]).sort(),
    );
    expect([pushedBodies('anna-phone'), pushedBodies('ben-phone')]).toEqual([[plainBody], [plainBody]]);

    // Anna sets de-DE, Ben fr-FR; 100%: her email and push are German, his French.
    await setLocale(anna, 'de-DE');
    await setLocale(ben, 'fr-FR');
    mail.length = 0;
    push.reset();
    await spend(45_678);
    const localized = await commandsSentDuring(t.doc, async () => deliver(t, await crossing(100)));
    const germanTitle = '„Haushalt“: 100\u00A0% des Limits erreicht';
    const germanBody = '2.056,78\u00A0€ von 2.000,00\u00A0€ ausgegeben (01.11.2026 bis 30.11.2026).';
    const annaMail = mail.find((m) => m.to === anna.email)!;
    expect(annaMail.subject).toBe(germanTitle);
    expect(annaMail.text).toBe(`${germanTitle}\n\n${germanBody}\n`);
    expect(annaMail.html).toBe(`<!doctype html><html lang="de-DE"><head><meta charset="utf-8"><title>${germanTitle}</title></head><body>\n<p><strong>${germanTitle}</strong></p><p>${germanBody}</p>\n</body></html>`);
    expect(pushedAlerts('anna-phone')).toEqual([{ title: germanTitle, body: germanBody }]);
    const frenchTitle = '«\u00A0Haushalt\u00A0»\u00A0: seuil de 100\u00A0% de la limite atteint';
    const frenchBody = '2\u202F056,78\u00A0€ dépensés sur 2\u202F000,00\u00A0€ (du 1 nov. 2026 au 30 nov. 2026).';
    const benMail = mail.find((m) => m.to === ben.email)!;
    expect(benMail.subject).toBe(frenchTitle);
    expect(benMail.text).toBe(`${frenchTitle}\n\n${frenchBody}\n`);
    expect(benMail.html).toBe(`<!doctype html><html lang="fr-FR"><head><meta charset="utf-8"><title>${frenchTitle}</title></head><body>\n<p><strong>${frenchTitle}</strong></p><p>${frenchBody}</p>\n</body></html>`);
    expect(pushedAlerts('ben-phone')).toEqual([{ title: frenchTitle, body: frenchBody }]);

    // The stored notification (JSON) is unchanged: integer minor units, ISO days.
    const listed = await as(t.app, anna)('GET', '/v1/notifications');
    expect(listed.json.items[0]).toMatchObject({ kind: 'budget.alert', threshold: 100, spent: 205_678, limit: 200_000, periodStart: '2026-11-01', periodEnd: '2026-11-30' });

    // One profile read (a GetItem) per member for each alert, with or without a locale, and the
    // same requests in all for the localized alert as for the plain one.
    for (const run of [plain, localized]) for (const who of [anna, ben]) expect(profileReads(run.sent, who)).toEqual(['GetItemCommand']);
    expect([...localized.commands].sort()).toEqual([...plain.commands].sort());
    await setLocale(anna, null);
    await setLocale(ben, null);
  });
});

describe("bill reminders in the recipient's locale", { timeout: 120_000 }, () => {
  it('a de-DE member is pushed (and listed) German words, amount and day, a member without a locale the old text; one profile read each', async () => {
    // 2026-11-20T12:00Z in a UTC budget: a bill due on the 21st is due soon (from 09:00Z the day before).
    const budget = await createBudget(t.app, anna, { currency: 'EUR', name: 'Wohnung', timezone: 'UTC' });
    await addMember(t.app, anna, budget.id, ben, 'editor');
    const rent = await as(t.app, anna)('POST', `/v1/budgets/${budget.id}/recurring-expenses`, {
      body: { amount: 123_456, merchant: 'Miete GmbH', schedule: { frequency: 'monthly', startsOn: '2026-11-21' } },
    });
    expect(rent.status, rent.text).toBe(201);
    await setLocale(anna, 'de-DE');
    await t.system.jobs.plan('recurring-reminders', new Date('2026-11-20T12:00:00Z'), { logger: t.system.deps.logger });
    const event = (await outboxEvents(t, 'expense.recurring_due_soon')).find((e) => e.envelope.data.budgetId === budget.id)!;
    expect(event.envelope.data).toMatchObject({ amount: 123_456, currency: 'EUR', dueOn: '2026-11-21' });
    const { sent } = await commandsSentDuring(t.doc, () => deliver(t, event));

    const german = 'Miete GmbH: 1.234,56\u00A0€ morgen fällig (21.11.2026) in Wohnung.';
    const plain = 'Miete GmbH: 1234.56 EUR due tomorrow (2026-11-21) in Wohnung.';
    expect(pushedAlerts('anna-phone')).toEqual([{ title: 'Miete GmbH ist morgen fällig', body: german }]);
    expect(pushedAlerts('ben-phone')).toEqual([{ title: 'Miete GmbH is due tomorrow', body: plain }]);
    const messageOf = async (who: Actor) => {
      const res = await as(t.app, who)('GET', '/v1/notifications');
      expect(res.status, res.text).toBe(200);
      return (res.json.items as any[]).filter((n) => n.kind === 'bill.due_soon' && n.budgetId === budget.id).map((n) => [n.message, n.amount, n.dueOn]);
    };
    expect(await messageOf(anna)).toEqual([[german, 123_456, '2026-11-21']]);
    expect(await messageOf(ben)).toEqual([[plain, 123_456, '2026-11-21']]);
    // The locale comes with the profile read the reminder made already (push switch, quiet hours).
    for (const who of [anna, ben]) {
      expect(sent.filter((c) => readsProfile(c, who)).map((c) => c.name)).toEqual(['GetItemCommand']);
    }
    await setLocale(anna, null);
  });
});

describe("a finished import's notification in the starter's locale", { timeout: 120_000 }, () => {
  it('a de-DE starter is pushed and listed German words and counts, a starter without a locale the old text; the same requests for both', async () => {
    await setLocale(anna, 'de-DE');
    // Three rows and an invalid one: 3 added, 0 duplicates, 1 error.
    const file = (prefix: string) =>
      `date,amount,category,description,merchant\n${[1, 2, 3].map((d) => `2026-11-0${d},${d}.50,,${prefix} ${d},Shop`).join('\n')}\n2026-11-31,1,,,\n`;
    const importInto = async (who: Actor, name: string) => {
      const budget = await createBudget(t.app, who, { currency: 'EUR', name });
      const res = await as(t.app, who)('POST', `/v1/budgets/${budget.id}/expenses/import`, {
        rawBody: file(name),
        headers: { 'content-type': 'text/csv', prefer: 'wait=25' },
      });
      expect([200, 202], res.text).toContain(res.status);
      const event = (await outboxEvents(t, 'expense.import_finished')).find((e) => e.envelope.data.importId === res.json.id)!;
      expect(event.envelope.data).toMatchObject({ status: 'succeeded', imported: 3, duplicates: 0, errorCount: 1 });
      return commandsSentDuring(t.doc, () => deliver(t, event));
    };
    const german = await importInto(anna, 'Wohnung');
    const plain = await importInto(ben, 'Flat');

    const germanText = { title: 'Ihr Import ist abgeschlossen', body: 'Ihr Import in Wohnung ist abgeschlossen: 3 hinzugefügt, 0 Duplikate, 1 Fehler.' };
    const plainText = { title: 'Your import finished', body: 'Your import into Flat finished: 3 added, 0 duplicates, 1 error.' };
    expect(pushedAlerts('anna-phone')).toEqual([germanText]);
    expect(pushedAlerts('ben-phone')).toEqual([plainText]);
    const messageOf = async (who: Actor) => {
      const res = await as(t.app, who)('GET', '/v1/notifications');
      expect(res.status, res.text).toBe(200);
      return (res.json.items as any[]).filter((n) => n.kind === 'import.finished').map((n) => [n.message, n.imported, n.errorCount]);
    };
    expect(await messageOf(anna)).toEqual([[germanText.body, 3, 1]]);
    expect(await messageOf(ben)).toEqual([[plainText.body, 3, 1]]);
    // The locale comes with the profile read the starter's notification made already (push
    // switch, quiet hours): one GetItem each, and the same requests with a locale as without.
    for (const [run, who] of [[german, anna], [plain, ben]] as const) {
      expect(run.sent.filter((c) => readsProfile(c, who)).map((c) => c.name)).toEqual(['GetItemCommand']);
    }
    expect([...german.commands].sort()).toEqual([...plain.commands].sort());
    await setLocale(anna, null);
  });
});

describe("a failed import's reason in the starter's locale, by its failure code", { timeout: 120_000 }, () => {
  it("a de-DE starter is pushed and listed the code's German words, a starter without a locale the English reason; the code not listed; the same requests for both", async () => {
    await setLocale(anna, 'de-DE');
    /** An import of `who` that succeeded, its event made a failed one with a code (as the expenses module publishes a budget deleted meanwhile). */
    const failedImport = async (who: Actor, name: string) => {
      const budget = await createBudget(t.app, who, { currency: 'EUR', name });
      const res = await as(t.app, who)('POST', `/v1/budgets/${budget.id}/expenses/import`, {
        rawBody: 'date,amount,category,description,merchant\n2026-11-02,2.50,,one,Shop\n',
        headers: { 'content-type': 'text/csv', prefer: 'wait=25' },
      });
      expect([200, 202], res.text).toContain(res.status);
      const event = (await outboxEvents(t, 'expense.import_finished')).find((e) => e.envelope.data.importId === res.json.id)!;
      const data = { ...event.envelope.data, status: 'failed', failure: 'the budget was deleted while importing', failureCode: 'budget-deleted' };
      const failed = { ...event, envelope: { ...event.envelope, id: `${event.envelope.id}-failed`, data } };
      return { importId: res.json.id as string, ...(await commandsSentDuring(t.doc, () => deliver(t, failed))) };
    };
    const german = await failedImport(anna, 'Keller');
    const plain = await failedImport(ben, 'Cellar');

    const germanText = { title: 'Ihr Import ist fehlgeschlagen', body: 'Ihr Import in Keller ist fehlgeschlagen: das Budget wurde während des Imports gelöscht.' };
    const plainText = { title: 'Your import failed', body: 'Your import into Cellar failed: the budget was deleted while importing.' };
    expect(pushedAlerts('anna-phone')).toEqual([germanText]);
    expect(pushedAlerts('ben-phone')).toEqual([plainText]);
    const listed = async (who: Actor, importId: string) => {
      const res = await as(t.app, who)('GET', '/v1/notifications');
      expect(res.status, res.text).toBe(200);
      return (res.json.items as any[]).filter((n) => n.importId === importId);
    };
    const [annas] = await listed(anna, german.importId);
    expect(annas).toMatchObject({ status: 'failed', failure: 'the budget was deleted while importing', message: germanText.body });
    // The code words the message; the answer has the fields it had before codes.
    expect(annas).not.toHaveProperty('failureCode');
    expect((await listed(ben, plain.importId)).map((n) => n.message)).toEqual([plainText.body]);
    // Stored with the notification (a redelivered event's push words it from there).
    const item = (await tableItems(t.doc, t.tableName)).find((i) => i.kind === 'notification' && i.importId === german.importId);
    expect(item).toMatchObject({ failureCode: 'budget-deleted' });
    for (const [run, who] of [[german, anna], [plain, ben]] as const) {
      expect(run.sent.filter((c) => readsProfile(c, who)).map((c) => c.name)).toEqual(['GetItemCommand']);
    }
    expect([...german.commands].sort()).toEqual([...plain.commands].sort());
    await setLocale(anna, null);
  });
});
