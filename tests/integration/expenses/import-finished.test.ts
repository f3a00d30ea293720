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
});
