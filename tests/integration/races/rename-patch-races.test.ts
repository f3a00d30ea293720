import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { as, type Actor } from '../../support/actors';
import { withCommandMiddleware } from '../../support/command-middleware';
import { createTestSystem, type TestSystem } from '../../support/test-system';
import { fanOutTeamSuite, type FanOutSystem } from '../jobs/support';

/**
 * A tag rename or merchant rename job (each expense written as its own PATCH, conditioned on the
 * version it read) racing a member's PATCH of the same expense's tags or merchant. The job's write
 * of the expense is held until the PATCH has committed, so it meets the newer version. The
 * invariant, whatever the order: no lost update. The PATCH's change stays, and the rename applies
 * on top of it only if the expense still matches. The PATCH is served by a second system on the
 * same table, as another Lambda would serve it (one process orders its own writes of a budget's
 * change shard, which two processes do not share).
 */
const suite = fanOutTeamSuite('rename-race-', { concurrency: 2 });
const { api } = suite;
let s: FanOutSystem;
let owner: Actor;
let other: TestSystem;
beforeAll(async () => {
  ({ s, owner } = suite.accounts);
  other = await createTestSystem({ tableName: s.t.tableName });
});
afterAll(() => other?.destroy());
/** A PATCH served by the other system. */
const patch = (budgetId: string, id: string, body: Record<string, unknown>) => as(other.app, owner)('PATCH', `/v1/budgets/${budgetId}/expenses/${id}`, { body });

/** Runs `work` with the first transaction naming `marker` and `also` held until `meanwhile` has run (its own writes pass). */
async function beforeFirstTransactionNaming<T>(marker: string, also: string, meanwhile: () => Promise<unknown>, work: () => Promise<T>): Promise<T> {
  let taken = false;
  return withCommandMiddleware(
    s.t.doc,
    'beforeFirstTransactionNaming',
    (next, context) => async (args) => {
      const input = JSON.stringify(args.input);
      if (!taken && context.commandName === 'TransactWriteItemsCommand' && input.includes(marker) && input.includes(also)) {
        taken = true;
        await meanwhile();
      }
      return next(args);
    },
    work,
  );
}

async function expense(budgetId: string, body: Record<string, unknown>) {
  const res = await api(owner)('POST', `/v1/budgets/${budgetId}/expenses`, { body: { occurredOn: '2026-11-10', amount: 700, ...body } });
  expect(res.status, res.text).toBe(201);
  return res.json.id as string;
}

const current = async (budgetId: string, id: string) => (await api(owner)('GET', `/v1/budgets/${budgetId}/expenses/${id}`)).json;

describe('a rename job racing a PATCH of the same expense', { timeout: 120_000 }, () => {
  it("a tag rename's write meets a PATCH that added a tag: both changes are there", async () => {
    const b = await suite.teamBudget('Travel');
    const id = await expense(b.id, { tags: ['vacation'] });
    let patched: { status: number; text: string } | undefined;
    await beforeFirstTransactionNaming(
      id,
      'trip',
      async () => (patched = await patch(b.id, id, { tags: ['vacation', 'food'] })),
      async () => {
        const res = await api(owner)('POST', `/v1/budgets/${b.id}/tags/rename`, { body: { from: ['vacation'], to: 'trip' } });
        expect(res.status, res.text).toBe(202);
        await s.queue.idle();
      },
    );
    expect(patched?.status, patched?.text).toBe(200);
    const after = await current(b.id, id);
    expect(after.tags).toEqual(['trip', 'food']);
    expect(after.version).toBe(3);
  });

  it("a merchant rename's write meets a PATCH that changed the merchant: the PATCH's merchant stays", async () => {
    const b = await suite.teamBudget('Travel');
    const id = await expense(b.id, { merchant: 'Cafe Nero' });
    let patched: { status: number; text: string } | undefined;
    await beforeFirstTransactionNaming(
      id,
      'Nero Coffee',
      async () => (patched = await patch(b.id, id, { merchant: 'Bakery' })),
      async () => {
        const res = await api(owner)('POST', `/v1/budgets/${b.id}/merchants/rename`, { body: { from: ['Cafe Nero'], to: 'Nero Coffee' } });
        expect(res.status, res.text).toBe(202);
        await s.queue.idle();
      },
    );
    expect(patched?.status, patched?.text).toBe(200);
    const after = await current(b.id, id);
    expect(after.merchant).toBe('Bakery');
    expect(after.version).toBe(2);
  });
});
