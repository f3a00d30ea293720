import { createLogger } from '@budgeting/platform';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ANY_WRITE, holdingFirstWrite } from '../../support/holding-commands';
import type { Deliver } from '../../../packages/app/src/jobs/job-system';
import type { WorkMessage } from '../../../packages/app/src/jobs/messages';
import { CSV_IMPORT_JOB, IMPORT_UNDO_JOB } from '../../../packages/expenses/src/jobs/names';
import { as, createBudget, signUp, type Actor } from '../../support/actors';
import { createTestSystem, type TestSystem } from '../../support/test-system';

/**
 * An import's undo while one of its chunks is still landing: a chunk unit delivered twice at
 * once (SQS may hand one message to two invocations; import units are sent straight to the
 * queue, not relayed, so no claim keeps the second out). The late delivery read the chunk's
 * rows while they were pending; meanwhile the other delivery recorded them, the import
 * finished, and its undo removed every row (their markers too, so a corrected file can be
 * imported again). The invariant, whatever the order: once the undo has succeeded, none of the
 * import's rows is recorded, and the budget's spending says so.
 *
 * Units are delivered by the test, one call each (the job system's own deliver), so the two
 * deliveries of one unit can overlap. They run in two systems on the same table, as in two
 * Lambda invocations (one process serializes an import's writes per totals shard, which two
 * invocations do not share). The late delivery's first write naming an import marker is held
 * until the other delivery and the whole undo (through the other system) have run. No sleeps.
 */
const held: WorkMessage[] = [];
const ctx = { logger: createLogger('SILENT') };
let t: TestSystem;
let other: TestSystem;
let deliverNow!: Deliver;
let deliverElsewhere!: Deliver;
let owner: Actor;

/** A system whose units are kept in `held`, delivered when the test says, through `onDeliver`'s deliver. */
const holdingUnits = (onDeliver: (deliver: Deliver) => void, tableName?: string) =>
  createTestSystem({
    ...(tableName ? { tableName } : {}),
    jobs: {
      transport: (deliver) => {
        onDeliver(deliver);
        return { send: async (messages: WorkMessage[]) => void held.push(...messages) };
      },
    },
  });

beforeAll(async () => {
  t = await holdingUnits((d) => (deliverNow = d));
  other = await holdingUnits((d) => (deliverElsewhere = d), t.tableName);
  owner = await signUp(t.app, 'import-undo-race');
});
afterAll(async () => {
  await other?.destroy();
  await t?.destroy();
});

const api = () => as(t.app, owner);
const elsewhere = () => as(other.app, owner);
const FILE = 'date,amount,category,description,merchant\n2026-11-02,12.50,,lunch,Cafe\n2026-11-03,4.00,,bus,Transit\n';

/** The held messages of `job` (taken out of `held`). */
function take(job: string): WorkMessage[] {
  const mine = held.filter((m) => m.job === job);
  held.splice(0, held.length, ...held.filter((m) => m.job !== job));
  return mine;
}

/** Every held unit of `job`, and what they queue in turn, delivered through the other system. */
async function deliverAllElsewhere(job: string): Promise<void> {
  for (let messages = take(job); messages.length > 0; messages = take(job)) {
    for (const m of messages) await deliverElsewhere(m, ctx);
  }
}

/** A budget with FILE's import started (202) and its one chunk's unit taken from the queue, not delivered yet. */
async function importStarted() {
  const budget = await createBudget(t.app, owner, { categories: [{ name: 'Food' }] });
  const started = await api()('POST', `/v1/budgets/${budget.id}/expenses/import`, { rawBody: FILE, headers: { 'content-type': 'text/csv' } });
  expect(started.status, started.text).toBe(202);
  const [unit] = take(CSV_IMPORT_JOB);
  expect(unit).toBeDefined();
  return { budget, importId: started.json.id as string, unit };
}

describe("an import's undo while a chunk of it is still landing", { timeout: 120_000 }, () => {
  it('a chunk delivered twice at once, the late delivery writing after the undo: nothing of the import is left', async () => {
    const { budget, importId, unit } = await importStarted();

    let undone: Record<string, unknown> | undefined;
    // The late delivery: its rows read while pending, its write held until the rest has run.
    await holdingFirstWrite(
      t,
      'import-marker',
      async () => {
        await deliverElsewhere(unit!, ctx); // the other delivery of the same unit: records both rows
        await deliverAllElsewhere(CSV_IMPORT_JOB);
        const finished = await elsewhere()('GET', `/v1/budgets/${budget.id}/imports/${importId}`);
        expect(finished.json).toMatchObject({ status: 'succeeded', imported: 2 });
        const undo = await elsewhere()('POST', `/v1/budgets/${budget.id}/imports/${importId}/undo`);
        expect([200, 202], undo.text).toContain(undo.status);
        await deliverAllElsewhere(IMPORT_UNDO_JOB);
        undone = (await elsewhere()('GET', `/v1/budgets/${budget.id}/imports/${importId}`)).json.undo;
      },
      () => deliverNow(unit!, ctx),
      ANY_WRITE,
    );
    await deliverAllElsewhere(CSV_IMPORT_JOB);
    expect(undone).toMatchObject({ status: 'succeeded', removed: 2 });

    const listed = await api()('GET', `/v1/budgets/${budget.id}/expenses?from=2026-11-01&to=2026-11-30`);
    expect(listed.status, listed.text).toBe(200);
    expect(listed.json.items).toEqual([]);
    const summary = await api()('GET', `/v1/budgets/${budget.id}/summary?date=2026-11-15`);
    expect(summary.json.spent).toBe(0);
  });

  it("a chunk delivered twice at once, the late delivery's rows counted by the other and its count refused after the undo started: the undo still counts them", async () => {
    const { budget, importId, unit } = await importStarted();

    // The late delivery records both rows, then its chunk count is held until the other delivery
    // has counted the chunk (by the late one's markers: both rows its own) and the undo started.
    await holdingFirstWrite(
      t,
      'importchunk',
      async () => {
        await deliverElsewhere(unit!, ctx);
        await deliverAllElsewhere(CSV_IMPORT_JOB);
        const finished = await elsewhere()('GET', `/v1/budgets/${budget.id}/imports/${importId}`);
        expect(finished.json).toMatchObject({ status: 'succeeded', imported: 2 });
        const undo = await elsewhere()('POST', `/v1/budgets/${budget.id}/imports/${importId}/undo`);
        expect([200, 202], undo.text).toContain(undo.status);
      },
      () => deliverNow(unit!, ctx),
      ANY_WRITE,
    );
    await deliverAllElsewhere(CSV_IMPORT_JOB);
    await deliverAllElsewhere(IMPORT_UNDO_JOB);
    const undone = (await api()('GET', `/v1/budgets/${budget.id}/imports/${importId}`)).json.undo;
    // Exact: removed + kept + gone = total (the import's `imported`), the two rows counted once.
    expect(undone).toMatchObject({ status: 'succeeded', total: 2, removed: 2, kept: 0, gone: 0 });
    const listed = await api()('GET', `/v1/budgets/${budget.id}/expenses?from=2026-11-01&to=2026-11-30`);
    expect(listed.json.items).toEqual([]);
    const summary = await api()('GET', `/v1/budgets/${budget.id}/summary?date=2026-11-15`);
    expect(summary.json.spent).toBe(0);
  });
});
