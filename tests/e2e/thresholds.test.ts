import { budgetDeleted, budgetThresholdCrossed } from '@budgeting/budgets';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addExpense, asUser, createBudget, signup, tableItems } from '../integration/subscribers/support';
import { startE2eSystem, type E2eSystem } from './support';

/**
 * End to end over HTTP, locally as `npm start` runs: expenses crossing 80% and then 100% of a
 * limit of 10,000 (and more expenses above 100%) publish exactly one budget.threshold_crossed
 * for each, through stream -> relay -> bus -> budgets-on-expenses -> outbox -> stream -> bus.
 */
let e2e: E2eSystem;

beforeAll(async () => {
  e2e = await startE2eSystem([budgetThresholdCrossed, budgetDeleted]);
});
afterAll(() => e2e?.stop());

describe('alert thresholds, end to end', { timeout: 180_000 }, () => {
  it('publishes one budget.threshold_crossed at 80% and one at 100%, and the summary shows both', async () => {
    const { t } = e2e;
    const alice = await signup(t.app, 'alice');
    const budget = await createBudget(t.app, alice, { limit: 10_000, currency: 'EUR', period: 'monthly', timezone: 'Europe/Paris' });
    expect(budget).toMatchObject({ limit: 10_000, alertThresholds: [80, 100] });

    // 50%, 81% (crosses 80), 91%, 103% (crosses 100), then further above 100%.
    const amounts = [5_000, 3_100, 1_000, 1_200, 500, 800, 2_000];
    for (const amount of amounts) {
      await addExpense(t.app, alice, budget.id, { amount, occurredOn: '2026-11-20' });
      // Let the relay see some of them one by one and some together.
      if (amount !== 500) await e2e.settled();
    }
    await e2e.settled();

    // What reached the bus (the probe is one more rule on it) ...
    const onBus = e2e.published.get('budget.threshold_crossed') ?? [];
    expect(onBus.map((e) => [e.data.scope, e.data.threshold, e.data.spent, e.data.limit])).toEqual([
      ['budget', 80, 8_100, 10_000],
      ['budget', 100, 10_300, 10_000],
    ]);
    expect(onBus.every((e) => e.data.budgetId === budget.id && e.data.periodStart === '2026-11-01' && e.data.periodEnd === '2026-11-30')).toBe(true);

    // ... is what the budgets module's outbox holds: one item per threshold.
    const outbox = (await tableItems(t.doc, t.tableName)).filter((i) => String(i.pk).startsWith('budgets#outbox#') && i.detailType === 'budget.threshold_crossed');
    expect(outbox.map((i) => JSON.parse(i.detail).id).sort()).toEqual(onBus.map((e) => e.id).sort());

    // The budgets subscriber wrote an inbox item only with its two announcements.
    const inbox = (await tableItems(t.doc, t.tableName)).filter((i) => String(i.pk).startsWith('budgets#inbox#budgets-on-expenses#'));
    expect(inbox).toHaveLength(2);

    const summary = await asUser(t.app, alice)('GET', `/v1/budgets/${budget.id}/summary?date=2026-11-24`);
    expect(summary.status, summary.text).toBe(200);
    expect(summary.json).toMatchObject({ spent: 13_600, limit: 10_000, remaining: -3_600 });
    expect(summary.json.thresholdsCrossed).toEqual([
      { scope: 'budget', categoryId: null, threshold: 80 },
      { scope: 'budget', categoryId: null, threshold: 100 },
    ]);
  });
});
