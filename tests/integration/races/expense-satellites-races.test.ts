import { DeleteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { fixedClock } from '@budgeting/platform';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ANY_WRITE, holdingFirstWrite } from '../../support/holding-commands';
import { deliver, tableItems, theEvent } from '../../support/events';
import { createHarness, type Harness, type Team } from '../expenses/harness';

/**
 * An expense's satellites (its receipts and comments, each capped per expense by a count item:
 * packages/expenses/docs/attachments-and-comments.md) while the expense's deletion cascade
 * runs. The expense was deleted and restored at once, so the cascade (expense.deleted, which a
 * retry may deliver minutes late) meets a restored expense that takes new receipts and comments.
 * The invariant, whatever the order: what was made on the restored expense stays, and its
 * count item equals the items left (else the cap is off: a missing count lets an expense pass it).
 *
 * The race is driven without sleeps: the cascade's first write naming the expense's collection
 * is held until the new receipt or comment has been written (a write that lands between the
 * cascade's read and its write, as one from another Lambda can).
 */
const clock = fixedClock('2026-11-24T12:00:00Z');
let h: Harness;
let team: Team;

beforeAll(async () => {
  h = await createHarness({ clock });
  team = await h.team();
});
afterAll(() => h.destroy());


const base = () => `/v1/budgets/${team.budget.id}/expenses`;

/** An expense with one `kind` made on it, then deleted and restored a second later (its cascade not delivered yet). */
async function deletedAndRestored(kind: 'attachments' | 'comments') {
  const created = await h.call('POST', base(), { token: team.owner.token, body: { amount: 1_250, occurredOn: '2026-11-20' } });
  expect(created.status, created.text).toBe(201);
  const expenseId = created.json.id as string;
  expect((await add(kind, expenseId)).status).toBe(201);
  expect((await h.call('DELETE', `${base()}/${expenseId}`, { token: team.owner.token })).status).toBe(204);
  clock.advance(1_000);
  const restored = await h.call('POST', `${base()}/${expenseId}/restore`, { token: team.owner.token });
  expect(restored.status, restored.text).toBe(200);
  return { expenseId, deleted: await theEvent(h.t, 'expense.deleted', { expenseId }) };
}

function add(kind: 'attachments' | 'comments', expenseId: string) {
  const body = kind === 'attachments' ? { contentType: 'image/jpeg', size: 2_000 } : { text: 'what was this?' };
  return h.call('POST', `${base()}/${expenseId}/${kind}`, { token: team.owner.token, body });
}

/** The collection's items of the expense as stored: its members' ids and its count item's count (undefined: no count item). */
async function stored(kind: 'attachment' | 'comment', expenseId: string) {
  const items = (await tableItems(h.t.doc, h.t.tableName)).filter((i) => String(i.sk).startsWith(`expenses#${kind}#${expenseId}#`));
  const count = items.find((i) => i.kind === `${kind}-count`);
  return { ids: items.filter((i) => i.kind === kind).map((i) => i.id as string), count: count === undefined ? undefined : Number(count.count) };
}

describe("an expense's receipts and comments while its deletion cascade runs", { timeout: 120_000 }, () => {
  for (const [kind, collection] of [['attachment', 'attachments'], ['comment', 'comments']] as const) {
    it(`a ${kind} made on the restored expense between the cascade's read and its write stays, and the count says so`, async () => {
      const { expenseId, deleted } = await deletedAndRestored(collection);
      let made: Awaited<ReturnType<typeof add>> | undefined;
      await holdingFirstWrite(h.t, `expenses#${kind}#${expenseId}#`, async () => (made = await add(collection, expenseId)), () => deliver(h.t, deleted), ANY_WRITE);
      expect(made?.status, made?.text).toBe(201);
      const after = await stored(kind, expenseId);
      expect(after.ids).toEqual([made!.json.id]);
      expect(after.count).toBe(1);
      // The API agrees: the new one is listed on the restored expense.
      const listed = await h.call('GET', `${base()}/${expenseId}/${collection}`, { token: team.owner.token });
      expect(listed.status, listed.text).toBe(200);
      const items = (Array.isArray(listed.json) ? listed.json : listed.json.items) as { id: string }[];
      expect(items.map((i) => i.id)).toEqual([made!.json.id]);
      // Delivered again (a retry): nothing more goes.
      await deliver(h.t, deleted);
      expect(await stored(kind, expenseId)).toEqual(after);
    });
  }

  // A create stamps its createdAt from its own clock before its transaction, the deletion its
  // instant before its own: one committed just before the deletion can be stamped after it (two
  // Lambdas' clocks, or the deletion's stamp read first), and was kept by a cascade that went by
  // the instant alone. Held here: the deletion's transaction waits while a second passes and the
  // receipt or comment commits on the still live expense.
  for (const [kind, collection] of [['attachment', 'attachments'], ['comment', 'comments']] as const) {
    it(`a ${kind} committed before the deletion but stamped after its instant goes with the expense`, async () => {
      const created = await h.call('POST', base(), { token: team.owner.token, body: { amount: 500, occurredOn: '2026-11-23' } });
      expect(created.status, created.text).toBe(201);
      const expenseId = created.json.id as string;
      let made: Awaited<ReturnType<typeof add>> | undefined;
      const removed = await holdingFirstWrite(
        h.t,
        `expenses#deleted#${expenseId}`,
        async () => {
          clock.advance(1_000);
          made = await add(collection, expenseId);
        },
        () => h.call('DELETE', `${base()}/${expenseId}`, { token: team.owner.token }),
      );
      expect(made?.status, made?.text).toBe(201);
      expect(removed.status, removed.text).toBe(204);
      const deleted = await theEvent(h.t, 'expense.deleted', { expenseId });
      // The window reproduced: the member's instant is after the deletion's.
      expect(Date.parse(made!.json.createdAt as string)).toBeGreaterThan(Date.parse(deleted.envelope.occurredAt));
      expect(await stored(kind, expenseId)).toEqual({ ids: [made!.json.id], count: 1 });
      await deliver(h.t, deleted);
      expect(await stored(kind, expenseId)).toEqual({ ids: [], count: undefined });
      // Restored afterwards: it does not come back with the expense.
      const restored = await h.call('POST', `${base()}/${expenseId}/restore`, { token: team.owner.token });
      expect(restored.status, restored.text).toBe(200);
      const listed = await h.call('GET', `${base()}/${expenseId}/${collection}`, { token: team.owner.token });
      expect(listed.status, listed.text).toBe(200);
      expect((Array.isArray(listed.json) ? listed.json : listed.json.items) as unknown[]).toEqual([]);
    });
  }

  it('an expense whose receipts were all deleted by hand: its cascade leaves no count item behind', async () => {
    const created = await h.call('POST', base(), { token: team.owner.token, body: { amount: 300, occurredOn: '2026-11-21' } });
    expect(created.status, created.text).toBe(201);
    const expenseId = created.json.id as string;
    const declared = await add('attachments', expenseId);
    expect((await h.call('DELETE', `${base()}/${expenseId}/attachments/${declared.json.id}`, { token: team.owner.token })).status).toBe(204);
    expect(await stored('attachment', expenseId)).toEqual({ ids: [], count: 0 });
    expect((await h.call('DELETE', `${base()}/${expenseId}`, { token: team.owner.token })).status).toBe(204);
    await deliver(h.t, await theEvent(h.t, 'expense.deleted', { expenseId }));
    expect(await stored('attachment', expenseId)).toEqual({ ids: [], count: undefined });
  });

  // A count item off from its items (old data: until 2026-12-06 the cascade's BatchWriteItem could
  // delete the count under a comment made meanwhile, and the next comment counted from 1), or none.
  // 101 comments without one: a cascade of two transactions (99 a transaction).
  for (const [label, made, count] of [['counting fewer than it has', 2, 1], ['without a count item', 101, undefined]] as const) {
    it(`an expense's ${made} comments ${label}: its cascade deletes them all and leaves no count item`, async () => {
      const created = await h.call('POST', base(), { token: team.owner.token, body: { amount: 400, occurredOn: '2026-11-22' } });
      expect(created.status, created.text).toBe(201);
      const expenseId = created.json.id as string;
      for (let n = 0; n < made; n++) expect((await add('comments', expenseId)).status).toBe(201);
      const countItem = (await tableItems(h.t.doc, h.t.tableName)).find((i) => String(i.sk).startsWith(`expenses#comment#${expenseId}#`) && i.kind === 'comment-count');
      expect(countItem).toBeDefined();
      const Key = { pk: countItem!.pk, sk: countItem!.sk };
      if (count === undefined) await h.t.doc.send(new DeleteCommand({ TableName: h.t.tableName, Key }));
      else await h.t.doc.send(new UpdateCommand({ TableName: h.t.tableName, Key, UpdateExpression: 'SET #count = :c', ExpressionAttributeNames: { '#count': 'count' }, ExpressionAttributeValues: { ':c': count } }));
      expect((await h.call('DELETE', `${base()}/${expenseId}`, { token: team.owner.token })).status).toBe(204);
      await deliver(h.t, await theEvent(h.t, 'expense.deleted', { expenseId }));
      expect(await stored('comment', expenseId)).toEqual({ ids: [], count: undefined });
    });
  }
});
