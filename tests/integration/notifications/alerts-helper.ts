import { expect } from 'vitest';
import { addExpense, createBudget, type Actor } from '../../support/actors';
import { deliver, outboxEvents, theEvent } from '../../support/events';
import type { TestSystem } from '../../support/test-system';

/** A budget of `who` with these alert thresholds, spent to its limit and delivered: one notification per threshold. */
export async function spentToLimit(t: TestSystem, who: Actor, alertThresholds: number[]) {
  const budget = await createBudget(t.app, who, { currency: 'EUR', limit: 10_000, alertThresholds });
  const expense = await addExpense(t.app, who, budget.id, { amount: 10_000, occurredOn: '2026-11-20' });
  await deliver(t, await theEvent(t, 'expense.recorded', { expenseId: expense.id }));
  const crossings = (await outboxEvents(t, 'budget.threshold_crossed')).filter((e) => e.envelope.data.budgetId === budget.id);
  expect(crossings).toHaveLength(alertThresholds.length);
  await deliver(t, ...crossings);
  return budget;
}
