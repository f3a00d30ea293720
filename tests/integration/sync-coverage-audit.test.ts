import { describe, expect, it } from 'vitest';
import { outboxEvents } from '../support/events';
import type { Budget } from './expenses/harness';
import { callAs, recurringSuite } from './expenses/recurring-harness';

/**
 * Audit round 22 (packages/expenses/docs/sync.md "Which writes are numbered"): the write sites that
 * no client drives over the synced routes, closest to the line between "numbered" and "exempt".
 * A phone keeps only what GET /changes told it and, after the write, syncs with its cursor: it must
 * end equal to the lists (expenses, recurring expenses).
 * - the recurring job settling a due date with a bill an import recorded (bill matching): the
 *   definition's new next date is numbered; the imported expense is not written (markers only);
 * - the bill reminders' `remindedOn` hint on the definition: exempt, nothing GET shows changes.
 * One budget, the steps in order (the reminder is of the date the settle moved to).
 */
const suite = recurringSuite('2026-10-30T12:00:00Z');
const { clock, req } = suite;

type Page = { serverKnowledge: string; hasMore: boolean; expenses: any[]; recurringExpenses?: any[] };

/** What a phone keeps: as the responses gave it. */
class Replica {
  readonly expenses = new Map<string, any>();
  readonly recurringExpenses = new Map<string, any>();
  token: string | undefined;
  /** Syncs to the end from its cursor; the pages' changes (the first sync's too). */
  async sync(b: Budget) {
    const changed = { expenses: [] as string[], recurringExpenses: [] as string[] };
    for (;;) {
      const res = await req('GET', `/v1/budgets/${b.id}/changes${this.token ? `?since=${this.token}` : ''}`);
      expect(res.status, res.text).toBe(200);
      const page = res.json as Page;
      for (const { kind, ...e } of page.expenses) {
        changed.expenses.push(e.id);
        if (kind === 'deleted') this.expenses.delete(e.id); else this.expenses.set(e.id, e);
      }
      for (const { kind, ...r } of page.recurringExpenses ?? []) {
        changed.recurringExpenses.push(r.id);
        if (kind === 'deleted') this.recurringExpenses.delete(r.id); else this.recurringExpenses.set(r.id, r);
      }
      this.token = page.serverKnowledge;
      if (!page.hasMore) return changed;
    }
  }
  async expectEqualToLists(b: Budget) {
    const expenses = await req('GET', `/v1/budgets/${b.id}/expenses?limit=100`);
    const definitions = await req('GET', `/v1/budgets/${b.id}/recurring-expenses?limit=100`);
    expect(this.expenses).toEqual(new Map((expenses.json.items as any[]).map((e) => [e.id, e] as const)));
    expect(this.recurringExpenses).toEqual(new Map((definitions.json.items as any[]).map((r) => [r.id, r] as const)));
  }
}

describe('delta sync coverage of the jobs\' writes (audit round 22)', { timeout: 60_000 }, () => {
  it("the job's bill match numbers the definition's new date and writes no expense; the reminders' hint is no change", async () => {
    const h = suite.harness();
    const b = await h.createBudget(suite.owner());
    const created = await req('POST', suite.collection(b), {
      body: { amount: 120000, merchant: 'Acme Rentals', description: 'Rent', categoryId: null, schedule: { frequency: 'monthly', startsOn: '2026-11-01' } },
    });
    expect(created.status, created.text).toBe(201);
    suite.created.push(created.headers.get('location')!);
    const rentId = created.json.id as string;
    // The rent paid a day early, imported before the job reaches its date.
    const csv = 'date,amount,category,description,merchant\n2026-10-31,1200.00,,SEPA DD,ACME RENTALS LTD\n';
    const imported = await callAs(h, suite.owner(), 'POST', `/v1/budgets/${b.id}/expenses/import`, { rawBody: csv, headers: { 'content-type': 'text/csv', prefer: 'wait=25' } });
    expect(imported.json, imported.text).toMatchObject({ status: 'succeeded', imported: 1, matched: 0 });

    const phone = new Replica();
    await phone.sync(b);
    await phone.expectEqualToLists(b);

    clock.set('2026-11-01T12:00:00Z');
    expect(await suite.run()).toMatchObject({ matched: 1, recorded: 0, failed: 0 });
    // The settle moved the date (numbered) and linked the imported expense by markers only.
    expect(await phone.sync(b)).toEqual({ expenses: [], recurringExpenses: [rentId] });
    expect(phone.recurringExpenses.get(rentId)).toMatchObject({ nextOccurrenceOn: '2026-12-01' });
    await phone.expectEqualToLists(b);

    // 2026-12-01 begins (UTC) in 15 hours: reminded, the definition's `remindedOn` set.
    clock.set('2026-11-30T09:00:00Z');
    await h.t.system.jobs.plan('recurring-reminders', new Date('2026-11-30T09:00:00Z'), { logger: h.t.system.deps.logger });
    const reminders = (await outboxEvents(h.t, 'expense.recurring_due_soon')).filter((e) => e.envelope.data.budgetId === b.id);
    expect(reminders.map((e) => e.envelope.data.dueOn)).toEqual(['2026-12-01']);
    // Exempt by design: nothing a client syncs changed, so nothing is listed and the copy holds.
    expect(await phone.sync(b)).toEqual({ expenses: [], recurringExpenses: [] });
    await phone.expectEqualToLists(b);
  });
});
