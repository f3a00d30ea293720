import { beforeAll, describe, expect, it } from 'vitest';
import { addMember, as, createBudget, type Actor } from '../../support/actors';
import { matchesRelayFilter } from '../../../packages/app/src/events/relay-filter';
import { deliver, eventsAbout, tableItems, type OutboxEvent } from '../../support/events';
import { streamRecord } from '../../unit/events/stream-records';
import { APNS_APP } from '../../support/sns-push';
import { type TestSystem } from '../../support/test-system';
import { addPhones, budgetWebhook, notificationsOfKind, notifiedSuite } from '../../support/notified-system';

/**
 * A finished merchant rename tells the person who started it, as a finished import does
 * (import-finished.test.ts; DynamoDB Local, SNS mocked, webhooks' poster a stand-in): exactly
 * one expense.merchant_rename_finished per rename, with its names and counts; through
 * bus-delivery a `merchant-rename.finished` notification and a push for the starter only (not
 * another member), once however often the event comes, the push muted by `push.imports`; and a
 * webhook of the budget that picked the event receives it. Pages hold 3 expenses here, so 5
 * expenses are 2 units. The stalled renames' events (failed by a reader, by the watchdog) are
 * asserted in merchant-rename-stalled.test.ts and merchant-rename-watchdog.test.ts; a unit
 * redelivered after its commit in merchant-rename.test.ts.
 */
const suite = notifiedSuite({ owner: 'rename-fin-owner', editor: 'rename-fin-editor' }, { expenses: { merchantRename: { pageSize: 3 } } });
const { push, postedData } = suite;
let t: TestSystem;
let owner: Actor;
let editor: Actor;
beforeAll(() => ({ t, owner, editor } = suite.accounts));

const api = (who: Actor) => as(t.app, who);
async function expenses(who: Actor, budgetId: string, merchants: string[]) {
  for (const [n, merchant] of merchants.entries()) {
    const res = await api(who)('POST', `/v1/budgets/${budgetId}/expenses`, { body: { occurredOn: '2026-11-10', amount: 100 + n, merchant } });
    expect(res.status, res.text).toBe(201);
  }
}
async function rename(who: Actor, budgetId: string, body: { from: string[]; to: string }) {
  const res = await api(who)('POST', `/v1/budgets/${budgetId}/merchants/rename`, { body, headers: { prefer: 'wait=20' } });
  expect(res.status, res.text).toBe(200);
  return res.json as { id: string; status: string; examined: number; renamed: number };
}
const finishedOf = (id: string): Promise<OutboxEvent[]> => eventsAbout(t, 'expense.merchant_rename_finished', 'renameId', id);
const renameNotifications = (who: Actor) => notificationsOfKind(t.app, who, 'merchant-rename.finished');
const publishedTo = push.publishedTo;

describe('expense.merchant_rename_finished', { timeout: 60_000 }, () => {
  it('is written once with the names and counts; the starter alone is told (in the app and by push, once), and the budget webhook receives it', async () => {
    const budget = await createBudget(t.app, owner, { name: 'Household' });
    await addMember(t.app, owner, budget.id, editor, 'editor');
    await addPhones(t.app, [[owner, 'owner-phone'], [editor, 'editor-phone']]);
    await budgetWebhook(t.app, owner, budget.id, 'expense.merchant_rename_finished');
    // Four spellings of one payee over two pages, and one other merchant left alone.
    await expenses(owner, budget.id, ['AMZN MKTP US', 'amzn mktp us', 'Corner Market', 'AMZN MKTP US', 'Amazon.com']);

    const done = await rename(editor, budget.id, { from: ['AMZN MKTP US', 'Amazon.com'], to: 'Amazon' });
    expect(done).toMatchObject({ status: 'succeeded', examined: 5, renamed: 4 });

    const events = await finishedOf(done.id);
    expect(events.map((e) => e.envelope.data)).toEqual([
      { budgetId: budget.id, renameId: done.id, startedBy: editor.id, from: ['AMZN MKTP US', 'Amazon.com'], to: 'Amazon', status: 'succeeded', examined: 5, renamed: 4 },
    ]);
    expect(events[0]).toMatchObject({ source: 'budgeting.expenses', envelope: { type: 'expense.merchant_rename_finished', version: 1 } });
    // The relay is handed it: its item's INSERT passes the stream's filter.
    const item = (await tableItems(t.doc, t.tableName)).find((i) => i.pk === events[0]!.pk)!;
    expect(matchesRelayFilter(streamRecord(item))).toBe(true);

    // Delivered twice (a redelivery): one notification, one push, one webhook delivery.
    await deliver(t, events[0]!, events[0]!);
    await t.system.webhooks.localQueue!.idle();
    expect(await renameNotifications(editor)).toEqual([
      expect.objectContaining({
        kind: 'merchant-rename.finished', budgetId: budget.id, budgetName: 'Household', renameId: done.id, from: ['AMZN MKTP US', 'Amazon.com'], to: 'Amazon',
        status: 'succeeded', examined: 5, renamed: 4, failure: null, message: 'Your rename to "Amazon" in Household finished: 4 expenses renamed.', readAt: null,
      }),
    ]);
    expect(await renameNotifications(owner)).toEqual([]);
    expect(publishedTo()).toEqual([`${APNS_APP}/endpoint-editor-phone`]);
    expect(postedData('expense.merchant_rename_finished')).toEqual([events[0]!.envelope.data]);

    // Read again later: the ended rename publishes nothing more.
    expect((await api(editor)('GET', `/v1/budgets/${budget.id}/merchant-renames/${done.id}`)).json).toMatchObject({ status: 'succeeded' });
    expect(await finishedOf(done.id)).toHaveLength(1);
  });

  it('a rename that matches nothing still ends with its one event; a muted push (push.imports) still leaves the notification', async () => {
    const budget = await createBudget(t.app, owner, { name: 'Trip' });
    await expenses(owner, budget.id, ['Corner Market', 'Café Nero']);
    const done = await rename(owner, budget.id, { from: ['AMZN MKTP US'], to: 'Amazon' });
    const events = await finishedOf(done.id);
    expect(events.map((e) => e.envelope.data)).toEqual([
      { budgetId: budget.id, renameId: done.id, startedBy: owner.id, from: ['AMZN MKTP US'], to: 'Amazon', status: 'succeeded', examined: 2, renamed: 0 },
    ]);

    const muted = await api(owner)('PATCH', '/v1/me', { body: { notifications: { push: { imports: false } } } });
    expect(muted.json.notifications.push, muted.text).toMatchObject({ imports: false });
    await deliver(t, events[0]!);
    expect((await renameNotifications(owner)).map((n) => [n.renameId, n.message])).toEqual([[done.id, 'Your rename to "Amazon" in Trip finished: 0 expenses renamed.']]);
    expect(publishedTo()).toEqual([]);
  });
});
