import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PublishCommand } from '@aws-sdk/client-sns';
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { expenseMerchantRenameFinished } from '@budgeting/expenses';
import { createEvent, createLogger } from '@budgeting/platform';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { localJobQueue } from '../../../packages/app/src/local/jobs-runtime';
import { fixedClock } from '../../../packages/platform/src/clock';
import { addMember, asAtClock, createBudget, signUp, type Actor } from '../../support/actors';
import { withFirstAnswerLost } from '../../support/answer-lost';
import { deliver, tableItems, theEvent } from '../../support/events';
import { APNS_APP } from '../../support/sns-push';
import { notifiedSystem } from '../../support/notified-system';
import { type TestSystem } from '../../support/test-system';

/**
 * The quiet-hours summary (PATCH /v1/me notifications.quietHours.summary) on DynamoDB Local,
 * SNS mocked, through the local work queue (the stand-in of SQS): the pushes a night's quiet
 * hours hold write ONE reservation carrying the due index's keys, and queue nothing; the
 * scheduled job `notifications-quiet-summary`, run here one tick at a time as the schedule would
 * (its planner and the units it fans out), finds it once the night has ended (07:00 on the
 * user's Berlin wall clock) and ONE push sums up what is still unread. Without the switch
 * nothing is reserved.
 */
const { push, start } = notifiedSystem();
const BASE = '2026-11-24T12:00:00Z';
const clock = fixedClock(BASE);
const jobs = localJobQueue({ dataDir: mkdtempSync(join(tmpdir(), 'quiet-summary-jobs-')), logger: createLogger('SILENT'), retry: { maxAttempts: 2, baseDelayMs: 5, maxDelayMs: 20 } });
let t: TestSystem;

beforeAll(async () => {
  t = await start({ clock, jobs: { transport: jobs.transport } });
});
afterAll(async () => {
  push.restore();
  await jobs.queue.stop();
  await t.destroy();
});
beforeEach(() => {
  clock.set(BASE);
  push.reset();
});

/** An HTTP call as `who` with a token valid at the clock's time (the tests move it). */
const api = (who: Actor) => asAtClock(t, who);

/** What each push said on the APNs device, in order. */
const pushedTo = (endpoint: string) =>
  push.sns
    .commandCalls(PublishCommand)
    .filter((c) => c.args[0].input.TargetArn === endpoint)
    .map((c) => JSON.parse(JSON.parse(c.args[0].input.Message!).APNS).aps.alert as { title: string; body: string });

/** An owner in Berlin with a phone and the given quiet hours, an editor, a budget and an expense of the owner's. */
async function household(label: string, quietHours: Record<string, unknown>) {
  const [owner, editor] = await Promise.all([signUp(t.app, `${label}-owner`, { timezone: 'Europe/Berlin' }), signUp(t.app, `${label}-editor`)]);
  const budget = await createBudget(t.app, owner, { name: 'Household' });
  await addMember(t.app, owner, budget.id, editor, 'editor');
  expect((await api(owner)('POST', '/v1/me/devices', { body: { platform: 'apns', token: `${label}-phone` } })).status).toBe(201);
  const expense = await api(owner)('POST', `/v1/budgets/${budget.id}/expenses`, { body: { amount: 4_200, occurredOn: '2026-11-20', merchant: 'Toy Store' } });
  expect(expense.status, expense.text).toBe(201);
  const patched = await api(owner)('PATCH', '/v1/me', { body: { notifications: { quietHours } } });
  expect(patched.status, patched.text).toBe(200);
  const phone = `${APNS_APP}/endpoint-${label}-phone`;
  /** The editor comments (at the clock's time) and the event is handled at `at` (UTC); the owner's notification id. */
  const comment = async (text: string, at: string) => {
    const res = await api(editor)('POST', `/v1/budgets/${budget.id}/expenses/${expense.json.id}/comments`, { body: { text } });
    expect(res.status, res.text).toBe(201);
    const event = await theEvent(t, 'expense.comment_added', { commentId: res.json.id });
    clock.set(at);
    await deliver(t, event);
    await jobs.queue.idle();
    const list = await api(owner)('GET', '/v1/notifications?limit=1');
    return { event, notificationId: list.json.items[0].id as string };
  };
  return { owner, phone, comment, patched: patched.json };
}

/** The owner's quiet-summary reservations, as stored. */
const summaries = async (who: Actor) =>
  (await tableItems(t.doc, t.tableName)).filter((i) => i.pk === `notifications#user#${who.id}` && String(i.sk).startsWith('notifications#summary#'));

const JOB = 'notifications-quiet-summary';

/** One tick of the job at `at` (the clock set there too, as a schedule's run): its plan and its units, to the end; how many units it fanned out. */
async function tick(at: string): Promise<number> {
  clock.set(at);
  const before = t.system.jobs.metrics.totals(JOB).DueUnits;
  await t.system.jobs.plan(JOB, new Date(at), { logger: t.system.deps.logger });
  await jobs.queue.idle();
  return t.system.jobs.metrics.totals(JOB).DueUnits - before;
}

/** The reservation's due index keys, when it still has them. */
const indexed = (item: Record<string, unknown> | undefined) => (item && item.gsi1pk !== undefined ? { gsi1pk: item.gsi1pk, gsi1sk: item.gsi1sk } : undefined);

describe('the quiet-hours summary', { timeout: 120_000 }, () => {
  it('reserves the end of the night once however many pushes it holds, queues nothing, and the tick after the end pushes one summary of what is still unread, once', async () => {
    const h = await household('summary-on', { from: '22:00', to: '07:00', summary: true });
    expect(h.patched.notifications.quietHours).toEqual({ from: '22:00', to: '07:00', summary: true });

    // Noon in Berlin: pushed at once, and never part of the night's summary (though unread).
    await h.comment('Before the night', '2026-11-24T11:00:00Z');
    expect(pushedTo(h.phone)).toHaveLength(1);

    // 22:30, 23:00, 01:00 and 03:00 in Berlin (CET, UTC+1): four held, ONE reservation, nothing queued.
    await h.comment('First late one', '2026-11-24T21:30:00Z');
    const read = await h.comment('Second late one', '2026-11-24T22:00:00Z');
    const third = await h.comment('Third late one', '2026-11-25T00:00:00Z');
    await h.comment('Fourth late one', '2026-11-25T02:00:00Z');
    expect(pushedTo(h.phone)).toHaveLength(1);
    expect(jobs.queue.delayed).toBe(0);
    // The reservation: the night from 22:00 CET (21:00 UTC) to 07:00 CET (06:00 UTC), kept 14
    // days past its end, in the due index by its end (one of the 4 shards, by user id).
    const [reservation] = await summaries(h.owner);
    expect(reservation).toMatchObject({
      sk: 'notifications#summary#2026-11-25T06:00:00.000Z',
      windowStart: '2026-11-24T21:00:00.000Z',
      windowEnd: '2026-11-25T06:00:00.000Z',
      expiresAt: Date.parse('2026-12-09T06:00:00Z') / 1000,
      gsi1sk: `notifications#summarydue#2026-11-25T06:00:00.000Z#${h.owner.id}`,
    });
    expect(String(reservation!.gsi1pk)).toMatch(/^notifications#summarydue#[0-3]$/);
    expect(await summaries(h.owner)).toHaveLength(1);

    // A redelivered held event writes nothing more; one of the four is read before morning.
    clock.set('2026-11-25T04:00:00Z');
    await deliver(t, third.event);
    await jobs.queue.idle();
    expect(await summaries(h.owner)).toEqual([reservation]);
    expect((await api(h.owner)('POST', `/v1/notifications/${read.notificationId}/read`)).status).toBe(200);

    // The ticks of 06:30 and 06:45 in Berlin: the night has not ended, nothing is due, nothing sent.
    expect(await tick('2026-11-25T05:30:00Z')).toBe(0);
    expect(await tick('2026-11-25T05:45:00Z')).toBe(0);
    expect(pushedTo(h.phone)).toHaveLength(1);
    expect(indexed((await summaries(h.owner))[0])).toEqual(indexed(reservation));

    // The 07:00 tick: one unit, one summary of the three still unread; the newest two named.
    expect(await tick('2026-11-25T06:00:00Z')).toBe(1);
    expect(pushedTo(h.phone)).toEqual([
      { title: 'New comment on an expense', body: 'Before the night' },
      { title: 'While you were away', body: '3 notifications: New comment on an expense, New comment on an expense, and 1 more' },
    ]);
    // Marked pushed and out of the index in one write; the reservation stays until its TTL.
    const [sent] = await summaries(h.owner);
    expect(sent).toMatchObject({ pushedAt: '2026-11-25T06:00:00.000Z', expiresAt: Date.parse('2026-12-09T06:00:00Z') / 1000 });
    expect(indexed(sent)).toBeUndefined();

    // The next tick finds nothing; the unit delivered again (a queue delivers at least once) sends nothing.
    expect(await tick('2026-11-25T06:15:00Z')).toBe(0);
    await jobs.queue.send([{ type: 'unit', job: JOB, tick: '2026-11-25T06:00:00.000Z', unit: { userId: h.owner.id, start: '2026-11-24T21:00:00.000Z', end: '2026-11-25T06:00:00.000Z' } }]);
    await jobs.queue.idle();
    expect(pushedTo(h.phone)).toHaveLength(2);
    // Later held pushes of the same night's end (a redelivery) cannot reserve it again.
    await deliver(t, third.event);
    await jobs.queue.idle();
    expect(await summaries(h.owner)).toEqual([sent]);
    expect(jobs.queue.deadLettered).toBe(0);
  });

  it('sums up 100 held notifications as 100 even when they are as large as their inputs allow (DynamoDB cuts a Query page at 1 MB)', async () => {
    const h = await household('summary-large', { from: '22:00', to: '07:00', summary: true });
    const budget = await createBudget(t.app, h.owner, { name: 'Large' });
    // Merchant renames' notifications keep their 20 names of 200 characters (3 bytes each in UTF-8): ~14 KB, ~75 a page.
    const name = (seed: number) => `${seed}`.padEnd(200, '語');
    clock.set('2026-11-24T23:00:00Z');
    const finished = await Promise.all(
      Array.from({ length: 100 }, async (_, n) => {
        const data = { budgetId: budget.id, renameId: `rename-${n}`, startedBy: h.owner.id, from: Array.from({ length: 20 }, (_, i) => name(n * 20 + i)), to: name(n), status: 'succeeded' as const, examined: 1, renamed: 1 };
        const envelope = await createEvent(expenseMerchantRenameFinished, data, clock);
        return { pk: `expenses#outbox#${envelope.id}`, source: expenseMerchantRenameFinished.source, detailType: expenseMerchantRenameFinished.type, envelope };
      }),
    );
    await deliver(t, ...finished);
    await jobs.queue.idle();
    expect(pushedTo(h.phone)).toEqual([]);
    expect(await tick('2026-11-25T06:00:00Z')).toBe(1);
    const pushed = pushedTo(h.phone);
    expect(pushed).toHaveLength(1);
    expect(pushed[0]!.body).toMatch(/^100 notifications: .*, and 98 more$/);
  });

  it('reserves nothing without the switch: held pushes stay unpushed, as before', async () => {
    const h = await household('summary-off', { from: '22:00', to: '07:00' });
    expect(h.patched.notifications.quietHours).toEqual({ from: '22:00', to: '07:00', summary: false });
    await h.comment('Late, no summary', '2026-11-24T21:30:00Z');
    expect(jobs.queue.delayed).toBe(0);
    expect(await summaries(h.owner)).toEqual([]);
    expect(await tick('2026-11-25T06:00:00Z')).toBe(0);
    expect(pushedTo(h.phone)).toEqual([]);
  });

  it('sends nothing when the summary was turned off before the night ended, and takes it out of the index', async () => {
    const h = await household('summary-later-off', { from: '22:00', to: '07:00', summary: true });
    await h.comment('Late, summary on', '2026-11-24T21:30:00Z');
    expect(indexed((await summaries(h.owner))[0])).toBeDefined();
    clock.set('2026-11-25T05:00:00Z');
    const off = await api(h.owner)('PATCH', '/v1/me', { body: { notifications: { quietHours: { from: '22:00', to: '07:00', summary: false } } } });
    expect(off.status, off.text).toBe(200);
    expect(await tick('2026-11-25T06:00:00Z')).toBe(1);
    expect(pushedTo(h.phone)).toEqual([]);
    const [kept] = await summaries(h.owner);
    expect(kept!.pushedAt).toBeUndefined();
    expect(indexed(kept)).toBeUndefined();
    expect(await tick('2026-11-25T06:15:00Z')).toBe(0);
    expect(jobs.queue.deadLettered).toBe(0);
  });

  it('sends nothing to a user who removed their last device before the night ended', async () => {
    const h = await household('summary-no-device', { from: '22:00', to: '07:00', summary: true });
    await h.comment('Late, then the phone goes', '2026-11-24T21:30:00Z');
    clock.set('2026-11-25T05:00:00Z');
    const devices = await api(h.owner)('GET', '/v1/me/devices');
    expect((await api(h.owner)('DELETE', `/v1/me/devices/${devices.json.items[0].id}`)).status).toBe(204);
    expect(await tick('2026-11-25T06:00:00Z')).toBe(1);
    expect(push.sns.commandCalls(PublishCommand)).toEqual([]);
    const [kept] = await summaries(h.owner);
    expect(kept!.pushedAt).toBeUndefined();
    expect(indexed(kept)).toBeUndefined();
    expect(jobs.queue.deadLettered).toBe(0);
  });

  it('a summary whose push fails every attempt is dead-lettered and leaves the index (not retried every tick)', async () => {
    const h = await household('summary-push-fails', { from: '22:00', to: '07:00', summary: true });
    // The next night: the notification ids are ULIDs of the clock's time, which the factory never
    // takes back, and the first test left it at 06:15 on the 25th.
    await h.comment('Late, SNS will fail', '2026-11-25T21:30:00Z');
    push.sns.on(PublishCommand).rejects(Object.assign(new Error('SNS is down'), { name: 'InternalErrorException' }));
    const deadBefore = jobs.queue.deadLettered;
    expect(await tick('2026-11-26T06:00:00Z')).toBe(1);
    // Two attempts (the local queue's retries here), each a Publish that failed.
    expect(push.sns.commandCalls(PublishCommand)).toHaveLength(2);
    expect(jobs.queue.deadLettered).toBe(deadBefore + 1);
    const [kept] = await summaries(h.owner);
    expect(kept!.pushedAt).toBeUndefined();
    expect(indexed(kept)).toBeUndefined();
    expect(await tick('2026-11-26T06:15:00Z')).toBe(0);
  });

  it('two units of the same night run at once push once: the unit claims the reservation before it sends', async () => {
    const h = await household('summary-race', { from: '22:00', to: '07:00', summary: true });
    // The night after the previous test's (ULIDs of the clock's time are never taken back).
    await h.comment('Late, two units will race', '2026-11-26T21:30:00Z');
    clock.set('2026-11-27T06:00:00Z');
    const unit = { type: 'unit' as const, job: JOB, tick: '2026-11-27T06:00:00.000Z', unit: { userId: h.owner.id, start: '2026-11-26T21:00:00.000Z', end: '2026-11-27T06:00:00.000Z' } };
    const ctx = { logger: t.system.deps.logger };
    // Both read the reservation unsent before either writes: only the claim tells them apart.
    await Promise.all([t.system.jobs.deliver(unit, ctx), t.system.jobs.deliver(unit, ctx)]);
    expect(pushedTo(h.phone)).toEqual([{ title: 'While you were away', body: '1 notification: New comment on an expense' }]);
    const [sent] = await summaries(h.owner);
    expect(sent).toMatchObject({ pushedAt: '2026-11-27T06:00:00.000Z', sendingAt: '2026-11-27T06:00:00.000Z' });
    expect(indexed(sent)).toBeUndefined();
  });

  it('a unit that died between its claim and the push leaves the night unsummed, never summed twice', async () => {
    const h = await household('summary-died', { from: '22:00', to: '07:00', summary: true });
    await h.comment('Late, the unit will die', '2026-11-27T21:30:00Z');
    const [reservation] = await summaries(h.owner);
    const deadBefore = jobs.queue.deadLettered;
    // What a unit that claimed and then died leaves behind: the claim, still in the index.
    await t.doc.send(new UpdateCommand({ TableName: t.tableName, Key: { pk: reservation!.pk, sk: reservation!.sk }, UpdateExpression: 'SET sendingAt = :at', ExpressionAttributeValues: { ':at': '2026-11-28T06:00:00.000Z' } }));
    expect(await tick('2026-11-28T06:15:00Z')).toBe(1);
    expect(pushedTo(h.phone)).toEqual([]);
    const [kept] = await summaries(h.owner);
    expect(kept!.pushedAt).toBeUndefined();
    expect(indexed(kept)).toBeUndefined();
    expect(await tick('2026-11-28T06:30:00Z')).toBe(0);
    expect(jobs.queue.deadLettered).toBe(deadBefore);
  });

  it('a unit whose claim committed but whose answer was lost (the SDK sent it again and met that claim) pushes the summary once: it took its own claim for another unit\'s, and the night was lost', async () => {
    const h = await household('summary-claim-lost', { from: '22:00', to: '07:00', summary: true });
    // The night after the previous test's (ULIDs of the clock's time are never taken back).
    await h.comment('Late, the claim\'s answer will be lost', '2026-11-28T21:30:00Z');
    const claim = (name: string, input: string) => name === 'UpdateItemCommand' && input.includes('SET sendingAt = :at');
    const { result: units, resent } = await withFirstAnswerLost(t.doc, claim, () => tick('2026-11-29T06:00:00Z'));
    expect(resent).toBe(true);
    expect(units).toBe(1);
    expect(pushedTo(h.phone)).toEqual([{ title: 'While you were away', body: '1 notification: New comment on an expense' }]);
    const [sent] = await summaries(h.owner);
    expect(sent).toMatchObject({ pushedAt: '2026-11-29T06:00:00.000Z', sendingAt: '2026-11-29T06:00:00.000Z' });
    expect(indexed(sent)).toBeUndefined();
  });
});

describe('the quiet-hours summary when the quiet hours change during the night', { timeout: 120_000 }, () => {
  it('is not pushed while the quiet hours as they are now still hold (a later end), but once when they end', async () => {
    const h = await household('summary-later-end', { from: '22:00', to: '07:00', summary: true });
    const deadBefore = jobs.queue.deadLettered;
    await h.comment('Late, summary on', '2026-11-24T21:30:00Z');
    // Saturday: at 06:00 Berlin the user sleeps in, quiet until 09:00 (08:00 UTC) now.
    clock.set('2026-11-25T05:00:00Z');
    const later = await api(h.owner)('PATCH', '/v1/me', { body: { notifications: { quietHours: { from: '22:00', to: '09:00', summary: true } } } });
    expect(later.status, later.text).toBe(200);
    await tick('2026-11-25T06:00:00Z');
    await tick('2026-11-25T07:45:00Z');
    expect(pushedTo(h.phone)).toEqual([]);
    await tick('2026-11-25T08:00:00Z');
    await tick('2026-11-25T08:15:00Z');
    expect(pushedTo(h.phone)).toHaveLength(1);
    expect(pushedTo(h.phone)[0]!.body).toBe('1 notification: New comment on an expense');
    expect(jobs.queue.deadLettered).toBe(deadBefore);
  });
});
