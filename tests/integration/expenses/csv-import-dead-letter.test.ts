import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readDeadLetters } from '../../../packages/app/src/local/dead-letters';
import { deadLetterDir } from '../../../packages/app/src/local/jobs-runtime';
import { as, createBudget, signUp, type Actor } from '../../support/actors';
import { outboxEvents } from '../../support/events';
import { createFanOutSystem, itemsOfKind } from '../jobs/support';

/**
 * An import chunk that fails every attempt (issue 11): the work queue dead-letters it, and the
 * import must not read `running` for ever. On its last attempt the job marks the import failed
 * with the reason. Failures before the last attempt change nothing (the retry resumes). The
 * failure is DynamoDB refusing every TransactWriteItems (before anything is written), the
 * local work queue tries six times (createFanOutSystem).
 */
let s: Awaited<ReturnType<typeof createFanOutSystem>>;
let owner: Actor;
const TABLE_ERROR = 'Internal server error on arn:aws:dynamodb:eu-west-1:123456789012:table/budgeting-production-Table';
/** TransactWriteItems calls left to refuse (Infinity: all of them). */
const refuse = { left: 0 };

beforeAll(async () => {
  s = await createFanOutSystem({ concurrency: 1 });
  owner = await signUp(s.t.app, 'import-dead-letter-owner');
  s.t.doc.middlewareStack.add(
    (next, context) => async (args) => {
      // The import's own writes are let through: its record's creation (a transaction with the
      // budget's closed-budget check) and its failure (its record and its expense.import_finished).
      const own = (input: string) => input.includes('expense.import_finished') || input.includes('"kind":"import"');
      if (context.commandName === 'TransactWriteItemsCommand' && refuse.left > 0 && !own(JSON.stringify(args.input))) {
        refuse.left--;
        // As DynamoDB words a refusal that names the table (and the account): the operators' to read in the logs.
        throw Object.assign(new Error(`${TABLE_ERROR} (test)`), { name: 'InternalServerError' });
      }
      return next(args);
    },
    { step: 'initialize', name: 'refuseTransactions' },
  );
});
afterAll(() => s.t.destroy());

const csv = (rows: number) =>
  `date,amount,category,description,merchant\n${Array.from({ length: rows }, (_, n) => `2026-11-0${1 + (n % 9)},${n + 1}.25,,row ${n},Shop`).join('\n')}\n`;
const api = () => as(s.t.app, owner);
const post = (budgetId: string, file: string) =>
  api()('POST', `/v1/budgets/${budgetId}/expenses/import`, { rawBody: file, headers: { 'content-type': 'text/csv' } });
const expensesOf = async (budgetId: string) => (await itemsOfKind(s.t, 'expense')).filter((e) => e.budgetId === budgetId);

describe('CSV import: a chunk that fails every attempt', { timeout: 120_000 }, () => {
  it('fails the import with the reason (not running for ever); the chunk is in the dead letters; importing again adds the rows', async () => {
    const b = await createBudget(s.t.app, owner);
    const before = s.queue.deadLettered;
    refuse.left = Number.POSITIVE_INFINITY;
    let res;
    try {
      res = await post(b.id, csv(3));
      expect(res.status, res.text).toBe(202);
      await s.queue.idle();
    } finally {
      refuse.left = 0;
    }
    expect(s.queue.deadLettered).toBe(before + 1);
    const record = (await api()('GET', res.headers.get('location')!)).json;
    expect(record).toMatchObject({ status: 'failed', total: 3, processed: 0, imported: 0, failureCode: 'part-failed' });
    expect(record.finishedAt).toEqual(expect.any(String));
    // It stopped moving when it failed: a client polling sees the same time as the end.
    expect(record.updatedAt).toBe(record.finishedAt);
    // The reason says which part and what to do, never the error (the runner logged it with each failed attempt).
    expect(record.errors[0]).toEqual({ line: 0, message: 'part 1 of the file failed every attempt (an error on our side, logged for the operators); rows recorded before stay, importing the file again adds only the rest' });
    const letters = readDeadLetters(deadLetterDir(s.dataDir)).filter((l) => l.kind === 'work');
    expect(letters.map((l) => (l.kind === 'work' && l.message.type === 'unit' ? l.message.unit : undefined))).toContainEqual({ budgetId: b.id, importId: record.id, chunk: 0 });
    expect(await expensesOf(b.id)).toHaveLength(0);
    expect(JSON.stringify(record)).not.toContain('arn:aws');
    // Told once, with the failure: the import's one expense.import_finished.
    const ended = (await outboxEvents(s.t, 'expense.import_finished')).filter((e) => e.envelope.data.importId === record.id);
    expect(ended.map((e) => e.envelope.data)).toEqual([
      { budgetId: b.id, importId: record.id, userId: owner.id, status: 'failed', total: 3, imported: 0, duplicates: 0, matched: 0, errorCount: 0, failure: record.errors[0].message, failureCode: 'part-failed' },
    ]);

    const again = await post(b.id, csv(3));
    await s.queue.idle();
    const second = (await api()('GET', again.headers.get('location')!)).json;
    expect(second).toMatchObject({ status: 'succeeded', imported: 3, duplicates: 0 });
    expect(second).not.toHaveProperty('failureCode');
    expect((await outboxEvents(s.t, 'expense.import_finished')).filter((e) => e.envelope.data.importId === second.id).map((e) => e.envelope.data)).toEqual([
      { budgetId: b.id, importId: second.id, userId: owner.id, status: 'succeeded', total: 3, imported: 3, duplicates: 0, matched: 0, errorCount: 0 },
    ]);
    expect(await expensesOf(b.id)).toHaveLength(3);
  });

  it('a chunk that fails some attempts but not the last is retried and the import succeeds', async () => {
    const b = await createBudget(s.t.app, owner);
    const before = s.queue.deadLettered;
    refuse.left = 3;
    const res = await post(b.id, csv(4));
    await s.queue.idle();
    expect(refuse.left).toBe(0);
    expect(s.queue.deadLettered).toBe(before);
    expect((await api()('GET', res.headers.get('location')!)).json).toMatchObject({ status: 'succeeded', processed: 4, imported: 4 });
    expect(await expensesOf(b.id)).toHaveLength(4);
  });
});
