import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { as, createBudget, signUp, type Actor } from '../../support/actors';
import { outboxEvents } from '../../support/events';
import { createFanOutSystem, itemsOfKind } from '../jobs/support';

/**
 * `credits=income` under the import's guarantees, with the chunks on the local work queue (10
 * rows a chunk) and a worker "crashing" right after every 3rd transaction committed (its unit
 * delivered again): each credit recorded once as income, each debit once as an expense, the
 * counts and both month figures exact. Figures worked by hand from the file.
 */
let s: Awaited<ReturnType<typeof createFanOutSystem>>;
let owner: Actor;

beforeAll(async () => {
  s = await createFanOutSystem({ concurrency: 2, expenses: { csv: { chunkRows: 10 } } });
  owner = await signUp(s.t.app, 'income-crash');
});
afterAll(() => s.t.destroy());

/**
 * 60 rows in November 2026, amountSign=negativeIsSpending: row n is a debit of -(n + 1).00 when
 * n is even, a credit of +(100 + n).00 when odd. Debits: sum over even n of (n + 1) = 1 + 3 + ...
 * + 59 = 30^2 = 900.00. Credits: sum over odd n of (100 + n) = 30 x 100 + (1 + 3 + ... + 59) =
 * 3000 + 900 = 3900.00.
 */
function file(): string {
  const lines = ['Date,Amount,Payee,Memo'];
  for (let n = 0; n < 60; n++) {
    const day = String(1 + (n % 28)).padStart(2, '0');
    lines.push(n % 2 === 0 ? `2026-11-${day},-${n + 1}.00,Shop ${n},debit ${n}` : `2026-11-${day},${100 + n}.00,Payer ${n},credit ${n}`);
  }
  return `${lines.join('\n')}\n`;
}
const QUERY = 'dateColumn=Date&amountColumn=Amount&merchantColumn=Payee&descriptionColumn=Memo&amountSign=negativeIsSpending&credits=income';

describe('credits=income, crashes', { timeout: 300_000 }, () => {
  it('a worker crashing right after its commits is delivered again: no duplicate income, counts and totals exact', async () => {
    const b = await createBudget(s.t.app, owner);
    const api = as(s.t.app, owner);
    let importId = '';
    s.crash.count = 0;
    s.crash.crashed = 0;
    s.crash.everyNth = 3;
    s.crash.limit = 6;
    try {
      const res = await api('POST', `/v1/budgets/${b.id}/expenses/import?${QUERY}`, { rawBody: file(), headers: { 'content-type': 'text/csv' } });
      expect(res.status, res.text).toBe(202);
      await s.queue.idle();
      expect(s.crash.crashed).toBeGreaterThan(0);
      const done = (await api('GET', res.headers.get('location')!)).json;
      expect(done).toMatchObject({ status: 'succeeded', total: 60, processed: 60, imported: 60, incomeImported: 30, duplicates: 0, errorCount: 0 });
      importId = done.id;
    } finally {
      s.crash.everyNth = 0;
      delete s.crash.only;
      s.crash.limit = Number.POSITIVE_INFINITY;
    }
    expect(s.queue.deadLettered).toBe(0);
    const income = (await itemsOfKind(s.t, 'income')).filter((i) => i.budgetId === b.id);
    expect(income).toHaveLength(30);
    expect(new Set(income.map((i) => i.description)).size).toBe(30);
    // One income.recorded per entry, none twice: a delivery again after a crash wrote no entry, so no event (same transaction).
    const recorded = (await outboxEvents(s.t, 'income.recorded')).filter((e) => e.envelope.data.budgetId === b.id);
    expect(recorded.map((e) => e.envelope.data.incomeId).sort()).toEqual(income.map((i) => i.id).sort());
    expect(recorded.every((e) => e.envelope.data.via === 'import' && e.envelope.data.importId === importId)).toBe(true);
    const expenses = (await itemsOfKind(s.t, 'expense')).filter((e) => e.budgetId === b.id);
    expect(expenses).toHaveLength(30);
    const flow = (await api('GET', `/v1/budgets/${b.id}/cash-flow?from=2026-11&to=2026-11`)).json;
    expect(flow.months).toEqual([{ month: '2026-11', income: 390000, spent: 90000, net: 300000, savingsRate: 7692 }]);
  });

  it('a worker crashing right after each of its income transactions: delivered again, each entry published once (its income.recorded rode its transaction)', async () => {
    const b = await createBudget(s.t.app, owner);
    const api = as(s.t.app, owner);
    s.crash.count = 0;
    s.crash.crashed = 0;
    s.crash.everyNth = 1;
    s.crash.limit = 4;
    // Only the transactions putting income entries count (6 chunks, one income transaction each).
    s.crash.only = (input) => (input.TransactItems as any[]).some((i) => i.Put?.Item?.kind === 'income');
    let importId = '';
    try {
      const res = await api('POST', `/v1/budgets/${b.id}/expenses/import?${QUERY}`, { rawBody: file(), headers: { 'content-type': 'text/csv' } });
      expect(res.status, res.text).toBe(202);
      await s.queue.idle();
      expect(s.crash.crashed).toBe(4);
      const done = (await api('GET', res.headers.get('location')!)).json;
      expect(done).toMatchObject({ status: 'succeeded', total: 60, imported: 60, incomeImported: 30, duplicates: 0, errorCount: 0 });
      importId = done.id;
    } finally {
      s.crash.everyNth = 0;
      s.crash.limit = Number.POSITIVE_INFINITY;
      delete s.crash.only;
    }
    expect(s.queue.deadLettered).toBe(0);
    const income = (await itemsOfKind(s.t, 'income')).filter((i) => i.budgetId === b.id);
    expect(income).toHaveLength(30);
    const recorded = (await outboxEvents(s.t, 'income.recorded')).filter((e) => e.envelope.data.budgetId === b.id);
    expect(recorded).toHaveLength(30);
    expect(recorded.map((e) => e.envelope.data.incomeId).sort()).toEqual(income.map((i) => i.id).sort());
    expect(recorded.every((e) => e.envelope.data.via === 'import' && e.envelope.data.importId === importId)).toBe(true);
  });
});
