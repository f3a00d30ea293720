import { fixedClock } from '@budgeting/platform';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deliver, outboxEvents } from '../../support/events';
import { expectProblem } from '../../support/problem';
import { expectArchived } from '../../support/archive-race';
import { commandsSentDuring, writeItemsOf } from '../../support/sent-commands';
import { createHarness, type Budget, type Harness, type Team, type User } from './harness';

// One budget (the team's: owner, editor, viewer), each test in months of its own; the archive last.

/**
 * Undo of an income entry's delete (packages/expenses/docs/income.md "Income and cash flow", Restoring a deleted
 * entry): DELETE keeps a restorable copy for 30 days, POST .../income/{id}/restore puts the
 * entry back (same id and content, next version) with its month total, change-log entry and
 * income.recorded event (`restoredBy`); GET .../income/deleted lists the copies; an offline
 * push resending the create after the 24 h tombstone finds the copy. DynamoDB Local, HTTP.
 */
const clock = fixedClock('2026-11-24T12:00:00Z');
let h: Harness;
let team: Team;

beforeAll(async () => {
  h = await createHarness({ clock });
  team = await h.team({ currency: 'USD' });
});
afterAll(() => h.destroy());

const DAY = 24 * 60 * 60 * 1000;
const incomePath = (b: Budget) => `/v1/budgets/${b.id}/income`;
const restorePath = (b: Budget, id: string) => `${incomePath(b)}/${id}/restore`;
const changesPath = (b: Budget) => `/v1/budgets/${b.id}/changes`;
const clientId = (n: number) => `01JDYY${String(n).padStart(20, '0')}`;

async function add(b: Budget, body: Record<string, unknown>, who: User = team.owner) {
  const res = await h.call('POST', incomePath(b), { token: who.token, body });
  expect(res.status, res.text).toBe(201);
  return res.json;
}

async function remove(b: Budget, id: string, who: User = team.owner) {
  const res = await h.call('DELETE', `${incomePath(b)}/${id}`, { token: who.token });
  expect(res.status, res.text).toBe(204);
}

async function incomeOfMonth(b: Budget, month: string) {
  const res = await h.call('GET', `/v1/budgets/${b.id}/cash-flow?from=${month}&to=${month}`, { token: team.owner.token });
  expect(res.status, res.text).toBe(200);
  return res.json.months[0].income as number;
}

async function advance(ms: number) {
  clock.advance(ms);
  await h.signInAgain(team);
}

describe('restoring a deleted income entry', { timeout: 120_000 }, () => {
  it('puts back the same entry at the next version: month total exact, listed as deleted before, synced and published after', async () => {
    const b = team.budget;
    await add(b, { amount: 100_00, receivedOn: '2026-11-05' });
    const e = await add(b, { amount: 2_500_00, receivedOn: '2026-11-15', source: 'Employer', description: 'November pay' }, team.editor);
    expect(await incomeOfMonth(b, '2026-11')).toBe(2_600_00);
    const synced = await h.call('GET', changesPath(b), { token: team.owner.token });
    const token = synced.json.serverKnowledge as string;

    await remove(b, e.id, team.owner);
    expect(await incomeOfMonth(b, '2026-11')).toBe(100_00);
    const listed = await h.call('GET', `${incomePath(b)}/deleted`, { token: team.viewer.token });
    expect(listed.status, listed.text).toBe(200);
    expect(listed.json.items).toEqual([
      {
        ...e,
        deletedAt: '2026-11-24T12:00:00.000Z',
        deletedBy: team.owner.id,
        restorableUntil: '2026-12-24T12:00:00.000Z',
      },
    ]);
    expect(listed.json.nextCursor).toBeNull();

    const restored = await h.call('POST', restorePath(b, e.id), { token: team.editor.token });
    expect(restored.status, restored.text).toBe(200);
    expect(restored.json).toEqual({ ...e, version: 2 });
    expect(restored.headers.get('etag')).toBe('"2"');
    expect((await h.call('GET', `${incomePath(b)}/${e.id}`, { token: team.owner.token })).json).toEqual({ ...e, version: 2 });
    expect(await incomeOfMonth(b, '2026-11')).toBe(2_600_00);
    // Nothing left to restore, nothing listed.
    expect((await h.call('GET', `${incomePath(b)}/deleted`, { token: team.owner.token })).json.items).toEqual([]);
    await expectProblem(await h.call('POST', restorePath(b, e.id), { token: team.owner.token }), 409);

    // A device that synced before the delete gets the entry as written (not deleted).
    const later = await h.call('GET', `${changesPath(b)}?since=${encodeURIComponent(token)}`, { token: team.owner.token });
    expect(later.status, later.text).toBe(200);
    expect(later.json.income).toEqual([{ kind: 'income', ...e, version: 2 }]);

    // The event: income.recorded with restoredBy, the original createdBy kept.
    const events = (await outboxEvents(h.t, 'income.recorded')).filter((ev) => ev.envelope.data.incomeId === e.id);
    expect(events.map((ev) => ev.envelope.data)).toEqual([
      expect.objectContaining({ incomeId: e.id, createdBy: team.editor.id, version: 1 }),
      expect.objectContaining({ incomeId: e.id, amount: 2_500_00, createdBy: team.editor.id, version: 2, restoredBy: team.editor.id }),
    ]);
    // The activity log (the restore's event delivered as the bus would) says who restored it.
    await deliver(h.t, events.at(-1)!);
    const activity = await h.call('GET', `/v1/budgets/${b.id}/activity`, { token: team.owner.token });
    expect(activity.status, activity.text).toBe(200);
    expect(activity.json.items[0]).toMatchObject({ action: 'income.restored', actor: { type: 'user', id: team.editor.id }, subject: { type: 'income', id: e.id } });
  });

  it('a viewer gets 403, a stranger 404, an id never deleted 404; nothing restored', async () => {
    const b = team.budget;
    const e = await add(b, { amount: 5_00, receivedOn: '2026-10-10' });
    await remove(b, e.id);
    await expectProblem(await h.call('POST', restorePath(b, e.id), { token: team.viewer.token }), 403);
    await expectProblem(await h.call('POST', restorePath(b, e.id), { token: team.stranger.token }), 404);
    await expectProblem(await h.call('POST', restorePath(b, '01JDZZ00000000000000000000'), { token: team.owner.token }), 404);
    expect(await incomeOfMonth(b, '2026-10')).toBe(0);
    expect((await h.call('GET', `${incomePath(b)}/deleted`, { token: team.viewer.token })).json.items).toHaveLength(1);
  });

  it('more than 30 days after the delete: 404, not listed (even while the TTL has not removed the copy)', async () => {
    const b = team.budget;
    const e = await add(b, { amount: 7_00, receivedOn: '2026-09-11' });
    await remove(b, e.id);
    await advance(30 * DAY + 60_000);
    const copy = await h.t.system.deps.storeFor('expenses').get({ Key: { pk: `expenses#budget#${b.id}`, sk: `expenses#incomedeleted#${e.id}` }, ConsistentRead: true });
    expect(copy?.kind).toBe('income-deleted');
    await expectProblem(await h.call('POST', restorePath(b, e.id), { token: team.owner.token }), 404);
    expect((await h.call('GET', `${incomePath(b)}/deleted`, { token: team.owner.token })).json.items).toEqual([]);
    expect(await incomeOfMonth(b, '2026-09')).toBe(0);
  });
});

describe('a resent push create of an income entry deleted more than 24 h after its creation', { timeout: 120_000 }, () => {
  it('is a conflict `{id, deleted: true}` and writes nothing; a restore still puts it back', async () => {
    const b = team.budget;
    const id = clientId(1);
    const create = { op: 'create', type: 'income', id, income: { amount: 1_800_00, receivedOn: '2026-12-01', source: 'Client' } };
    const push = () => h.call('POST', changesPath(b), { token: team.editor.token, body: { mutations: [create] } });
    const first = await push();
    expect(first.status, first.text).toBe(200);
    expect(first.json.results[0].status).toBe('applied');
    expect(await incomeOfMonth(b, '2026-12')).toBe(1_800_00);

    await advance(2 * DAY);
    await remove(b, id);
    expect(await incomeOfMonth(b, '2026-12')).toBe(0);
    const token = (await h.call('GET', changesPath(b), { token: team.owner.token })).json.serverKnowledge as string;

    const resend = await push();
    expect(resend.status, resend.text).toBe(200);
    expect(resend.json.results).toEqual([{ status: 'conflict', current: { kind: 'deleted', id, deleted: true } }]);
    // Nothing written: no total, no change, no second income.recorded, no entry.
    expect(await incomeOfMonth(b, '2026-12')).toBe(0);
    const later = await h.call('GET', `${changesPath(b)}?since=${encodeURIComponent(token)}`, { token: team.owner.token });
    expect(later.json.income ?? []).toEqual([]);
    expect((await outboxEvents(h.t, 'income.recorded')).filter((e) => e.envelope.data.incomeId === id)).toHaveLength(1);
    expect((await h.call('GET', `${incomePath(b)}/${id}`, { token: team.owner.token })).status).toBe(404);

    const restored = await h.call('POST', restorePath(b, id), { token: team.owner.token });
    expect(restored.status, restored.text).toBe(200);
    expect(await incomeOfMonth(b, '2026-12')).toBe(1_800_00);
  });

  it('a restore within 24 h of the creation (over the resend tombstone) works', async () => {
    const b = team.budget;
    const e = await add(b, { amount: 42_00, receivedOn: '2026-08-02' });
    await remove(b, e.id);
    const restored = await h.call('POST', restorePath(b, e.id), { token: team.owner.token });
    expect(restored.status, restored.text).toBe(200);
    expect(await incomeOfMonth(b, '2026-08')).toBe(42_00);
  });

  it('costs the DELETE and a push create with a client id one item more in their transaction; a push create without id nothing more', async () => {
    const b = team.budget;
    const itemsOf = async (method: string, path: string, body?: unknown) => {
      const { result, sent } = await commandsSentDuring(h.t.doc, () => h.call(method, path, { token: team.editor.token, ...(body === undefined ? {} : { body }) }));
      expect(result.status, result.text).toBeLessThan(300);
      return writeItemsOf(sent).length;
    };
    const income = { amount: 1_00, receivedOn: '2026-07-01' };
    const withClientId = await itemsOf('POST', changesPath(b), { mutations: [{ op: 'create', type: 'income', id: clientId(2), income }] });
    const withoutId = await itemsOf('POST', changesPath(b), { mutations: [{ op: 'create', type: 'income', income }] });
    const deleteItems = await itemsOf('DELETE', `${incomePath(b)}/${clientId(2)}`);
    // Entry, month total, event, change counter, change entry, guard (+ the copy's check / the copy's Put).
    expect([withClientId, withoutId, deleteItems]).toEqual([7, 6, 7]);
  });

  it("costs ONE transaction; keyed, the lease's UpdateItem and its completion one item more of that transaction, no write after it", async () => {
    const b = team.budget;
    const restoreItems = async (id: string, headers: Record<string, string> = {}) => {
      const { result, commands, sent } = await commandsSentDuring(h.t.doc, () => h.call('POST', restorePath(b, id), { token: team.editor.token, headers }));
      expect(result.status, result.text).toBe(200);
      return { commands, items: writeItemsOf(sent) as Record<string, any>[] };
    };
    const plain = await add(b, { amount: 3_00, receivedOn: '2026-06-01' });
    await remove(b, plain.id);
    const unkeyed = await restoreItems(plain.id);
    const kinds = (items: Record<string, any>[]) => items.map((i) => Object.keys(i)[0]);
    // The copy's Delete, the entry's Put, its month total, the event, the change stamp's 2, the guard.
    expect(kinds(unkeyed.items)).toEqual(['Delete', 'Put', 'Update', 'Put', 'Update', 'Put', 'ConditionCheck']);
    const keyedEntry = await add(b, { amount: 4_00, receivedOn: '2026-06-02' });
    await remove(b, keyedEntry.id);
    const keyed = await restoreItems(keyedEntry.id, { 'idempotency-key': `cost-restore-${keyedEntry.id}` });
    // The caller's account is read in a BatchGetItem of its own: the lease's write comes between it and the access read.
    expect(keyed.commands).toEqual(['BatchGetItemCommand', 'UpdateItemCommand', ...unkeyed.commands]);
    expect(kinds(keyed.items)).toEqual(['Delete', 'Put', 'Update', 'Put', 'Update', 'Update', 'Put', 'ConditionCheck']);
    expect(String(keyed.items[4]!.Update.Key.pk)).toMatch(/^idempotency#/);
    expect(keyed.items[4]!.Update.ExpressionAttributeValues[':completed']).toBe('completed');
  });

  it('an archived budget refuses the restore (409), nothing restored', async () => {
    const b = team.budget;
    const e = await add(b, { amount: 9_00, receivedOn: '2026-12-03' });
    await remove(b, e.id);
    const archived = await h.call('POST', `/v1/budgets/${b.id}/archive`, { token: team.owner.token });
    expect(archived.status, archived.text).toBe(200);
    expectArchived(await h.call('POST', restorePath(b, e.id), { token: team.owner.token }));
    expect((await h.call('GET', `${incomePath(b)}/${e.id}`, { token: team.owner.token })).status).toBe(404);
  });
});
