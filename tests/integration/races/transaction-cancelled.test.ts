import { cancellationCodes, conditionFailedAt, conditionHeld, failedConditions, isConditionFailed, isTransactionConditionFailed } from '@budgeting/platform';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { as, createBudget, signUp, type Actor } from '../../support/actors';
import { withTransactionsCancelled } from '../../support/cancelled-transactions';
import { expectProblem } from '../../support/problem';
import { createFanOutSystem, itemsOfKind } from '../jobs/support';

/**
 * A TransactWriteItems cancelled WITHOUT a failed condition (throttled, or a conflict that
 * outlasted the store's retries) is not a lost race: nothing was written and nothing was learnt
 * about the data, so it must fail the request or the delivery (503, a redelivery), never be read
 * as "the condition failed". Until 2026-12-06 the chunk completions of an import and of its undo
 * read any cancellation as "counted already" and the delivery succeeded with the chunk uncounted
 * (the import then never finished), and the export's start read it as "the gate moved" (409
 * "another export was started" after its retries). And a real failed condition of a transaction,
 * from DynamoDB Local, is told apart by platform condition-failed.ts.
 */
let s: Awaited<ReturnType<typeof createFanOutSystem>>;
let owner: Actor;

beforeAll(async () => {
  // Chunks of 2 rows: the 5-row file is 3 units of the import and 3 of its undo.
  s = await createFanOutSystem({ concurrency: 1, expenses: { csv: { chunkRows: 2 } } });
  owner = await signUp(s.t.app, 'cancelled-owner');
});
afterAll(() => s.t.destroy());

const FILE = `date,amount,category,description,merchant\n${[0, 1, 2, 3, 4].map((n) => `2026-11-0${n + 1},${n + 1}.25,,row ${n},Shop`).join('\n')}\n`;
const api = () => as(s.t.app, owner);
const expensesOf = async (budgetId: string) => (await itemsOfKind(s.t, 'expense')).filter((e) => e.budgetId === budgetId);
/** ImportJobsRepository.completeChunk's transaction (the chunk marked done, its rows dropped), and the undo's (ImportUndoRepository.completeChunk). */
const IMPORT_CHUNK_COUNTED = '#fingerprints = :fingerprints REMOVE #rows';
const UNDO_CHUNK_COUNTED = 'SET #undone = :true';

async function startImport(budgetId: string) {
  const res = await api()('POST', `/v1/budgets/${budgetId}/expenses/import`, { rawBody: FILE, headers: { 'content-type': 'text/csv' } });
  expect(res.status, res.text).toBe(202);
  return res.json.id as string;
}

describe('a transaction cancelled by throttling is no failed condition', { timeout: 120_000 }, () => {
  it('an import chunk whose completion is throttled: the delivery fails and its retry counts the chunk; the import succeeds with every row', async () => {
    const b = await createBudget(s.t.app, owner);
    const { result: importId, cancelled } = await withTransactionsCancelled(
      s.t.doc,
      IMPORT_CHUNK_COUNTED,
      async () => {
        const id = await startImport(b.id);
        await s.queue.idle();
        return id;
      },
      { times: 1 },
    );
    expect(cancelled).toBe(1);
    const got = await api()('GET', `/v1/budgets/${b.id}/imports/${importId}`);
    expect(got.status, got.text).toBe(200);
    // Before: the throttled chunk was never counted (its delivery read the cancellation as
    // "counted already" and succeeded), so the import stayed running, 2 of its 5 rows uncounted.
    expect(got.json).toMatchObject({ status: 'succeeded', total: 5, processed: 5, imported: 5, duplicates: 0, errorCount: 0 });
    expect(await expensesOf(b.id)).toHaveLength(5);
  });

  it('an undo chunk whose completion is throttled: the delivery fails and its retry counts the chunk; the undo succeeds, every row removed', async () => {
    const b = await createBudget(s.t.app, owner);
    const importId = await startImport(b.id);
    await s.queue.idle();
    expect(await expensesOf(b.id)).toHaveLength(5);
    const { cancelled } = await withTransactionsCancelled(
      s.t.doc,
      UNDO_CHUNK_COUNTED,
      async () => {
        const res = await api()('POST', `/v1/budgets/${b.id}/imports/${importId}/undo`);
        expect(res.status, res.text).toBe(202);
        await s.queue.idle();
      },
      { times: 1 },
    );
    expect(cancelled).toBe(1);
    const got = await api()('GET', `/v1/budgets/${b.id}/imports/${importId}`);
    // Before: the throttled chunk's removals were never counted and the undo stayed running.
    expect(got.json.undo).toMatchObject({ status: 'succeeded', removed: 5, kept: 0, gone: 0, total: 5 });
    expect(await expensesOf(b.id)).toHaveLength(0);
  });

  it('an export start whose transaction stays throttled: 503 with Retry-After (not 409 "another export was started"), nothing admitted', async () => {
    const someone = await signUp(s.t.app, 'cancelled-exporter');
    const { result: res, cancelled } = await withTransactionsCancelled(s.t.doc, 'data-export-gate', () => as(s.t.app, someone)('POST', '/v1/me/export'));
    expect(cancelled).toBeGreaterThan(0);
    expectProblem(res, 503);
    expect(Number(res.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect((await as(s.t.app, someone)('GET', '/v1/me/exports')).json.items).toEqual([]);
    // Once DynamoDB takes writes again, the same request is admitted.
    expect((await as(s.t.app, someone)('POST', '/v1/me/export')).status).toBe(202);
  });
});

describe('a failed condition of a transaction, as DynamoDB Local reports it', () => {
  it('is told by item, is no single write\'s failure, and conditionHeld answers it false', async () => {
    const store = s.t.system.deps.storeFor('expenses');
    const key = (n: string) => ({ pk: store.key('txcancel', n), sk: store.key('txcancel', n) });
    await store.put({ Item: { ...key('taken'), kind: 'txcancel-probe' } });
    const transaction = () =>
      store.transactWrite([
        { Put: { Item: { ...key('fresh'), kind: 'txcancel-probe' }, ConditionExpression: 'attribute_not_exists(pk)' } },
        { Put: { Item: { ...key('taken'), kind: 'txcancel-probe' }, ConditionExpression: 'attribute_not_exists(pk)' } },
      ]);
    const err = await transaction().then(
      () => undefined,
      (e: unknown) => e,
    );
    expect((err as Error).name).toBe('TransactionCanceledException');
    expect(cancellationCodes(err)).toEqual(['None', 'ConditionalCheckFailed']);
    expect(failedConditions(err)).toEqual([1]);
    expect(isTransactionConditionFailed(err)).toBe(true);
    expect(conditionFailedAt(err, 1)).toBe(true);
    expect(conditionFailedAt(err, 0)).toBe(false);
    expect(isConditionFailed(err)).toBe(false);
    expect(await conditionHeld(transaction())).toBe(false);
    // The single write's form, for comparison.
    expect(await conditionHeld(store.put({ Item: { ...key('taken'), kind: 'txcancel-probe' }, ConditionExpression: 'attribute_not_exists(pk)' }))).toBe(false);
    // Nothing of the cancelled transaction was written.
    expect(await store.get({ Key: key('fresh'), ConsistentRead: true })).toBeUndefined();
  });
});
