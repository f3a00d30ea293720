import { expect } from 'vitest';
import type { Budget, Harness, User } from './harness';

/**
 * The `?credits=income` scenario a bank format's import test runs on its own file (camt-,
 * qif-import.test.ts, and Firefly III's preset in import-presets.test.ts; OFX and bank CSV:
 * income-import.test.ts): a debit of 40.00 on 4 November 2026 and a credit of 2,500.00 on the 5th
 * (a salary). Figures worked by hand: the dry run lists the credit at its `line` as income and
 * writes nothing; the import records 1 expense and 1 income entry (250000, 2026-11-05, the
 * file's payer as `source`, its text as `description`); November's cash flow: income 250000,
 * spent 4000, net 246000, rate 246000 / 250000 = 98.4 % -> 9840 bp; the same file again adds
 * nothing (2 duplicates), the figures unchanged. `alwaysSkipped`: entries skipped either way.
 */
export async function expectCreditsAsIncome(
  h: Harness,
  owner: User,
  b: Budget,
  run: (query: Record<string, string>) => Promise<{ status: number; json: any; text: string }>,
  credit: { line: number; source: string; description?: string; alwaysSkipped?: number },
): Promise<void> {
  const skipped = credit.alwaysSkipped ?? 0;
  const entry = { amount: 250000, receivedOn: '2026-11-05', source: credit.source, ...(credit.description ? { description: credit.description } : {}) };
  const incomeOf = async () => {
    const res = await h.call('GET', `/v1/budgets/${b.id}/income?limit=100`, { token: owner.token });
    expect(res.status, res.text).toBe(200);
    return (res.json.items as any[]).map(({ amount, receivedOn, source, description }) => ({ amount, receivedOn, source, ...(description === undefined ? {} : { description }) }));
  };
  const november = async () => {
    const res = await h.call('GET', `/v1/budgets/${b.id}/cash-flow?from=2026-11&to=2026-11`, { token: owner.token });
    expect(res.status, res.text).toBe(200);
    return res.json.months;
  };

  const dry = await run({ dryRun: 'true', credits: 'income' });
  expect(dry.status, dry.text).toBe(200);
  expect(dry.json).toMatchObject({ dryRun: true, total: 2, imported: 2, incomeImported: 1, duplicates: 0, errorCount: 0, skipped });
  expect(dry.json.income).toEqual([{ line: credit.line, ...entry }]);
  expect(await incomeOf()).toEqual([]);
  expect(await h.listExpenses(b, owner.token)).toEqual([]);

  const done = await run({ credits: 'income' });
  expect(done.status, done.text).toBe(200);
  expect(done.json).toMatchObject({ status: 'succeeded', total: 2, imported: 2, incomeImported: 1, duplicates: 0, errorCount: 0, skipped });
  expect(await incomeOf()).toEqual([entry]);
  expect((await h.listExpenses(b, owner.token)).map(({ occurredOn, amount, refund }) => ({ occurredOn, amount, refund: refund ?? false }))).toEqual([
    { occurredOn: '2026-11-04', amount: 4000, refund: false },
  ]);
  const figures = [{ month: '2026-11', income: 250000, spent: 4000, net: 246000, savingsRate: 9840 }];
  expect(await november()).toEqual(figures);

  const again = await run({ credits: 'income' });
  expect(again.json).toMatchObject({ status: 'succeeded', total: 2, imported: 0, incomeImported: 0, duplicates: 2, skipped });
  expect(await incomeOf()).toHaveLength(1);
  expect(await h.listExpenses(b, owner.token)).toHaveLength(1);
  expect(await november()).toEqual(figures);
}
