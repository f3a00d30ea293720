import { addExpense, addMember, clockSuite, createBudget } from './helpers';

/**
 * The set-up the per-period limit suites share (move-money.test.ts, period-limits.test.ts): a
 * test system on a fixed clock with an owner and three more accounts (to be made editor and
 * viewer, and one stranger), the clock moved with every token re-issued, and the owner's GETs
 * (clockSuite). `accounts` is filled by its beforeAll, which runs before the suite's own.
 */
export function periodLimitsSuite(start = '2026-09-05T09:00:00Z') {
  const suite = clockSuite(start, ['editor', 'viewer', 'stranger']);
  return {
    ...suite,
    /**
     * The budget both files start from, made by the owner when called (at the suite's start, in
     * September): limit 100,000, Food (limit 10,000, rolls over), Fun (5,000) and Misc (and
     * `overrides`); the editor and viewer made members; Food spends 8,000 on 2026-09-10 and
     * 12,000 on 2026-10-10; then the clock set to 2026-11-20T09:00Z. Its creation answer and its
     * categories' ids.
     */
    async foodBudget(overrides: Record<string, unknown> = {}) {
      const { t, owner, editor, viewer } = suite.accounts;
      const budget = await createBudget(t.app, owner, {
        limit: 100_000,
        ...overrides,
        categories: [{ name: 'Food', limit: 10_000, rollover: true }, { name: 'Fun', limit: 5_000 }, { name: 'Misc' }],
      });
      const [food, fun, misc] = budget.categories.map((c) => c.id) as [string, string, string];
      await addMember(t.app, owner, budget.id, editor, 'editor');
      await addMember(t.app, owner, budget.id, viewer, 'viewer');
      await addExpense(t.app, owner, budget.id, { amount: 8_000, occurredOn: '2026-09-10', categoryId: food });
      await addExpense(t.app, owner, budget.id, { amount: 12_000, occurredOn: '2026-10-10', categoryId: food });
      await suite.setClock('2026-11-20T09:00:00Z');
      return { budget, budgetId: budget.id, food, fun, misc };
    },
  };
}
