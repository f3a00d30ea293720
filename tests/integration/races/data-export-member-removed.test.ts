import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addExpense, addMember, as, createBudget, signUp, type Actor } from '../../support/actors';
import { createFanOutSystem, type FanOutSystem } from '../jobs/support';

/**
 * A member's data export (packages/users/docs/data-export.md) while they are removed from a
 * budget it is exporting. A `budget` unit reads the budget and the member's role once, at its
 * first step, then the budget's sections page by page, across invocations (each continuation a
 * message of its own). The member removed (or made a viewer) between two of those steps must
 * get nothing of the budget they no longer read: not its expenses, nor those recorded after
 * they left. Driven without sleeps: one step per invocation (unitBudgetMs 1), pages of 2
 * expenses, and the removal made before the unit's first continuation is worked.
 */
let s: FanOutSystem;
let owner: Actor;
let member: Actor;
/** Run once, before the first continuation of a `budget` unit of the budget named. */
let beforeContinuation: { budgetId: string; run: () => Promise<void> } | undefined;

beforeAll(async () => {
  s = await createFanOutSystem({
    concurrency: 1,
    unitBudgetMs: 1,
    expenses: { dataExport: { pageSize: 2 } },
    beforeDelivery: async (job, message) => {
      const unit = message.type === 'unit' ? (message.unit as { step?: string; budgetId?: string; section?: number }) : undefined;
      const hook = beforeContinuation;
      if (job !== 'users-data-export' || !hook || unit?.step !== 'budget' || unit.budgetId !== hook.budgetId || !unit.section) return;
      beforeContinuation = undefined;
      await hook.run();
    },
  });
  [owner, member] = await Promise.all([signUp(s.t.app, 'export-owner'), signUp(s.t.app, 'export-member')]);
});
afterAll(() => s.t.destroy());

/** Starts `who`'s export, waits for it to end, and answers its document's lines. */
async function exported(who: Actor): Promise<{ type: string; budgetId?: string; data: any }[]> {
  const start = await as(s.t.app, who)('POST', '/v1/me/export');
  expect(start.status, start.text).toBe(202);
  await s.queue.idle();
  const done = await as(s.t.app, who)('GET', start.headers.get('location')!);
  expect(done.json, done.text).toMatchObject({ status: 'succeeded' });
  const res = await fetch(done.json.download.url);
  return (await res.text())
    .trimEnd()
    .split('\n')
    .map((line) => JSON.parse(line));
}

/** A budget of the owner with four expenses (two pages) and `member` in it as an editor. */
async function sharedBudget(name: string) {
  const budget = await createBudget(s.t.app, owner, { name });
  await addMember(s.t.app, owner, budget.id, member, 'editor');
  for (const day of ['01', '02', '03', '04']) await addExpense(s.t.app, owner, budget.id, { amount: 1_000, occurredOn: `2026-11-${day}` });
  return budget;
}

describe("a member's data export while they are removed from a budget", { timeout: 120_000 }, () => {
  it('exports nothing of the budget they were removed from during the export, nor what was recorded after', async () => {
    const budget = await sharedBudget('Left mid-export');
    let late = '';
    beforeContinuation = {
      budgetId: budget.id,
      run: async () => {
        const removed = await as(s.t.app, owner)('DELETE', `/v1/budgets/${budget.id}/members/${member.id}`);
        expect(removed.status, removed.text).toBe(204);
        late = (await addExpense(s.t.app, owner, budget.id, { amount: 9_999, occurredOn: '2026-11-05' })).id;
      },
    };
    const lines = await exported(member);
    expect(beforeContinuation, 'the removal ran before a continuation').toBeUndefined();
    const ofBudget = lines.filter((l) => l.budgetId === budget.id);
    expect(ofBudget.filter((l) => l.type === 'expense' && l.data.id === late)).toEqual([]);
    expect(ofBudget.map((l) => l.type)).toEqual([]);
  });

  it('made a viewer meanwhile: the budget as a viewer gets it (the budget and the membership, no expense)', async () => {
    const budget = await sharedBudget('Demoted mid-export');
    beforeContinuation = {
      budgetId: budget.id,
      run: async () => {
        const demoted = await as(s.t.app, owner)('PATCH', `/v1/budgets/${budget.id}/members/${member.id}`, { body: { role: 'viewer' } });
        expect(demoted.status, demoted.text).toBe(200);
      },
    };
    const lines = await exported(member);
    expect(beforeContinuation, 'the demotion ran before a continuation').toBeUndefined();
    const ofBudget = lines.filter((l) => l.budgetId === budget.id);
    expect(ofBudget.map((l) => l.type)).toEqual(['budget', 'membership']);
    expect(ofBudget[1]!.data.role).toBe('viewer');
  });

  it('(control) still a member: the budget and its four expenses', async () => {
    const budget = await sharedBudget('Kept');
    const lines = await exported(member);
    const ofBudget = lines.filter((l) => l.budgetId === budget.id);
    expect(ofBudget.filter((l) => l.type === 'expense')).toHaveLength(4);
    expect(ofBudget[0]).toMatchObject({ type: 'budget', data: { id: budget.id } });
  });
});
