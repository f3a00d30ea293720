import { describe, expect, it } from 'vitest';
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { archiveRaceSuite, expectArchived } from '../../support/archive-race';

/**
 * The archive race, closed (packages/budgets/docs/budget-lifecycle.md "Archiving a budget"): an expense write that passed
 * its access read before the archive committed no longer lands. The archive's transaction sets
 * `archivedAt` on the budget's 16 change counters, and every stamped write's counter condition
 * asks it absent: shown deterministically by holding a PATCH (a DELETE) between its access
 * BatchGetItem and its TransactWriteItems while the budget is archived: it answers 409
 * budget-archived and the expense is as it was. The one-request create held the same way
 * answers 409 too (its membership check). After unarchiving, writes work again and the sync
 * feed goes on with the next numbers. Also measures the window on DynamoDB Local (from the
 * access read's answer to the write's commit): what was open before.
 */
const race = archiveRaceSuite();
const holdingWrites = race.holding;

describe('archive vs an expense write already past its access read', { timeout: 120_000 }, () => {
  const archiveOf = (budgetId: string) => async () => {
    const res = await race.h.call('POST', `/v1/budgets/${budgetId}/archive`, { token: race.team.owner.token });
    expect(res.status, res.text).toBe(200);
  };

  it('a PATCH held after its access read meets the archive committed meanwhile: 409, the expense unchanged; so does the one-request create', async () => {
    const b = await race.h.createBudget(race.team.owner, { categories: ['Groceries'] });
    const url = `/v1/budgets/${b.id}/expenses`;
    const created = await race.h.call('POST', url, { token: race.team.owner.token, body: { amount: 1_000, merchant: 'Kiosk', occurredOn: '2026-11-20' } });
    expect(created.status, created.text).toBe(201);

    const { result: patched } = await holdingWrites(created.json.id, archiveOf(b.id), () =>
      race.h.call('PATCH', `${url}/${created.json.id}`, { token: race.team.owner.token, body: { amount: 1_200 } }),
    );
    // Closed: the held write failed on its change counter, marked by the archive.
    expectArchived(patched);
    const stored = await race.h.call('GET', `${url}/${created.json.id}`, { token: race.team.owner.token });
    expect(stored.json).toMatchObject({ amount: 1_000, version: 1 });
    expect((await race.h.call('GET', `/v1/budgets/${b.id}`, { token: race.team.owner.token })).json.archivedAt).toEqual(expect.any(String));
    // A PATCH after the archive is refused as usual.
    const later = await race.h.call('PATCH', `${url}/${created.json.id}`, { token: race.team.owner.token, body: { amount: 1_300 } });
    expectArchived(later);

    // The one-request create, held the same way (its own transaction names the budget), fails on the membership's archivedAt.
    const other = await race.h.createBudget(race.team.owner, { categories: ['Groceries'] });
    const unarchivedCreate = await holdingWrites(`expenses#budget#${other.id}`, archiveOf(other.id), () =>
      race.h.call('POST', `/v1/budgets/${other.id}/expenses`, { token: race.team.owner.token, body: { amount: 500, merchant: 'Kiosk', occurredOn: '2026-11-20' } }),
    );
    expectArchived(unarchivedCreate.result);
    expect((await race.h.call('GET', `/v1/budgets/${other.id}/expenses`, { token: race.team.owner.token })).json.items).toEqual([]);
  });

  it('a DELETE held the same way: 409, the expense still there', async () => {
    const b = await race.h.createBudget(race.team.owner, { categories: ['Groceries'] });
    const url = `/v1/budgets/${b.id}/expenses`;
    const created = await race.h.call('POST', url, { token: race.team.owner.token, body: { amount: 700, merchant: 'Bakery', occurredOn: '2026-11-21' } });
    expect(created.status, created.text).toBe(201);
    const { result: deleted } = await holdingWrites(created.json.id, archiveOf(b.id), () =>
      race.h.call('DELETE', `${url}/${created.json.id}`, { token: race.team.owner.token }),
    );
    expectArchived(deleted);
    const stored = await race.h.call('GET', `${url}/${created.json.id}`, { token: race.team.owner.token });
    expect(stored.status).toBe(200);
    expect(stored.json).toMatchObject({ amount: 700, version: 1 });
    // Nothing restorable either: the delete wrote nothing.
    expect((await race.h.call('GET', `/v1/budgets/${b.id}/expenses/deleted`, { token: race.team.owner.token })).json.items).toEqual([]);
  });

  it('after unarchiving, writes work again and the sync feed goes on with the next numbers', async () => {
    const b = await race.h.createBudget(race.team.owner, { categories: ['Groceries'] });
    const url = `/v1/budgets/${b.id}/expenses`;
    const first = await race.h.call('POST', url, { token: race.team.owner.token, body: { amount: 100, merchant: 'Kiosk', occurredOn: '2026-11-20' } });
    expect(first.status, first.text).toBe(201);
    const sync = async (since?: string) => {
      const res = await race.h.call('GET', `/v1/budgets/${b.id}/changes${since ? `?since=${since}` : ''}`, { token: race.team.owner.token });
      expect(res.status, res.text).toBe(200);
      return res.json as { serverKnowledge: string; expenses: { id: string; kind: string; amount?: number }[] };
    };
    const k0 = (await sync()).serverKnowledge;

    // Archived: every counter carries archivedAt (16 items; those never written have no number).
    await archiveOf(b.id)();
    const counters = async () => {
      const out = await race.h.t.doc.send(
        new QueryCommand({
          TableName: race.h.t.tableName,
          KeyConditionExpression: 'pk = :pk AND begins_with(sk, :c)',
          ExpressionAttributeValues: { ':pk': `expenses#changes#${b.id}`, ':c': 'expenses#seq#' },
          ConsistentRead: true,
        }),
      );
      return (out.Items ?? []) as { seq?: number; archivedAt?: string }[];
    };
    const archived = await counters();
    expect(archived).toHaveLength(16);
    expect(archived.every((c) => typeof c.archivedAt === 'string')).toBe(true);
    expect(archived.map((c) => c.seq ?? 0).reduce((x: number, y: number) => x + y, 0)).toBe(1);
    // The sync of an archived budget still reads: nothing new.
    expect((await sync(k0)).expenses).toEqual([]);

    const unarchived = await race.h.call('POST', `/v1/budgets/${b.id}/unarchive`, { token: race.team.owner.token });
    expect(unarchived.status, unarchived.text).toBe(200);
    expect((await counters()).some((c) => c.archivedAt !== undefined)).toBe(false);

    // Writes again: a PATCH of the first expense (its shard's second number), a new expense (its shard's next: 1 on a counter the archive created, or 2).
    const patched = await race.h.call('PATCH', `${url}/${first.json.id}`, { token: race.team.owner.token, body: { amount: 150 } });
    expect(patched.status, patched.text).toBe(200);
    const second = await race.h.call('POST', url, { token: race.team.owner.token, body: { amount: 200, merchant: 'Bakery', occurredOn: '2026-11-22' } });
    expect(second.status, second.text).toBe(201);
    const after = await counters();
    expect(after.map((c) => c.seq ?? 0).reduce((x: number, y: number) => x + y, 0)).toBe(3);
    const delta = await sync(k0);
    expect(delta.expenses.map((e) => [e.id, e.amount]).sort()).toEqual([[first.json.id, 150], [second.json.id, 200]].sort());
    expect((await sync(delta.serverKnowledge)).expenses).toEqual([]);
    // And it is removable again: a DELETE works.
    expect((await race.h.call('DELETE', `${url}/${second.json.id}`, { token: race.team.owner.token })).status).toBe(204);
    expect((await sync(delta.serverKnowledge)).expenses).toEqual([{ kind: 'deleted', id: second.json.id, deleted: true }]);
  });

  it('the window on DynamoDB Local: access read answered -> PATCH committed, 30 PATCHes one after another', async () => {
    const b = await race.h.createBudget(race.team.owner, { categories: ['Groceries'] });
    const url = `/v1/budgets/${b.id}/expenses`;
    const created = await race.h.call('POST', url, { token: race.team.owner.token, body: { amount: 1_000, merchant: 'Kiosk', occurredOn: '2026-11-20' } });
    const { gaps } = await holdingWrites(created.json.id, undefined, async () => {
      for (let i = 0; i < 30; i++) {
        const res = await race.h.call('PATCH', `${url}/${created.json.id}`, { token: race.team.owner.token, body: { amount: 1_001 + i } });
        expect(res.status, res.text).toBe(200);
      }
    });
    const sorted = [...gaps].sort((x, y) => x - y);
    console.log(`archive race window (ms): n=${sorted.length} min=${sorted[0]!.toFixed(1)} median=${sorted[15]!.toFixed(1)} max=${sorted.at(-1)!.toFixed(1)}`);
    expect(sorted).toHaveLength(30);
  });
});
