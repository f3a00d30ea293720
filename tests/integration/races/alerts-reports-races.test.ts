import { fixedClock } from '@budgeting/platform';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { as, createBudget, signUp, type Actor } from '../../support/actors';
import { holdingFirstWrite } from '../../support/holding-commands';
import { setClockFor } from '../../support/system-with-account';
import { createTestSystem, type TestSystem } from '../../support/test-system';
import { recordingLogger } from '../../unit/events/recording-logger';

/**
 * The report job against a PATCH of the budget's `period` or `timezone` (packages/budgets/docs/reports.md
 * "Settings changed while a report is built"). The invariant, whatever the order: the due index is
 * never LATER than the budget's next report under its settings now (RECHECK, earlier, is fine), so
 * no report of the new kind comes late. Driven without sleeps: the job's move of the budget's place
 * (the first write naming `reportsThrough = :read`) is held until the PATCH has answered, as a PATCH
 * served by another Lambda can land between the job's read of the budget and its write.
 */
const clock = fixedClock('2026-09-10T12:00:00Z');
let t: TestSystem;
let owner: Actor;

beforeAll(async () => {
  t = await createTestSystem({ clock });
  owner = await signUp(t.app, 'owner');
});
afterAll(() => t.destroy());

const api = (method: string, url: string, body?: unknown) => as(t.app, owner)(method, url, body === undefined ? {} : { body });
const at = (when: string) => setClockFor(t, clock, owner, when);

/** The report job's tick at `when` (plan and units, worked inline). */
async function runReportJob(when: string) {
  await at(when);
  const logger = recordingLogger();
  await t.system.schedules.find((j) => j.name === 'budget-reports')!.run(new Date(when), { logger });
  expect(logger.entries.filter((e) => e.level === 'error')).toEqual([]);
}

const reportIds = async (budgetId: string) => {
  const res = await api('GET', `/v1/budgets/${budgetId}/reports?limit=100`);
  expect(res.status, res.text).toBe(200);
  return (res.json.items as { id: string }[]).map((r) => r.id).sort();
};

/** The job's move of a budget's place (report-schedule.repository.ts): conditioned on the place read. */
const PLACE_MOVE = 'reportsThrough = :read';

/**
 * A budget at RECHECK (created at `created` in `timezone`, then PATCHed to `recheckBy`), whose
 * not-due move by the tick at `tick` is held while `change` is PATCHed: the PATCH's answer.
 */
async function raceNotDueMove(created: string, budgetBody: Record<string, unknown>, recheckBy: Record<string, unknown>, tick: string, change: Record<string, unknown>) {
  await at(created);
  const budget = await createBudget(t.app, owner, budgetBody);
  // A period or time zone PATCH puts it at RECHECK: the next tick reads it, finds nothing due and moves it.
  expect((await api('PATCH', `/v1/budgets/${budget.id}`, recheckBy)).status).toBe(200);
  let patched: { status: number; text: string } | undefined;
  await holdingFirstWrite(t, PLACE_MOVE, async () => (patched = await api('PATCH', `/v1/budgets/${budget.id}`, change)), () => runReportJob(tick));
  expect(patched?.status, patched?.text).toBe(200);
  return budget.id;
}

describe('the report job moving a budget while its period or time zone is PATCHed', { timeout: 60_000 }, () => {
  it('period: the move computed from the monthly period does not hide the weekly one (its reports come on time)', async () => {
    const budgetId = await raceNotDueMove('2026-09-10T12:00:00Z', { period: 'monthly', timezone: 'UTC' }, { timezone: 'Europe/Berlin' }, '2026-09-16T12:00:00Z', {
      period: 'weekly',
    });
    // Weekly from the week it was created in (2026-09-07): that week's report was due on 09-14 already.
    await runReportJob('2026-09-21T12:00:00Z');
    expect(await reportIds(budgetId)).toEqual(['20260907-20260913', '20260914-20260920']);
  });

  it("time zone: the move computed from Honolulu's instant does not delay Auckland's report", async () => {
    const budgetId = await raceNotDueMove('2026-09-10T12:00:00Z', { timezone: 'UTC' }, { timezone: 'Pacific/Honolulu' }, '2026-09-16T12:00:00Z', {
      timezone: 'Pacific/Auckland',
    });
    // October 1 has begun in Auckland (09-30 11:00Z), not yet in Honolulu (10-01 10:00Z).
    await runReportJob('2026-09-30T12:00:00Z');
    expect(await reportIds(budgetId)).toEqual(['20260901-20260930']);
  });
});
