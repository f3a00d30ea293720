import { TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { fixedClock } from '@budgeting/platform';
import { readFileSync } from 'node:fs';
import { beforeEach, describe, expect, it } from 'vitest';
import { addMember, asAtClock, type Actor as User } from '../../support/actors';
import { archiveRaceSuite, type RaceBudget as Budget } from '../../support/archive-race';
import { outboxEvents } from '../../support/events';
import { expectProblem } from '../../support/problem';
import { runRecurringJob } from '../../support/recurring-job';
import { recordingLogger } from '../../unit/events/recording-logger';
import { responseValidator } from '../../support/response-validator';

/**
 * Archiving a budget (POST .../archive, .../unarchive): owner only, idempotent, If-Match; an
 * archived budget refuses every write (409 budget-archived, nothing written: the summary's spent
 * is unchanged), keeps its reads, leaves GET /v1/budgets (unless archived=true) and the overview;
 * the recurring job records nothing for it (the occurrences are skipped, not caught up) and the
 * report job makes no report of a period ending while archived. Every expected figure by hand.
 */
const START = '2026-11-24T12:00:00.000Z';
const clock = fixedClock(START);
// A system on `clock` and a team with a Food budget (made before the tests, destroyed after); `h` and `team` are read inside them.
const suite = archiveRaceSuite({ clock }, ['Food']);
beforeEach(() => clock.set(START));

// A token signed at the clock's time of each call: the tests move the clock by days.
const req = (who: User, method: string, url: string, options: { body?: unknown; headers?: Record<string, string> } = {}) =>
  asAtClock(suite.h.t, who)(method, url, options);

function expectArchived(res: Awaited<ReturnType<typeof req>>) {
  expectProblem(res, 409);
  expect(res.json.type).toMatch(/budget-archived$/);
  expect(res.json.title).toBe('The budget is archived');
  // Said to every member it refuses: only the owner can unarchive.
  expect(res.json.detail).toContain('its owner can unarchive it first');
}

// The document the app serves (openapi:check keeps the file equal to it): each refusal's 409 must be one it declares.
const document = JSON.parse(readFileSync(new URL('../../../packages/app/src/http/openapi.generated.json', import.meta.url), 'utf8'));
const operations = responseValidator(document);

/** A write refused because the budget is archived, with a 409 the route's OpenAPI responses declare. */
async function refusedArchived(...args: Parameters<typeof req>) {
  const res = await req(...args);
  expectArchived(res);
  const operation = operations.operationOf(args[1], args[2]);
  expect(operation, `${args[1]} ${args[2]}`).toBeDefined();
  expect(Object.keys(document.paths[operation!.path][operation!.method].responses), `${args[1]} ${operation!.path}`).toContain('409');
}

const spent = async (b: Budget) => {
  const res = await req(suite.team.owner, 'GET', `/v1/budgets/${b.id}/summary?date=2026-11-24`);
  expect(res.status, res.text).toBe(200);
  return res.json.spent as number;
};
const listed = async (who: User, query = '') => {
  const res = await req(who, 'GET', `/v1/budgets?limit=100${query}`);
  expect(res.status, res.text).toBe(200);
  return (res.json.items as { id: string; archivedAt?: string }[]).map((b) => b.id);
};

describe('archiving a budget', { timeout: 60_000 }, () => {
  it('owner only, idempotent, If-Match; every write refused with nothing written; reads, lists and overview; unarchive', async () => {
    const budget = suite.team.budget;
    const [food] = budget.categories.map((c) => c.id) as [string];
    const created = await req(suite.team.owner, 'POST', `/v1/budgets/${budget.id}/expenses`, { body: { amount: 1_000, occurredOn: '2026-11-10', categoryId: food } });
    expect(created.status, created.text).toBe(201);
    const expenseUrl = `/v1/budgets/${budget.id}/expenses/${created.json.id}`;
    const comment = await req(suite.team.editor, 'POST', `${expenseUrl}/comments`, { body: { text: 'Receipt in the drawer' } });
    expect(comment.status, comment.text).toBe(201);
    const payment = await req(suite.team.editor, 'POST', `/v1/budgets/${budget.id}/settlements`, { body: { fromUserId: suite.team.editor.id, toUserId: suite.team.owner.id, amount: 1_500, paidOn: '2026-11-20' } });
    expect(payment.status, payment.text).toBe(201);
    const paymentUrl = payment.headers.get('location')!;
    // One the owner recorded: the editor may neither change nor delete it.
    const ownersPayment = await req(suite.team.owner, 'POST', `/v1/budgets/${budget.id}/settlements`, { body: { fromUserId: suite.team.owner.id, toUserId: suite.team.editor.id, amount: 700, paidOn: '2026-11-21' } });
    expect(ownersPayment.status, ownersPayment.text).toBe(201);
    const ownersPaymentUrl = ownersPayment.headers.get('location')!;
    const before = await req(suite.team.owner, 'GET', `/v1/budgets/${budget.id}`);
    const version = before.json.version as number;
    expect(before.json).not.toHaveProperty('archivedAt');

    expectProblem(await req(suite.team.editor, 'POST', `/v1/budgets/${budget.id}/archive`), 403);
    expectProblem(await req(suite.team.stranger, 'POST', `/v1/budgets/${budget.id}/archive`), 404);
    expectProblem(await req(suite.team.owner, 'POST', `/v1/budgets/${budget.id}/archive`, { headers: { 'if-match': `"${version + 7}"` } }), 412);

    const archived = await req(suite.team.owner, 'POST', `/v1/budgets/${budget.id}/archive`, { headers: { 'if-match': `"${version}"` } });
    expect(archived.status, archived.text).toBe(200);
    expect(archived.json).toMatchObject({ id: budget.id, archivedAt: START, version: version + 1, updatedAt: START });
    expect(archived.headers.get('etag')).toBe(`"${version + 1}"`);
    const events = (await outboxEvents(suite.h.t, 'budget.updated')).filter((e) => e.envelope.data.budgetId === budget.id);
    expect(events.at(-1)!.envelope.data).toMatchObject({ changed: ['archivedAt'], updatedBy: suite.team.owner.id, changes: { archivedAt: { before: null, after: START } } });

    // Again: nothing changes (same version, no event).
    clock.set('2026-11-24T13:00:00.000Z');
    const again = await req(suite.team.owner, 'POST', `/v1/budgets/${budget.id}/archive`);
    expect(again.status, again.text).toBe(200);
    expect(again.json).toMatchObject({ archivedAt: START, version: version + 1 });
    expect((await outboxEvents(suite.h.t, 'budget.updated')).filter((e) => e.envelope.data.budgetId === budget.id)).toHaveLength(events.length);

    // Every write refused: the one-request create (day named, uncategorized: only the membership's check), the read-first one, the rest.
    await refusedArchived(suite.team.editor, 'POST', `/v1/budgets/${budget.id}/expenses`, { body: { amount: 500, occurredOn: '2026-11-24' } });
    await refusedArchived(suite.team.owner, 'POST', `/v1/budgets/${budget.id}/expenses`, { body: { amount: 500, categoryId: food } });
    await refusedArchived(suite.team.owner, 'PATCH', expenseUrl, { body: { amount: 9_000 } });
    await refusedArchived(suite.team.owner, 'DELETE', expenseUrl);
    await refusedArchived(suite.team.owner, 'PATCH', `/v1/budgets/${budget.id}`, { body: { name: 'Renamed' } });
    await refusedArchived(suite.team.owner, 'POST', `/v1/budgets/${budget.id}/recurring-expenses`, { body: { amount: 700, schedule: { frequency: 'daily' } } });
    await refusedArchived(suite.team.owner, 'POST', `/v1/budgets/${budget.id}/invitations`, { body: { email: 'someone@example.com', role: 'viewer' } });
    await refusedArchived(suite.team.owner, 'PATCH', `/v1/budgets/${budget.id}/members/${suite.team.editor.id}`, { body: { role: 'viewer' } });
    await refusedArchived(suite.team.editor, 'PUT', `/v1/budgets/${budget.id}/period-limits`, { body: { categoryId: food, limit: 100 } });
    await refusedArchived(suite.team.editor, 'POST', `/v1/budgets/${budget.id}/settlements`, { body: { fromUserId: suite.team.editor.id, toUserId: suite.team.owner.id, amount: 4_200, paidOn: '2026-11-24' } });
    await refusedArchived(suite.team.editor, 'PATCH', paymentUrl, { body: { amount: 1_600 } });
    await refusedArchived(suite.team.editor, 'DELETE', paymentUrl);
    await refusedArchived(suite.team.editor, 'DELETE', `${expenseUrl}/comments/${comment.json.id}`);
    await refusedArchived(suite.team.editor, 'POST', `/v1/budgets/${budget.id}/expenses/duplicates/dismiss`, { body: { expenseIds: [created.json.id, comment.json.id] } });
    // The race guard itself: the writer's membership check (all a one-request create carries, no item more) fails once archived.
    const checks = (value: { categoryId?: string }) => suite.h.t.system.facades.budgets.writeChecks(budget.id, suite.team.editor.id, value);
    expect(checks({})).toHaveLength(1);
    await expect(suite.h.t.doc.send(new TransactWriteCommand({ TransactItems: checks({}) as never }))).rejects.toThrow(/ConditionalCheckFailed/);
    await expect(suite.h.t.doc.send(new TransactWriteCommand({ TransactItems: checks({ categoryId: food }) as never }))).rejects.toThrow(/ConditionalCheckFailed/);
    // The viewer still reads 403 (its role comes first), and nothing was written: 10.00 spent, one expense.
    expectProblem(await req(suite.team.viewer, 'POST', `/v1/budgets/${budget.id}/expenses`, { body: { amount: 500, occurredOn: '2026-11-24' } }), 403);
    // So does a member who may not delete the comment (not its author, not the owner): 403, as on an active
    // budget, never the 409 that says unarchiving would let them.
    expectProblem(await req(suite.team.viewer, 'DELETE', `${expenseUrl}/comments/${comment.json.id}`), 403);
    // Nor may an editor change or delete a payment someone else recorded: 403 there too.
    expectProblem(await req(suite.team.editor, 'PATCH', ownersPaymentUrl, { body: { amount: 800 } }), 403);
    expectProblem(await req(suite.team.editor, 'DELETE', ownersPaymentUrl), 403);
    expect(await spent(budget)).toBe(1_000);
    const expenses = await req(suite.team.owner, 'GET', `/v1/budgets/${budget.id}/expenses?limit=100`);
    expect(expenses.json.items.map((e: { amount: number }) => e.amount)).toEqual([1_000]);
    expect((await req(suite.team.owner, 'GET', expenseUrl)).json).toMatchObject({ amount: 1_000 });

    // Lists: hidden by default, for every member; archived=true shows only it. The overview leaves it out.
    expect(await listed(suite.team.owner)).not.toContain(budget.id);
    expect(await listed(suite.team.editor)).not.toContain(budget.id);
    expect(await listed(suite.team.owner, '&archived=true')).toEqual([budget.id]);
    expect(await listed(suite.team.viewer, '&archived=true')).toEqual([budget.id]);
    expectProblem(await req(suite.team.owner, 'GET', '/v1/budgets?archived=yes'), 400, ['query.archived']);
    const overview = await req(suite.team.owner, 'GET', '/v1/me/overview');
    expect(overview.status, overview.text).toBe(200);
    expect(overview.json.items.map((b: { budgetId: string }) => b.budgetId)).not.toContain(budget.id);

    // Unarchive: writable and listed again.
    const back = await req(suite.team.owner, 'POST', `/v1/budgets/${budget.id}/unarchive`);
    expect(back.status, back.text).toBe(200);
    expect(back.json).toMatchObject({ version: version + 2, updatedAt: '2026-11-24T13:00:00.000Z' });
    expect(back.json).not.toHaveProperty('archivedAt');
    expect((await req(suite.team.owner, 'POST', `/v1/budgets/${budget.id}/unarchive`)).json).toMatchObject({ version: version + 2 });
    expect((await req(suite.team.editor, 'POST', `/v1/budgets/${budget.id}/expenses`, { body: { amount: 500, occurredOn: '2026-11-24' } })).status).toBe(201);
    expect((await req(suite.team.owner, 'PATCH', expenseUrl, { body: { amount: 2_000 } })).status).toBe(200);
    expect(await spent(budget)).toBe(2_500);
    await suite.h.t.doc.send(new TransactWriteCommand({ TransactItems: checks({ categoryId: food }) as never }));
    expect(await listed(suite.team.owner)).toContain(budget.id);
    expect(await listed(suite.team.owner, '&archived=true')).toEqual([]);
  });

  it('a member can still be removed or leave an archived budget; deleting it works', async () => {
    const budget = await suite.h.createBudget(suite.team.owner);
    await addMember(suite.h.app, suite.team.owner, budget.id, suite.team.editor, 'editor');
    await addMember(suite.h.app, suite.team.owner, budget.id, suite.team.viewer, 'viewer');
    expect((await req(suite.team.owner, 'POST', `/v1/budgets/${budget.id}/archive`)).status).toBe(200);
    expect((await req(suite.team.owner, 'DELETE', `/v1/budgets/${budget.id}/members/${suite.team.editor.id}`)).status).toBe(204);
    expect((await req(suite.team.viewer, 'DELETE', `/v1/budgets/${budget.id}/members/${suite.team.viewer.id}`)).status).toBe(204);
    expect(await listed(suite.team.viewer, '&archived=true')).not.toContain(budget.id);
    expect((await req(suite.team.owner, 'DELETE', `/v1/budgets/${budget.id}`)).status).toBe(204);
  });
});

describe('the jobs pass an archived budget over', { timeout: 60_000 }, () => {
  it('the recurring job records nothing while archived; the occurrences due meanwhile are skipped, not caught up', async () => {
    const budget = await suite.h.createBudget(suite.team.owner);
    // Daily from tomorrow (2026-11-25, UTC): nothing due yet.
    const made = await req(suite.team.owner, 'POST', `/v1/budgets/${budget.id}/recurring-expenses`, { body: { amount: 700, schedule: { frequency: 'daily', startsOn: '2026-11-25' } } });
    expect(made.status, made.text).toBe(201);
    const url = made.headers.get('location')!;
    expect((await req(suite.team.owner, 'POST', `/v1/budgets/${budget.id}/archive`)).status).toBe(200);

    clock.set('2026-11-27T12:00:00.000Z'); // 11-25, 11-26 and 11-27 due
    expect(await runRecurringJob(suite.h.t)).toMatchObject({ recorded: 0, skipped: 1, failed: 0 });
    expect((await req(suite.team.owner, 'GET', `/v1/budgets/${budget.id}/expenses`)).json.items).toEqual([]);
    expect((await req(suite.team.owner, 'GET', url)).json).toMatchObject({ nextOccurrenceOn: '2026-11-28' });

    expect((await req(suite.team.owner, 'POST', `/v1/budgets/${budget.id}/unarchive`)).status).toBe(200);
    clock.set('2026-11-28T12:00:00.000Z');
    expect(await runRecurringJob(suite.h.t)).toMatchObject({ recorded: 1, failed: 0 });
    const dates = (await req(suite.team.owner, 'GET', `/v1/budgets/${budget.id}/expenses`)).json.items.map((e: { occurredOn: string }) => e.occurredOn);
    expect(dates).toEqual(['2026-11-28']);
    expect((await req(suite.team.owner, 'DELETE', url)).status).toBe(204);
  });

  it('the forecast and safe to spend of an archived budget promise no bill: the job will record none of them', async () => {
    const budget = await suite.h.createBudget(suite.team.owner);
    const [food] = budget.categories.map((c) => c.id) as [string];
    // Daily from tomorrow (2026-11-25, UTC) in Food: 25..30 November, 6 x 700 = 4,200 still to come this period.
    const made = await req(suite.team.owner, 'POST', `/v1/budgets/${budget.id}/recurring-expenses`, { body: { amount: 700, categoryId: food, schedule: { frequency: 'daily', startsOn: '2026-11-25' } } });
    expect(made.status, made.text).toBe(201);
    const outlook = async () => {
      const [forecast, safe] = await Promise.all(['forecast', 'safe-to-spend'].map((route) => req(suite.team.owner, 'GET', `/v1/budgets/${budget.id}/${route}`)));
      expect(forecast!.status, forecast!.text).toBe(200);
      expect(safe!.status, safe!.text).toBe(200);
      return {
        scheduled: forecast!.json.scheduled,
        foodScheduled: forecast!.json.categories[0].scheduled,
        upcoming: forecast!.json.upcoming.length,
        bills: safe!.json.upcomingBills.total,
        billsListed: safe!.json.upcomingBills.items.length,
        safeToSpend: safe!.json.safeToSpend,
      };
    };
    const limit = 1_000_000_000;
    expect(await outlook()).toEqual({ scheduled: 4_200, foodScheduled: 4_200, upcoming: 6, bills: 4_200, billsListed: 6, safeToSpend: limit - 4_200 });

    // Archived: the job skips every due date (test above), so nothing of it is still to come.
    expect((await req(suite.team.owner, 'POST', `/v1/budgets/${budget.id}/archive`)).status).toBe(200);
    expect(await outlook()).toEqual({ scheduled: 0, foodScheduled: 0, upcoming: 0, bills: 0, billsListed: 0, safeToSpend: limit });

    // Unarchived: the bills are back (the job records them again from here).
    expect((await req(suite.team.owner, 'POST', `/v1/budgets/${budget.id}/unarchive`)).status).toBe(200);
    expect(await outlook()).toEqual({ scheduled: 4_200, foodScheduled: 4_200, upcoming: 6, bills: 4_200, billsListed: 6, safeToSpend: limit - 4_200 });
    expect((await req(suite.team.owner, 'DELETE', made.headers.get('location')!)).status).toBe(204);
  });

  it('the report job makes no report of a period ending while archived, nor later on unarchiving', async () => {
    const archived = await suite.h.createBudget(suite.team.owner);
    const active = await suite.h.createBudget(suite.team.owner);
    expect((await req(suite.team.owner, 'POST', `/v1/budgets/${archived.id}/archive`)).status).toBe(200);
    const reportsOf = async (b: Budget) => (await req(suite.team.owner, 'GET', `/v1/budgets/${b.id}/reports?limit=100`)).json.items.map((r: { id: string }) => r.id);
    const job = suite.h.t.system.schedules.find((j) => j.name === 'budget-reports')!;

    clock.set('2026-12-01T00:30:00.000Z');
    await job.run(new Date('2026-12-01T00:30:00.000Z'), { logger: recordingLogger() });
    expect(await reportsOf(active)).toEqual(['20261101-20261130']);
    expect(await reportsOf(archived)).toEqual([]);

    expect((await req(suite.team.owner, 'POST', `/v1/budgets/${archived.id}/unarchive`)).status).toBe(200);
    clock.set('2026-12-01T01:30:00.000Z');
    await job.run(new Date('2026-12-01T01:30:00.000Z'), { logger: recordingLogger() });
    expect(await reportsOf(archived)).toEqual([]);
  });

  it('a period that ended before the archive, not reported yet when it came, is still reported; the next one, ending while archived, is not', async () => {
    const budget = await suite.h.createBudget(suite.team.owner);
    const reportsOf = async () => (await req(suite.team.owner, 'GET', `/v1/budgets/${budget.id}/reports?limit=100`)).json.items.map((r: { id: string }) => r.id);
    const job = suite.h.t.system.schedules.find((j) => j.name === 'budget-reports')!;
    // November ended (UTC) while the budget was active; it is archived ten minutes later, before the hourly job came.
    clock.set('2026-12-01T00:10:00.000Z');
    expect((await req(suite.team.owner, 'POST', `/v1/budgets/${budget.id}/archive`)).status).toBe(200);
    clock.set('2026-12-01T00:30:00.000Z');
    await job.run(new Date('2026-12-01T00:30:00.000Z'), { logger: recordingLogger() });
    expect(await reportsOf()).toEqual(['20261101-20261130']);
    // December ends while it is archived: passed over, as before.
    clock.set('2027-01-01T00:30:00.000Z');
    await job.run(new Date('2027-01-01T00:30:00.000Z'), { logger: recordingLogger() });
    expect(await reportsOf()).toEqual(['20261101-20261130']);
  });

  it('no bill reminder for an archived budget', async () => {
    const archived = await suite.h.createBudget(suite.team.owner);
    const active = await suite.h.createBudget(suite.team.owner);
    // Monthly from 2026-11-26 (UTC): that day begins at 2026-11-26T00:00Z, reminded from 15 hours before (2026-11-25T09:00Z).
    const urls: string[] = [];
    for (const b of [archived, active]) {
      const made = await req(suite.team.owner, 'POST', `/v1/budgets/${b.id}/recurring-expenses`, { body: { amount: 90_000, merchant: 'Landlord', schedule: { frequency: 'monthly', startsOn: '2026-11-26' } } });
      expect(made.status, made.text).toBe(201);
      urls.push(made.headers.get('location')!);
    }
    expect((await req(suite.team.owner, 'POST', `/v1/budgets/${archived.id}/archive`)).status).toBe(200);
    clock.set('2026-11-25T10:00:00.000Z');
    await suite.h.t.system.jobs.plan('recurring-reminders', new Date('2026-11-25T10:00:00.000Z'), { logger: suite.h.t.system.deps.logger });
    const reminded = (await outboxEvents(suite.h.t, 'expense.recurring_due_soon')).map((e) => e.envelope.data.budgetId);
    expect(reminded).toContain(active.id);
    expect(reminded).not.toContain(archived.id);
    // Its definition cannot be deleted while archived (a write): unarchived first.
    expect((await req(suite.team.owner, 'DELETE', urls[0]!)).status).toBe(409);
    expect((await req(suite.team.owner, 'POST', `/v1/budgets/${archived.id}/unarchive`)).status).toBe(200);
    for (const url of urls) expect((await req(suite.team.owner, 'DELETE', url)).status).toBe(204);
  });
});
