import { fixedClock } from '@budgeting/platform';
import { afterAll, afterEach, beforeAll, beforeEach, expect } from 'vitest';
import { asAtClock } from '../../support/actors';
import { createHarness, type Budget, type Harness, type Team, type User } from './harness';

/** A recurring income as the routes answer it (the fields the suites read). */
export type IncomeDefinition = { id: string; nextOccurrenceOn: string | null; paused: boolean; version: number };
/** An income entry as the list answers it (the fields the suites read). */
export type IncomeEntry = { id: string; amount: number; receivedOn: string; source?: string; description?: string; recurringIncomeId?: string; createdBy: string; version: number };

/**
 * What the recurring income suites (recurring-income.test.ts, recurring-income-actions.test.ts)
 * share, so their set-up and reads are written once: calls as a team member with a token valid
 * at the harness clock's time, a fresh budget with the team's editor and viewer, a definition
 * created (its URL pushed to `created`, which each suite deletes after each test: the job sees
 * every definition of the table), the budget's income entries and its months' income.
 * `ctx` gives the harness and team its beforeAll made.
 */
export function recurringIncomeCalls(ctx: () => { h: Harness; team: Team }, created: string[]) {
  const req = (who: User, method: string, url: string, options: { body?: unknown; headers?: Record<string, string> } = {}) => asAtClock(ctx().h.t, who)(method, url, options);

  /** A budget in USD with the team's editor and viewer as members. */
  async function fresh(): Promise<Budget> {
    const { h, team } = ctx();
    const b = await h.createBudget(team.owner, { currency: 'USD' });
    await h.addMember(b, team.owner, team.editor, 'editor');
    await h.addMember(b, team.owner, team.viewer, 'viewer');
    return b;
  }

  /** Creates a recurring income (201 expected): its URL, its actions' URLs and the definition. */
  async function schedule(b: Budget, body: Record<string, unknown>, who: User = ctx().team.owner) {
    const res = await req(who, 'POST', `/v1/budgets/${b.id}/recurring-income`, { body });
    expect(res.status, res.text).toBe(201);
    const url = res.headers.get('location')!;
    created.push(url);
    return { url, skip: `${url}/skip`, recordNext: `${url}/record-next`, def: res.json as IncomeDefinition };
  }

  /** The budget's income entries, oldest receivedOn first. */
  async function incomeOf(b: Budget): Promise<IncomeEntry[]> {
    const res = await req(ctx().team.owner, 'GET', `/v1/budgets/${b.id}/income?limit=100`);
    expect(res.status, res.text).toBe(200);
    return (res.json.items as IncomeEntry[]).reverse();
  }

  /** The cash flow's income of each month from `from` to `to` (YYYY-MM). */
  async function monthsIncome(b: Budget, from: string, to: string): Promise<Record<string, number>> {
    const res = await req(ctx().team.owner, 'GET', `/v1/budgets/${b.id}/cash-flow?from=${from}&to=${to}`);
    expect(res.status, res.text).toBe(200);
    return Object.fromEntries(res.json.months.map((m: { month: string; income: number }) => [m.month, m.income]));
  }

  return { req, fresh, schedule, incomeOf, monthsIncome };
}

/**
 * The set-up every recurring income and recurring sync suite repeats, written once: a fixed clock
 * at `base` (set back before and after each test), a harness and a USD team made once, the
 * definitions a test created deleted after it (the jobs see every definition of the table, so a
 * test's run is its own) or, with `deleteCreated: 'after-all'`, after the file, and the calls of
 * `recurringIncomeCalls`. `h` and `team` are read through getters: they exist once beforeAll ran.
 */
export function recurringIncomeSuite(base: string, options: { deleteCreated?: 'after-each' | 'after-all' } = {}) {
  const clock = fixedClock(base);
  const state = {} as { h: Harness; team: Team };
  const created: string[] = [];
  const calls = recurringIncomeCalls(() => state, created);
  const deleteCreated = async () => {
    for (const url of created.splice(0)) await calls.req(state.team.owner, 'DELETE', url);
  };

  beforeAll(async () => {
    state.h = await createHarness({ clock });
    state.team = await state.h.team({ currency: 'USD' });
  });
  beforeEach(() => clock.set(base));
  if ((options.deleteCreated ?? 'after-each') === 'after-each') {
    afterEach(async () => {
      clock.set(base);
      await deleteCreated();
    });
  }
  afterAll(async () => {
    await deleteCreated();
    await state.h.destroy();
  });

  return {
    clock,
    created,
    get h() { return state.h; },
    get team() { return state.team; },
    ...calls,
  };
}
