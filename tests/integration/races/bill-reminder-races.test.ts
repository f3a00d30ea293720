import { fixedClock } from '@budgeting/platform';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { as, createBudget, signUp, type Actor } from '../../support/actors';
import { outboxEvents } from '../../support/events';
import { holdingFirstWrite } from '../../support/holding-commands';
import { createTestSystem, type TestSystem } from '../../support/test-system';

/**
 * A bill reminder (expense.recurring_due_soon: packages/expenses/docs/recurring.md) while its
 * recurring expense is edited: the reminders job read the definition, then a PATCH changed its
 * amount and answered, then the job published. The invariant: a reminder published after the
 * PATCH answered says what the definition says since (never the amount the client was told is
 * gone), and there is still exactly one reminder of the date.
 *
 * Driven without sleeps: the job's transaction (the reminder's marker, the hint and the event)
 * is held until the PATCH has answered.
 */
const JOB = 'recurring-reminders';
// 2026-11-26 begins in 14 hours in UTC: due soon (from 09:00 the day before: domain/reminders.ts).
const clock = fixedClock('2026-11-25T10:00:00Z');
let t: TestSystem;
let owner: Actor;

beforeAll(async () => {
  t = await createTestSystem({ clock });
  owner = await signUp(t.app, 'owner');
});
afterAll(() => t.destroy());

const tick = () => t.system.jobs.plan(JOB, clock.now(), { logger: t.system.deps.logger });

describe('a bill reminder while its recurring expense is edited', { timeout: 120_000 }, () => {
  it("an amount changed between the job's read and its write: the one reminder says the new amount", async () => {
    const budget = await createBudget(t.app, owner, { name: 'Bills', currency: 'EUR', timezone: 'UTC' });
    const created = await as(t.app, owner)('POST', `/v1/budgets/${budget.id}/recurring-expenses`, {
      body: { amount: 100_00, merchant: 'Rent Co', schedule: { frequency: 'monthly', startsOn: '2026-11-26' } },
    });
    expect(created.status, created.text).toBe(201);
    const id = created.json.id as string;
    let patched: Awaited<ReturnType<ReturnType<typeof as>>> | undefined;
    await holdingFirstWrite(
      t,
      'recurring-reminder',
      async () => (patched = await as(t.app, owner)('PATCH', `/v1/budgets/${budget.id}/recurring-expenses/${id}`, { body: { amount: 150_00 } })),
      tick,
    );
    expect(patched?.status, patched?.text).toBe(200);
    expect(patched?.json.amount).toBe(150_00);
    const reminders = async () => (await outboxEvents(t, 'expense.recurring_due_soon')).filter((e) => e.envelope.data.recurringExpenseId === id).map((e) => [e.envelope.data.dueOn, e.envelope.data.amount]);
    // The held tick itself read the definition again and published (not left to the next hourly tick).
    expect(await reminders()).toEqual([['2026-11-26', 150_00]]);
    // Another tick of the same window: still one reminder of the date.
    await tick();
    expect(await reminders()).toEqual([['2026-11-26', 150_00]]);
  });

  it("the budget archived between the job's access read and its write: no reminder (as of an archived budget)", async () => {
    const budget = await createBudget(t.app, owner, { name: 'Archived bills', currency: 'EUR', timezone: 'UTC' });
    const created = await as(t.app, owner)('POST', `/v1/budgets/${budget.id}/recurring-expenses`, {
      body: { amount: 100_00, merchant: 'Rent Co', schedule: { frequency: 'monthly', startsOn: '2026-11-26' } },
    });
    expect(created.status, created.text).toBe(201);
    const archive = async () => expect((await as(t.app, owner)('POST', `/v1/budgets/${budget.id}/archive`)).status).toBe(200);
    await holdingFirstWrite(t, 'recurring-reminder', archive, tick);
    expect((await outboxEvents(t, 'expense.recurring_due_soon')).filter((e) => e.envelope.data.recurringExpenseId === created.json.id)).toEqual([]);
  });
});
