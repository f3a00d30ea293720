import { expect } from 'vitest';
import { expectProblem } from '../../support/problem';
import type { Budget, Harness, User } from './harness';

/**
 * The `?credits=` scenario every bank format's import test runs on its own file (ofx-, camt-,
 * bank-csv- and qif-import.test.ts): debits of 100.00 and 40.00 and a credit of 25.00 from the
 * same merchant, which a rule files under the budget's one category. Figures worked by hand:
 * by default 2 expenses, spent 140.00, the credit skipped; then with `credits=refunds` the dry
 * run shows the credit's line, the import adds only the refund (2500, `refund: true`), spent
 * 115.00, and the same file again adds nothing. `alwaysSkipped`: entries of the file skipped
 * either way (a camt reversal). Another value of the parameter is a 400 naming it.
 */
export async function expectCreditsAsRefunds(
  h: Harness,
  owner: User,
  b: Budget,
  run: (query: Record<string, string>) => Promise<{ status: number; headers: Headers; json: any; text: string }>,
  credit: { line: number; occurredOn: string; description?: string; alwaysSkipped?: number },
): Promise<void> {
  const categoryId = b.categories[0]!.id;
  const kept = credit.alwaysSkipped ?? 0;
  expectProblem(await run({ credits: 'all' }), 400, ['query.credits']);

  const dryDefault = await run({ dryRun: 'true', credits: 'skip' });
  expect(dryDefault.json).toMatchObject({ total: 2, imported: 2, skipped: 1 + kept });
  expect(dryDefault.json.skippedLines).toContain(credit.line);
  const plain = await run({});
  expect(plain.json).toMatchObject({ status: 'succeeded', total: 2, imported: 2, duplicates: 0, skipped: 1 + kept });
  expect(await h.listExpenses(b, owner.token)).toHaveLength(2);
  expect(await h.spent(b, owner.token, credit.occurredOn)).toBe(14000);

  const dry = await run({ dryRun: 'true', credits: 'refunds' });
  expect(dry.status, dry.text).toBe(200);
  expect(dry.json).toMatchObject({ total: 3, imported: 1, duplicates: 2, errorCount: 0, skipped: kept, importLines: [credit.line] });
  expect(dry.json.categorized).toEqual([{ line: credit.line, categoryId, ruleId: expect.any(String) }]);
  const refunds = await run({ credits: 'refunds' });
  expect(refunds.json).toMatchObject({ status: 'succeeded', total: 3, imported: 1, duplicates: 2, skipped: kept });
  const list = await h.listExpenses(b, owner.token);
  expect(list.map(({ occurredOn, amount, refund, categoryId: c, description }) => ({ occurredOn, amount, refund, categoryId: c, description }))).toEqual([
    { occurredOn: credit.occurredOn, amount: 2500, refund: true, categoryId, description: credit.description },
    { occurredOn: '2026-11-04', amount: 4000, refund: undefined, categoryId, description: undefined },
    { occurredOn: '2026-11-02', amount: 10000, refund: undefined, categoryId, description: undefined },
  ]);
  expect(await h.spent(b, owner.token, credit.occurredOn)).toBe(11500);

  const again = await run({ credits: 'refunds' });
  expect(again.json).toMatchObject({ status: 'succeeded', total: 3, imported: 0, duplicates: 3, skipped: kept });
  expect(await h.listExpenses(b, owner.token)).toHaveLength(3);
}

/** A budget (in `currency`) with one category, Shopping, where a rule files every merchant containing "amazon". */
export async function amazonBudget(h: Harness, owner: User, currency?: string): Promise<Budget> {
  const b = await h.createBudget(owner, { ...(currency ? { currency } : {}), categories: ['Shopping'] });
  const rule = await h.call('POST', `/v1/budgets/${b.id}/rules`, { token: owner.token, body: { merchant: { contains: 'amazon' }, categoryId: b.categories[0]!.id } });
  expect(rule.status, rule.text).toBe(201);
  return b;
}
