import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fixedClock } from '@budgeting/platform';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { matchesRelayFilter } from '../../../packages/app/src/events/relay-filter';
import { startLocalEvents } from '../../../packages/app/src/local/events-runtime';
import { SUBSCRIPTIONS } from '../../../packages/app/src/wiring/manifest';
import { deliver, outboxEvents, tableItems, type OutboxEvent } from '../../support/events';
import { commandsSentDuring } from '../../support/sent-commands';
import { streamRecord } from '../../unit/events/stream-records';
import { createHarness, type Budget, type Harness, type Team, type User } from './harness';

/**
 * Income's events (packages/expenses/docs/income.md "Income and cash flow", "Events"): each income write puts
 * exactly ONE event to the outbox, in its own transaction (income.recorded / updated /
 * deleted, the data written out by hand below); a write that fails or loses a race puts none;
 * a crash right after the commit still has its event relayed (the table's stream, the real
 * local relay); the activity module turns them into entries every member sees, once however
 * often an event is delivered. Webhook deliveries: tests/integration/webhooks/feature-events.test.ts.
 */
const clock = fixedClock('2026-12-02T09:00:00Z');
let h: Harness;
let team: Team;
let crashAfterIncomeCommit = false;

beforeAll(async () => {
  h = await createHarness({ clock, stream: true });
  team = await h.team({ currency: 'USD' });
  // The process dies right after an income write's transaction committed: the write is in,
  // the request never answers (500), nothing after the commit runs.
  h.t.doc.middlewareStack.add(
    (next) => async (args) => {
      const items = (args.input as { TransactItems?: { Put?: { Item?: Record<string, unknown> } }[] }).TransactItems ?? [];
      const incomeWrite = items.some((i) => i.Put?.Item?.kind === 'outbox' && String(i.Put.Item.detailType).startsWith('income.'));
      if (!crashAfterIncomeCommit || !incomeWrite) return next(args);
      await next(args);
      throw new Error('process died right after the commit');
    },
    { step: 'initialize', name: 'crashAfterIncomeCommit' },
  );
});
afterAll(() => h.destroy());

const path = (b: Budget) => `/v1/budgets/${b.id}/income`;
/** A new budget of the team: the owner's, with its editor and viewer. */
async function fresh(): Promise<Budget> {
  const b = await h.createBudget(team.owner, { currency: 'USD' });
  await h.addMember(b, team.owner, team.editor, 'editor');
  await h.addMember(b, team.owner, team.viewer, 'viewer');
  return b;
}
/** One second later for each write, so their events' times (and the log's order) differ. */
const later = () => clock.advance(1000);
async function write(method: string, url: string, who: User, body?: unknown, headers: Record<string, string> = {}) {
  later();
  return h.call(method, url, { token: who.token, body, headers });
}
/** The income events of a budget in the outbox, oldest first. */
const incomeEvents = async (b: Budget, type?: string): Promise<OutboxEvent[]> =>
  (await outboxEvents(h.t)).filter((e) => e.detailType.startsWith('income.') && (!type || e.detailType === type) && e.envelope.data.budgetId === b.id);
/** The outbox items in a write's one TransactWriteItems, as sent. */
const outboxPutsOf = (sent: { name: string; input: Record<string, unknown> }[]) =>
  sent
    .filter((c) => c.name === 'TransactWriteItemsCommand')
    .flatMap((c) => c.input.TransactItems as Record<string, any>[])
    .filter((i) => i.Put?.Item?.kind === 'outbox')
    .map((i) => JSON.parse(i.Put.Item.detail));
async function activityOf(b: Budget, who: User) {
  const res = await h.call('GET', `/v1/budgets/${b.id}/activity?limit=100`, { token: who.token });
  expect(res.status, res.text).toBe(200);
  return (res.json.items as any[]).filter((e) => e.action.startsWith('income.'));
}
/** Every outbox event someone subscribes to, through bus-delivery (in id order, as relayed). */
async function deliverAll() {
  const routed = (await outboxEvents(h.t)).filter((e) => SUBSCRIPTIONS.some((r) => r.source === e.source && r.detailTypes.includes(e.detailType)));
  await deliver(h.t, ...routed);
}

describe('income events: one outbox item in each write', { timeout: 120_000 }, () => {
  it('a create, a PATCH and a DELETE each put exactly one event, in their own transaction, with the data as documented', async () => {
    const b = await fresh();
    const create = await commandsSentDuring(h.t.doc, () =>
      write('POST', path(b), team.editor, { amount: 320000, receivedOn: '2026-11-28', source: '  Acme payroll ', description: 'November salary' }),
    );
    expect(create.result.status, create.result.text).toBe(201);
    const id = create.result.json.id as string;
    const [recorded] = outboxPutsOf(create.sent);
    expect(outboxPutsOf(create.sent)).toHaveLength(1);
    expect(recorded).toEqual({
      id: expect.any(String),
      type: 'income.recorded',
      version: 1,
      occurredAt: clock.now().toISOString(),
      data: { budgetId: b.id, incomeId: id, amount: 320000, receivedOn: '2026-11-28', source: 'Acme payroll', description: 'November salary', createdBy: team.editor.id, version: 1 },
    });

    const patch = await commandsSentDuring(h.t.doc, () => write('PATCH', `${path(b)}/${id}`, team.owner, { amount: 335000, receivedOn: '2026-12-01', description: null }));
    expect(patch.result.status, patch.result.text).toBe(200);
    expect(outboxPutsOf(patch.sent)).toHaveLength(1);
    expect(outboxPutsOf(patch.sent)[0]).toMatchObject({ type: 'income.updated', version: 1 });
    expect(outboxPutsOf(patch.sent)[0].data).toEqual({
      budgetId: b.id,
      incomeId: id,
      amount: 335000,
      receivedOn: '2026-12-01',
      source: 'Acme payroll',
      updatedBy: team.owner.id,
      version: 2,
      changes: { amount: { before: 320000, after: 335000 }, receivedOn: { before: '2026-11-28', after: '2026-12-01' }, description: { before: 'November salary', after: null } },
    });

    const remove = await commandsSentDuring(h.t.doc, () => write('DELETE', `${path(b)}/${id}`, team.editor));
    expect(remove.result.status, remove.result.text).toBe(204);
    expect(outboxPutsOf(remove.sent)).toHaveLength(1);
    expect(outboxPutsOf(remove.sent)[0]).toMatchObject({ type: 'income.deleted', version: 1 });
    expect(outboxPutsOf(remove.sent)[0].data).toEqual({ budgetId: b.id, incomeId: id, amount: 335000, receivedOn: '2026-12-01', source: 'Acme payroll', deletedBy: team.editor.id });

    // What committed is exactly those three, under the ids the transactions carried.
    const stored = await incomeEvents(b);
    expect(stored.map((e) => e.envelope)).toEqual([recorded, outboxPutsOf(patch.sent)[0], outboxPutsOf(remove.sent)[0]]);
    expect(stored.every((e) => e.source === 'budgeting.expenses')).toBe(true);
    // The relay is handed each: its item's INSERT passes the stream's filter.
    const items = await tableItems(h.t.doc, h.t.tableName);
    for (const e of stored) expect(matchesRelayFilter(streamRecord(items.find((i) => i.pk === e.pk)!))).toBe(true);
  });

  it('a write that is refused, stale or replayed puts no event', async () => {
    const b = await fresh();
    const first = await write('POST', path(b), team.owner, { amount: 1000, receivedOn: '2026-11-02' }, { 'idempotency-key': 'income-events-key-1' });
    expect(first.status, first.text).toBe(201);
    // The replay answers the first 201 and writes nothing; a viewer's create is a 403.
    const replay = await write('POST', path(b), team.owner, { amount: 1000, receivedOn: '2026-11-02' }, { 'idempotency-key': 'income-events-key-1' });
    expect(replay.headers.get('idempotent-replayed')).toBe('true');
    expect((await write('POST', path(b), team.viewer, { amount: 5 })).status).toBe(403);
    const url = `${path(b)}/${first.json.id}`;
    // A stale If-Match (412), a viewer's PATCH and DELETE (403), a bad body (400): nothing written, no event.
    expect((await write('PATCH', url, team.owner, { amount: 2000 }, { 'if-match': '"7"' })).status).toBe(412);
    expect((await write('PATCH', url, team.viewer, { amount: 2000 })).status).toBe(403);
    expect((await write('PATCH', url, team.owner, { amount: -1 })).status).toBe(400);
    expect((await write('DELETE', url, team.owner, undefined, { 'if-match': '"7"' })).status).toBe(412);
    expect((await write('DELETE', url, team.viewer)).status).toBe(403);
    expect((await incomeEvents(b)).map((e) => [e.detailType, e.envelope.data.incomeId])).toEqual([['income.recorded', first.json.id]]);
  });

  it('a PATCH that changes nothing writes nothing and puts no event: 200 with the stored entry and its ETag; a stale If-Match is still a 412', async () => {
    const b = await fresh();
    const made = await write('POST', path(b), team.owner, { amount: 4500, receivedOn: '2026-11-20', source: 'Acme payroll' });
    expect(made.status, made.text).toBe(201);
    const url = `${path(b)}/${made.json.id}`;
    // The values it has, the text as sent before trimming, a removal of a description it has not,
    // the budget's currency: none of them a change.
    const same = [
      { amount: 4500 },
      { receivedOn: '2026-11-20', source: '  Acme payroll ' },
      { description: null },
      { description: '' },
      { currency: 'USD', amount: 4500 },
    ];
    for (const body of same) {
      for (const headers of [{}, { 'if-match': '"1"' }] as Record<string, string>[]) {
        const patch = await commandsSentDuring(h.t.doc, () => write('PATCH', url, team.editor, body, headers));
        expect(patch.result.status, patch.result.text).toBe(200);
        expect(patch.result.headers.get('etag')).toBe('"1"');
        expect(patch.result.json).toEqual(made.json);
        // Read only: the access BatchGetItem carrying the entry's read, no write of any kind.
        expect(patch.commands).toEqual(['BatchGetItemCommand']);
      }
    }
    // If-Match is still checked: a stale one is a 412, a viewer still a 403.
    expect((await write('PATCH', url, team.owner, { amount: 4500 }, { 'if-match': '"2"' })).status).toBe(412);
    expect((await write('PATCH', url, team.viewer, { amount: 4500 })).status).toBe(403);
    const stored = await h.call('GET', url, { token: team.owner.token });
    expect(stored.json).toEqual(made.json);
    expect((await incomeEvents(b)).map((e) => e.detailType)).toEqual(['income.recorded']);
    // A real change after them is version 2, its changes only what changed.
    const changed = await write('PATCH', url, team.owner, { amount: 4500, description: 'bonus' }, { 'if-match': '"1"' });
    expect(changed.status, changed.text).toBe(200);
    expect(changed.headers.get('etag')).toBe('"2"');
    const updated = await incomeEvents(b, 'income.updated');
    expect(updated.map((e) => e.envelope.data.changes)).toEqual([{ description: { before: null, after: 'bonus' } }]);
  });

  it('concurrent PATCHes (no If-Match): each committed one has its one event, the lost races none', async () => {
    const b = await fresh();
    const made = await write('POST', path(b), team.owner, { amount: 100, receivedOn: '2026-11-05' });
    const url = `${path(b)}/${made.json.id}`;
    // Five writers: each round of lost races lets at least one commit, so the last commits by its 5th
    // attempt (MAX_OPTIMISTIC_ATTEMPTS); a sixth could lose five rounds and be a 409 (it did, under load).
    const amounts = [201, 202, 203, 204, 205];
    const answers = await Promise.all(amounts.map((amount) => h.call('PATCH', url, { token: team.owner.token, body: { amount } })));
    for (const a of answers) expect(a.status, a.text).toBe(200);
    const updated = (await incomeEvents(b, 'income.updated')).map((e) => e.envelope.data).sort((x, y) => x.version - y.version);
    // Versions 2..6, one event each, each change starting from the amount the one before left.
    expect(updated.map((d) => d.version)).toEqual([2, 3, 4, 5, 6]);
    expect(updated[0].changes.amount.before).toBe(100);
    for (let n = 1; n < updated.length; n++) expect(updated[n].changes.amount.before).toBe(updated[n - 1].amount);
    expect(updated.map((d) => d.amount).sort()).toEqual(amounts);
    const current = await h.call('GET', url, { token: team.owner.token });
    expect(current.json).toMatchObject({ version: 6, amount: updated[4].amount });
  });
});

describe('income in the activity log', { timeout: 120_000 }, () => {
  it('records, changes and deletions become entries every member sees, newest first; delivered again, nothing changes', async () => {
    const b = team.budget;
    const made = await write('POST', path(b), team.editor, { amount: 320000, receivedOn: '2026-11-28', source: 'Acme payroll' });
    expect(made.status, made.text).toBe(201);
    const url = `${path(b)}/${made.json.id}`;
    expect((await write('PATCH', url, team.owner, { source: 'Acme Inc. payroll', description: 'with bonus' })).status).toBe(200);
    expect((await write('DELETE', url, team.editor)).status).toBe(204);

    await deliverAll();
    const seen = await activityOf(b, team.viewer);
    const events = await incomeEvents(b);
    const idOf = (type: string) => events.find((e) => e.detailType === type)!.envelope;
    const user = (who: User) => ({ type: 'user', id: who.id, name: expect.any(String) });
    expect(seen).toEqual([
      {
        id: idOf('income.deleted').id,
        at: idOf('income.deleted').occurredAt,
        actor: user(team.editor),
        action: 'income.deleted',
        subject: { type: 'income', id: made.json.id },
        changes: {
          amount: { before: 320000, after: null },
          receivedOn: { before: '2026-11-28', after: null },
          source: { before: 'Acme Inc. payroll', after: null },
          description: { before: 'with bonus', after: null },
        },
      },
      {
        id: idOf('income.updated').id,
        at: idOf('income.updated').occurredAt,
        actor: user(team.owner),
        action: 'income.updated',
        subject: { type: 'income', id: made.json.id },
        changes: { source: { before: 'Acme payroll', after: 'Acme Inc. payroll' }, description: { before: null, after: 'with bonus' } },
      },
      {
        id: idOf('income.recorded').id,
        at: idOf('income.recorded').occurredAt,
        actor: user(team.editor),
        action: 'income.recorded',
        subject: { type: 'income', id: made.json.id },
        changes: { amount: { before: null, after: 320000 }, receivedOn: { before: null, after: '2026-11-28' }, source: { before: null, after: 'Acme payroll' } },
      },
    ]);
    expect(seen[0].at > seen[1].at && seen[1].at > seen[2].at).toBe(true);
    expect(await activityOf(b, team.owner)).toEqual(seen);

    // Delivered again (EventBridge retries, a relay replay): the inbox keeps the log as it was.
    const before = (await tableItems(h.t.doc, h.t.tableName)).filter((i) => String(i.pk).startsWith('activity#'));
    await deliver(h.t, ...events, ...events);
    expect(await activityOf(b, team.viewer)).toEqual(seen);
    expect((await tableItems(h.t.doc, h.t.tableName)).filter((i) => String(i.pk).startsWith('activity#'))).toEqual(before);
    // A stranger sees no log.
    expect((await h.call('GET', `/v1/budgets/${b.id}/activity`, { token: team.stranger.token })).status).toBe(404);
  });
});

describe('a crash right after an income write committed', { timeout: 120_000 }, () => {
  it('its event is still relayed from the table stream and reaches the activity log, once', async () => {
    const b = await fresh();
    const dataDir = mkdtempSync(join(tmpdir(), 'income-crash-'));
    const events = startLocalEvents(
      { config: h.t.system.config, deps: h.t.system.deps, doc: h.t.doc, subscriptions: h.t.system.subscriptions, schedules: [], jobs: null },
      { dataDir, scheduler: false, autoStart: false, busRetry: { baseDelayMs: 10 } },
    );
    try {
      await events.relay.pollOnce(); // the relay has read everything written so far
      await events.bus.idle();

      crashAfterIncomeCommit = true;
      const created = await write('POST', path(b), team.owner, { amount: 4500, receivedOn: '2026-11-10', source: 'Tax refund' });
      crashAfterIncomeCommit = false;
      expect(created.status).toBeGreaterThanOrEqual(500); // the client never got its answer
      const entries = (await h.call('GET', path(b), { token: team.owner.token })).json.items;
      expect(entries).toHaveLength(1); // ... but the write is in
      const [recorded] = await incomeEvents(b, 'income.recorded');
      expect(recorded!.envelope.data).toEqual({ budgetId: b.id, incomeId: entries[0].id, amount: 4500, receivedOn: '2026-11-10', source: 'Tax refund', createdBy: team.owner.id, version: 1 });

      crashAfterIncomeCommit = true;
      const removed = await write('DELETE', `${path(b)}/${entries[0].id}`, team.owner);
      crashAfterIncomeCommit = false;
      expect(removed.status).toBeGreaterThanOrEqual(500);

      // A relay that runs after the crash finds both on the stream; the subscriber adds each once.
      await events.relay.pollOnce();
      await events.bus.idle();
      const seen = await activityOf(b, team.owner);
      expect(seen.map((e) => [e.action, e.subject.id, e.actor.id])).toEqual([
        ['income.deleted', entries[0].id, team.owner.id],
        ['income.recorded', entries[0].id, team.owner.id],
      ]);
      expect(await events.relay.pollOnce()).toBe(0); // its checkpoint moved past them
      await events.bus.idle();
      expect(await activityOf(b, team.owner)).toEqual(seen);
    } finally {
      crashAfterIncomeCommit = false;
      await events.stop();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
