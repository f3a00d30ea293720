import { beforeEach, describe, expect, it } from 'vitest';
import { fixedClock } from '@budgeting/platform';
import { runRecurringJob } from '../../support/recurring-job';
import { archiveRaceSuite, expectArchived, type RaceBudget as Budget } from '../../support/archive-race';

/**
 * The archive race, closed for every writer that takes a change number (packages/budgets/docs/budget-lifecycle.md
 * "Archiving a budget"): each is held between its access check and its expense transaction(s)
 * while the budget is archived, and gives its own answer to the 409 its change counter now
 * makes: bulk edit (the item's 409), offline push (the mutation an `error`), category reassign
 * (`failed`, not retryable), restore (409), CSV import and merchant rename (their start, which
 * carries the starter's membership check since feat/races16, a 409 budget-archived; an archive
 * after the start fails the job with `failureCode` budget-archived), the recurring job (the occurrences due skipped). Nothing is
 * written in each case.
 */
const START = '2026-11-24T12:00:00.000Z';
const clock = fixedClock(START);
const race = archiveRaceSuite({ clock });
beforeEach(() => clock.set(START));

const { call } = race;
const archiveOf = (b: Budget) => () => race.archive(b.id);
/** Holds every transaction naming the budget's expenses' partition until the budget is archived. */
const heldOn = <T>(b: Budget, work: () => Promise<T>) => race.heldOn(b.id, `expenses#budget#${b.id}`, work);

async function budgetWith(amounts: number[], categories = ['Groceries', 'Fuel']) {
  const b = await race.h.createBudget(race.team.owner, { categories });
  const made: { id: string; version: number; amount: number }[] = [];
  for (const [n, amount] of amounts.entries()) {
    const res = await call('POST', `/v1/budgets/${b.id}/expenses`, { body: { amount, merchant: 'Kiosk', occurredOn: `2026-11-${String(10 + n).padStart(2, '0')}`, categoryId: b.categories[0]!.id } });
    expect(res.status, res.text).toBe(201);
    made.push(res.json);
  }
  return { b, made };
}

/** The budget's expenses as stored, [amount, version, categoryId] newest first. */
const stored = async (b: Budget) => (await race.h.listExpenses(b, race.team.owner.token)).map((e) => [e.amount, e.version, e.categoryId]);

describe('archive vs the writers that take a change number, each held past its access check', { timeout: 180_000 }, () => {
  it('bulk edit: each expense answers 409 budget-archived; nothing written', async () => {
    const { b, made } = await budgetWith([100, 200]);
    const before = await stored(b);
    const res = await heldOn(b, () => call('POST', `/v1/budgets/${b.id}/expenses/bulk`, { body: { action: { type: 'delete' }, expenseIds: made.map((e) => e.id) } }));
    expect(res.status, res.text).toBe(200);
    expect(res.json.succeeded).toBe(0);
    expect(res.json.failed).toBe(2);
    for (const r of res.json.results) {
      expect(r.status).toBe(409);
      expect(r.problem.type).toMatch(/budget-archived$/);
    }
    expect(await stored(b)).toEqual(before);
  });

  it('offline push: the mutation is an error with the 409, not a conflict; nothing written', async () => {
    const { b, made } = await budgetWith([300]);
    const res = await heldOn(b, () => call('POST', `/v1/budgets/${b.id}/changes`, { body: { mutations: [{ op: 'update', id: made[0]!.id, baseVersion: 1, patch: { amount: 350 } }] } }));
    expect(res.status, res.text).toBe(200);
    expect(res.json.results).toEqual([{ status: 'error', problem: expect.objectContaining({ status: 409, type: expect.stringMatching(/budget-archived$/) }) }]);
    expect(await stored(b)).toEqual([[300, 1, b.categories[0]!.id]]);
  });

  it('category reassign: each expense failed, not retryable, reason budget-archived; more false; nothing moved', async () => {
    const { b, made } = await budgetWith([400, 500]);
    const [groceries, fuel] = [b.categories[0]!.id, b.categories[1]!.id];
    const res = await heldOn(b, () => call('POST', `/v1/budgets/${b.id}/categories/${groceries}/reassign`, { body: { to: fuel } }));
    expect(res.status, res.text).toBe(200);
    expect(res.json.moved).toEqual([]);
    expect(res.json.more).toBe(false);
    expect(res.json.failed.map((f: { id: string }) => f.id).sort()).toEqual(made.map((e) => e.id).sort());
    for (const f of res.json.failed) {
      expect(f).toMatchObject({ retryable: false, reason: expect.stringMatching(/^budget-archived/), problem: { status: 409 } });
    }
    expect(await stored(b)).toEqual([
      [500, 1, groceries],
      [400, 1, groceries],
    ]);
  });

  it('restore: 409, the expense stays deleted', async () => {
    const { b, made } = await budgetWith([600]);
    expect((await call('DELETE', `/v1/budgets/${b.id}/expenses/${made[0]!.id}`)).status).toBe(204);
    const res = await heldOn(b, () => call('POST', `/v1/budgets/${b.id}/expenses/${made[0]!.id}/restore`));
    expectArchived(res);
    expect(await stored(b)).toEqual([]);
  });

  it('CSV import: its start (the record, held with the starter\'s check since feat/races16) is a 409 budget-archived, no row recorded', async () => {
    const { b } = await budgetWith([]);
    const csv = 'Date,Amount,Category,Description,Merchant\n2026-11-01,12.50,,,Bakery\n2026-11-02,3.00,,,Bus\n';
    const res = await heldOn(b, () => call('POST', `/v1/budgets/${b.id}/expenses/import`, { rawBody: csv, headers: { 'content-type': 'text/csv', prefer: 'wait=25' } }));
    expect(res.status, res.text).toBe(409);
    expect(res.json.type).toMatch(/budget-archived$/);
    expect(await stored(b)).toEqual([]);
  });

  it('merchant rename: its start (held with the starter\'s check since feat/races16) is a 409 budget-archived, nothing renamed', async () => {
    const { b } = await budgetWith([700, 800]);
    const res = await heldOn(b, () => call('POST', `/v1/budgets/${b.id}/merchants/rename`, { body: { from: ['Kiosk'], to: 'Corner shop' }, headers: { prefer: 'wait=20' } }));
    expect(res.status, res.text).toBe(409);
    expect(res.json.type).toMatch(/budget-archived$/);
    expect((await race.h.listExpenses(b, race.team.owner.token)).map((e) => e.merchant)).toEqual(['Kiosk', 'Kiosk']);
  });

  it('recurring job: the occurrence due is skipped, as for a budget archived before the run; nothing recorded', async () => {
    const { b } = await budgetWith([]);
    // Daily from tomorrow (2026-11-25, UTC), run on 11-25: one occurrence due.
    const made = await call('POST', `/v1/budgets/${b.id}/recurring-expenses`, { body: { amount: 900, schedule: { frequency: 'daily', startsOn: '2026-11-25' } } });
    expect(made.status, made.text).toBe(201);
    const runDay = '2026-11-25T12:00:00.000Z';
    clock.set(runDay);
    // The archive while the job's write is held, at the time the owner's token is still valid.
    const archive = async () => {
      clock.set(START);
      await archiveOf(b)();
      clock.set(runDay);
    };
    const { result: report } = await race.holding(`expenses#budget#${b.id}`, archive, () => runRecurringJob(race.h.t));
    expect(report).toMatchObject({ recorded: 0, skipped: 1, failed: 0 });
    clock.set(START);
    expect(await stored(b)).toEqual([]);
    expect((await call('GET', made.headers.get('location')!)).json).toMatchObject({ nextOccurrenceOn: '2026-11-26' });
  });
});
