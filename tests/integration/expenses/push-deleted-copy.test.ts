import { fixedClock } from '@budgeting/platform';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { outboxEvents } from '../../support/events';
import { commandsSentDuring, writeItemsOf } from '../../support/sent-commands';
import { createHarness, type Budget, type Harness, type Team } from './harness';

/**
 * An offline push resending the create of an expense deleted MORE than 24 h after its creation
 * (packages/expenses/docs/sync.md "Offline push", packages/expenses/docs/storage-and-totals.md "Idempotency-Key on the expense"): the resend tombstone is
 * gone by then (it lives until createdAt + 24 h), but the deleted copy kept for restore (30
 * days) is not, and the push's create with a client id checks it in its transaction. DynamoDB
 * Local, HTTP, a fixed clock moved past the 24 h.
 */
const clock = fixedClock('2026-11-24T12:00:00Z');
let h: Harness;
let team: Team;

beforeAll(async () => {
  h = await createHarness({ clock });
  team = await h.team();
});
afterAll(() => h.destroy());

const DAY = 24 * 60 * 60 * 1000;
const expensesPath = (b: Budget) => `/v1/budgets/${b.id}/expenses`;
const changesPath = (b: Budget) => `/v1/budgets/${b.id}/changes`;
/** A client-side ULID (a phone's), distinct per n. */
const clientId = (n: number) => `01JDXX${String(n).padStart(20, '0')}`;

/** Moves the clock and signs everyone in again (their tokens would have expired). */
async function advance(ms: number) {
  clock.advance(ms);
  await h.signInAgain(team);
}

describe('a resent push create of an expense deleted more than 24 h after its creation', { timeout: 120_000 }, () => {
  it('is a conflict `{id, deleted: true}` and writes nothing (no total, event or change); a restore still puts it back, and a resend after it finds it', async () => {
    const b = team.budget;
    const id = clientId(1);
    const create = { op: 'create', id, expense: { amount: 2_500, occurredOn: '2026-11-20', merchant: 'Bakery' } };
    const first = await h.call('POST', changesPath(b), { token: team.editor.token, body: { mutations: [create] } });
    expect(first.status, first.text).toBe(200);
    expect(first.json.results[0].status).toBe('applied');
    expect(await h.spent(b, team.owner.token, '2026-11-20')).toBe(2_500);

    // Two days later (the resend tombstone would have expired: createdAt + 24 h), the owner deletes it.
    await advance(2 * DAY);
    expect((await h.call('DELETE', `${expensesPath(b)}/${id}`, { token: team.owner.token })).status).toBe(204);
    expect(await h.spent(b, team.owner.token, '2026-11-20')).toBe(0);
    const synced = await h.call('GET', changesPath(b), { token: team.owner.token });
    const token = synced.json.serverKnowledge as string;

    // The phone, which never got the first answer, resends the create.
    const resend = await h.call('POST', changesPath(b), { token: team.editor.token, body: { mutations: [create] } });
    expect(resend.status, resend.text).toBe(200);
    expect(resend.json.results).toEqual([{ status: 'conflict', current: { kind: 'deleted', id, deleted: true } }]);
    // Nothing written: no total, no change number, no second expense.recorded, not in the list.
    expect(await h.spent(b, team.owner.token, '2026-11-20')).toBe(0);
    const later = await h.call('GET', `${changesPath(b)}?since=${encodeURIComponent(token)}`, { token: team.owner.token });
    expect(later.json.expenses).toEqual([]);
    expect((await outboxEvents(h.t, 'expense.recorded')).filter((e) => e.envelope.data.expenseId === id)).toHaveLength(1);
    expect((await h.call('GET', `${expensesPath(b)}/${id}`, { token: team.owner.token })).status).toBe(404);

    // The undo (within 30 days) still puts it back; a resend then finds it (the same user's: applied).
    const restored = await h.call('POST', `${expensesPath(b)}/${id}/restore`, { token: team.owner.token });
    expect(restored.status, restored.text).toBe(200);
    expect(await h.spent(b, team.owner.token, '2026-11-20')).toBe(2_500);
    const again = await h.call('POST', changesPath(b), { token: team.editor.token, body: { mutations: [create] } });
    expect(again.json.results[0]).toMatchObject({ status: 'applied', expense: { id, amount: 2_500 } });
    expect(await h.spent(b, team.owner.token, '2026-11-20')).toBe(2_500);
  });

  it('past the 30 days the copy is gone (even while the TTL has not removed it yet): the resend records the expense again, as before', async () => {
    const b = team.budget;
    const id = clientId(3);
    const create = { op: 'create', id, expense: { amount: 700, occurredOn: '2026-11-22' } };
    const pushCreate = () => h.call('POST', changesPath(b), { token: team.editor.token, body: { mutations: [create] } });
    expect((await pushCreate()).json.results[0].status).toBe('applied');
    await advance(2 * DAY);
    expect((await h.call('DELETE', `${expensesPath(b)}/${id}`, { token: team.owner.token })).status).toBe(204);
    await advance(30 * DAY + 60_000);
    // DynamoDB Local runs no TTL: the copy item is still there, past its expiresAt.
    const copy = await h.t.system.deps.storeFor('expenses').get({ Key: { pk: `expenses#budget#${b.id}`, sk: `expenses#deleted#${id}` }, ConsistentRead: true });
    expect(copy?.kind).toBe('expense-deleted');
    const resend = await pushCreate();
    expect(resend.json.results[0]).toMatchObject({ status: 'applied', expense: { id, amount: 700 } });
  });

  it('costs a push create with a client id one item more in its transaction; one without (an id of the key) and POST creates nothing', async () => {
    const b = team.budget;
    const expense = { amount: 10, occurredOn: '2026-11-21' };
    const itemsOf = async (body: unknown, path = changesPath(b)) => {
      const { result, sent } = await commandsSentDuring(h.t.doc, () => h.call('POST', path, { token: team.editor.token, body }));
      expect(result.status, result.text).toBeLessThan(300);
      return writeItemsOf(sent).length;
    };
    const withClientId = await itemsOf({ mutations: [{ op: 'create', id: clientId(2), expense }] });
    const withoutId = await itemsOf({ mutations: [{ op: 'create', expense }] });
    // Each also carries the pusher's membership check since 2026-12-05 (a removal in flight cannot be overtaken).
    expect([withClientId, withoutId]).toEqual([7, 6]);
    // A POST create (the day named: its transaction checks access instead of the closed marker) is unchanged.
    expect(await itemsOf(expense, expensesPath(b))).toBe(5);
  });
});
