import { PublishCommand } from '@aws-sdk/client-sns';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { addMember, as, createBudget, type Actor } from '../../support/actors';
import { matchesRelayFilter } from '../../../packages/app/src/events/relay-filter';
import { deliver, eventsAbout, tableItems, type OutboxEvent } from '../../support/events';
import { streamRecord } from '../../unit/events/stream-records';
import { APNS_APP } from '../../support/sns-push';
import { type TestSystem } from '../../support/test-system';
import { addPhones, budgetWebhook, notificationsOfKind, notifiedSuite } from '../../support/notified-system';

/**
 * A finished import tells the person who started it (DynamoDB Local; SNS mocked, webhooks'
 * poster a stand-in): exactly one expense.import_finished per import, with its counts; through
 * bus-delivery an `import.finished` notification and a push for the starter only (not another member),
 * once however often the event comes, the push muted by `push.imports`; and a webhook of the
 * budget that picked the event receives it. The failed and stalled imports' events are asserted
 * in csv-import-dead-letter.test.ts and csv-import-stalled.test.ts.
 */
const suite = notifiedSuite({ owner: 'import-owner', editor: 'import-editor' });
const { push, postedData } = suite;
let t: TestSystem;
let owner: Actor;
let editor: Actor;
beforeAll(() => ({ t, owner, editor } = suite.accounts));

const api = (who: Actor) => as(t.app, who);
const rows = (from: number, count: number) => Array.from({ length: count }, (_, n) => `2026-11-${String(1 + from + n).padStart(2, '0')},${from + n + 1}.50,,row ${from + n},Shop`);
const csv = (lines: string[]) => `date,amount,category,description,merchant\n${lines.join('\n')}\n`;

async function importFile(who: Actor, budgetId: string, file: string) {
  const res = await api(who)('POST', `/v1/budgets/${budgetId}/expenses/import`, { rawBody: file, headers: { 'content-type': 'text/csv', prefer: 'wait=25' } });
  expect([200, 202], res.text).toContain(res.status);
  return res.json as { id: string; status: string };
}
const finishedOf = (id: string): Promise<OutboxEvent[]> => eventsAbout(t, 'expense.import_finished', 'importId', id);
const importNotifications = (who: Actor) => notificationsOfKind(t.app, who, 'import.finished');
/** The bodies of the pushes sent to the device registered with `token`. */
const pushedBodies = (token: string): string[] =>
  push.sns
    .commandCalls(PublishCommand)
    .filter((c) => c.args[0].input.TargetArn === `${APNS_APP}/endpoint-${token}`)
    .map((c) => (JSON.parse(JSON.parse(c.args[0].input.Message!).APNS) as { aps: { alert: { body: string } } }).aps.alert.body);

/** An OFX 1.02 statement (SGML, CRLF), USD: a debit per negative amount, a credit per positive one. */
const ofx = (amounts: string[]) =>
  [
    'OFXHEADER:100', 'DATA:OFXSGML', 'VERSION:102', 'SECURITY:NONE', 'ENCODING:USASCII', 'CHARSET:1252', 'COMPRESSION:NONE', 'OLDFILEUID:NONE', 'NEWFILEUID:NONE', '',
    '<OFX>', '<BANKMSGSRSV1>', '<STMTTRNRS>', '<TRNUID>1001', '<STMTRS>', '<CURDEF>USD',
    '<BANKACCTFROM>', '<BANKID>121000248', '<ACCTID>000987654321', '<ACCTTYPE>CHECKING', '</BANKACCTFROM>',
    '<BANKTRANLIST>', '<DTSTART>20261101', '<DTEND>20261130',
    ...amounts.flatMap((amount, n) => [
      '<STMTTRN>', `<TRNTYPE>${amount.startsWith('-') ? 'DEBIT' : 'CREDIT'}`, `<DTPOSTED>202611${String(n + 1).padStart(2, '0')}`, `<TRNAMT>${amount}`, `<FITID>f-${n}`, `<NAME>PAYEE ${n}`, '</STMTTRN>',
    ]),
    '</BANKTRANLIST>', '</STMTRS>', '</STMTTRNRS>', '</BANKMSGSRSV1>', '</OFX>', '',
  ].join('\r\n');
async function importOfx(who: Actor, budgetId: string, file: string, query: string) {
  const res = await api(who)('POST', `/v1/budgets/${budgetId}/expenses/import?${query}`, { rawBody: file, headers: { 'content-type': 'application/x-ofx', prefer: 'wait=25' } });
  expect(res.status, res.text).toBe(200);
  return res.json as { id: string; status: string };
}
const publishedTo = push.publishedTo;

describe('expense.import_finished', { timeout: 60_000 }, () => {
  it('is written once with the counts; the starter alone is told (in the app and by push, once), and the budget webhook receives it', async () => {
    const budget = await createBudget(t.app, owner, { name: 'Household' });
    await addMember(t.app, owner, budget.id, editor, 'editor');
    await addPhones(t.app, [[owner, 'owner-phone'], [editor, 'editor-phone']]);
    await budgetWebhook(t.app, owner, budget.id, 'expense.import_finished');

    const first = await importFile(owner, budget.id, csv(rows(0, 2)));
    // Two rows seen before, two new, one invalid.
    const second = await importFile(owner, budget.id, csv([...rows(0, 4), '2026-11-31,1,,,']));
    expect((await api(owner)('GET', `/v1/budgets/${budget.id}/imports/${second.id}`)).json).toMatchObject({ status: 'succeeded', imported: 2, duplicates: 2, errorCount: 1 });

    expect((await finishedOf(first.id)).map((e) => e.envelope.data)).toEqual([
      { budgetId: budget.id, importId: first.id, userId: owner.id, status: 'succeeded', total: 2, imported: 2, duplicates: 0, matched: 0, errorCount: 0 },
    ]);
    const events = await finishedOf(second.id);
    expect(events.map((e) => e.envelope.data)).toEqual([
      { budgetId: budget.id, importId: second.id, userId: owner.id, status: 'succeeded', total: 5, imported: 2, duplicates: 2, matched: 0, errorCount: 1 },
    ]);
    expect(events[0]).toMatchObject({ source: 'budgeting.expenses', envelope: { type: 'expense.import_finished', version: 1 } });
    // The relay is handed it: its item's INSERT passes the stream's filter.
    const item = (await tableItems(t.doc, t.tableName)).find((i) => i.pk === events[0]!.pk)!;
    expect(matchesRelayFilter(streamRecord(item))).toBe(true);

    // Delivered twice (a redelivery): one notification, one push, one webhook delivery.
    await deliver(t, events[0]!, events[0]!);
    await t.system.webhooks.localQueue!.idle();
    const told = await importNotifications(owner);
    expect(told).toEqual([
      expect.objectContaining({
        kind: 'import.finished', budgetId: budget.id, budgetName: 'Household', importId: second.id, status: 'succeeded', total: 5, imported: 2, duplicates: 2, matched: 0, errorCount: 1, failure: null,
        message: 'Your import into Household finished: 2 added, 2 duplicates, 1 error.', readAt: null,
      }),
    ]);
    expect(await importNotifications(editor)).toEqual([]);
    expect(publishedTo()).toEqual([`${APNS_APP}/endpoint-owner-phone`]);
    expect(postedData('expense.import_finished')).toEqual([events[0]!.envelope.data]);
  });

  it('an import with nothing to queue (every row seen before) ends at once with its one event; a muted push still leaves the notification', async () => {
    const budget = await createBudget(t.app, editor, { name: 'Trip' });
    const first = await importFile(editor, budget.id, csv(rows(0, 3)));
    expect((await finishedOf(first.id)).map((e) => e.envelope.data.status)).toEqual(['succeeded']);

    const again = await importFile(editor, budget.id, csv(rows(0, 3)));
    expect(again.status).toBe('succeeded');
    const events = await finishedOf(again.id);
    expect(events.map((e) => e.envelope.data)).toEqual([
      { budgetId: budget.id, importId: again.id, userId: editor.id, status: 'succeeded', total: 3, imported: 0, duplicates: 3, matched: 0, errorCount: 0 },
    ]);

    const muted = await api(editor)('PATCH', '/v1/me', { body: { notifications: { push: { imports: false } } } });
    expect(muted.json.notifications.push, muted.text).toMatchObject({ imports: false });
    await deliver(t, events[0]!);
    expect((await importNotifications(editor)).map((n) => [n.importId, n.message])).toEqual([[again.id, 'Your import into Trip finished: 0 added, 3 duplicates, 0 errors.']]);
    expect(publishedTo()).toEqual([]);
  });

  it('an OFX import with credits=income carries incomeImported; the notification and push tell expenses and income entries apart (in the starter\'s locale); webhooks receive it', async () => {
    const budget = await createBudget(t.app, owner, { name: 'Bank', currency: 'USD' });
    await addPhones(t.app, [[owner, 'owner-income-phone']]);
    await budgetWebhook(t.app, owner, budget.id, 'expense.import_finished');
    // Three debits, two credits: 5 rows written, 2 of them income entries.
    const done = await importOfx(owner, budget.id, ofx(['-12.50', '2500.00', '-3.00', '15.00', '-40.00']), 'credits=income');
    expect(done.status).toBe('succeeded');
    const events = await finishedOf(done.id);
    expect(events.map((e) => e.envelope.data)).toEqual([
      { budgetId: budget.id, importId: done.id, userId: owner.id, status: 'succeeded', total: 5, imported: 5, duplicates: 0, matched: 0, errorCount: 0, skipped: 0, incomeImported: 2 },
    ]);
    await deliver(t, events[0]!);
    await t.system.webhooks.localQueue!.idle();
    const told = (await importNotifications(owner)).filter((n) => n.importId === done.id);
    expect(told).toEqual([expect.objectContaining({ status: 'succeeded', imported: 5, message: 'Your import into Bank finished: 3 expenses and 2 income entries added, 0 duplicates, 0 errors.' })]);
    expect(told[0]).not.toHaveProperty('incomeImported');
    expect(pushedBodies('owner-income-phone')).toEqual(['Your import into Bank finished: 3 expenses and 2 income entries added, 0 duplicates, 0 errors.']);
    expect(postedData('expense.import_finished')).toContainEqual(events[0]!.envelope.data);

    // In German, singular forms: one debit, one credit.
    expect((await api(editor)('PATCH', '/v1/me', { body: { locale: 'de-DE', notifications: { push: { imports: true } } } })).status).toBe(200);
    await addPhones(t.app, [[editor, 'editor-income-phone']]);
    const mine = await createBudget(t.app, editor, { name: 'Konto', currency: 'USD' });
    const one = await importOfx(editor, mine.id, ofx(['-9.99', '100.00']), 'credits=income');
    const [ended] = await finishedOf(one.id);
    expect(ended!.envelope.data).toMatchObject({ imported: 2, incomeImported: 1 });
    await deliver(t, ended!);
    const german = 'Ihr Import in Konto ist abgeschlossen: 1 Ausgabe und 1 Einnahme hinzugefügt, 0 Duplikate, 0 Fehler.';
    expect((await importNotifications(editor)).filter((n) => n.importId === one.id).map((n) => n.message)).toEqual([german]);
    expect(pushedBodies('editor-income-phone')).toEqual([german]);

    // The same statement without credits=income: no incomeImported, the text as before.
    const plain = await importOfx(editor, mine.id, ofx(['-9.99', '100.00', '-1.00']), '');
    const [plainEnded] = await finishedOf(plain.id);
    expect(plainEnded!.envelope.data).toEqual({ budgetId: mine.id, importId: plain.id, userId: editor.id, status: 'succeeded', total: 2, imported: 1, duplicates: 1, matched: 0, errorCount: 0, skipped: 1 });
    await deliver(t, plainEnded!);
    expect((await importNotifications(editor)).filter((n) => n.importId === plain.id).map((n) => n.message)).toEqual(['Ihr Import in Konto ist abgeschlossen: 1 hinzugefügt, 1 Duplikat, 0 Fehler.']);
  });

  it('a notification stored while the kind was named `import` (2026-12-02, before import.finished) still lists, as import.finished: the list was a 500', async () => {
    const budget = await createBudget(t.app, owner, { name: 'Early' });
    const done = await importFile(owner, budget.id, csv(rows(10, 2)));
    const [ended] = await finishedOf(done.id);
    await deliver(t, ended!);
    const [told] = (await importNotifications(owner)).filter((n) => n.importId === done.id);
    expect(told, 'the import notification').toBeDefined();
    // The item as the code of 2026-12-02 10:07 stored it: the same fields, the kind's first name.
    const stored = (await tableItems(t.doc, t.tableName)).find((i) => i.kind === 'notification' && i.importId === done.id)!;
    await t.doc.send(new PutCommand({ TableName: t.tableName, Item: { ...stored, notificationKind: 'import' } }));

    const listed = await api(owner)('GET', '/v1/notifications');
    expect(listed.status, listed.text).toBe(200);
    expect((listed.json.items as { id: string }[]).find((n) => n.id === told.id)).toEqual(told);
  });
});
