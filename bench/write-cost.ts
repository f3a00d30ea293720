/**
 * What one expense write costs (issue 11): for create (with an Idempotency-Key, as clients
 * send it), update (If-Match) and delete, the DynamoDB requests made while the HTTP request is
 * answered, the requests made afterwards because of it (stream relay, event subscribers), the
 * items written in total, and the table's stream records it caused. The floor is one
 * TransactWriteItems (the expense and its running total).
 *
 * Standalone: `npx tsx bench/write-cost.ts`.
 */
import { pathToFileURL } from 'node:url';
import { newId } from '@budgeting/platform';
import { seedOwnerAndBudget, startMeteredSystem, tally } from './lib/metered-system';
import { formatTable } from './lib/table';
import { target, type BenchSuite, type SuiteReport } from './suite';

export type WriteOp = 'createExpense' | 'updateExpense' | 'deleteExpense';

export interface WriteCost {
  op: WriteOp;
  requestsInRequest: number;
  requestsAfter: number;
  itemsWritten: number;
  streamRecords: number;
  /** Of those, the records the relay is handed (its stream mapping's event filter drops the rest). */
  recordsToRelay: number;
  /** One repetition's requests by command, in the request and after it. */
  commandsIn: string;
  commandsAfter: string;
}

const REPEAT = 6;

export async function writeCostBench(): Promise<WriteCost[]> {
  const s = await startMeteredSystem();
  try {
    const { token, budgetId, categories } = await seedOwnerAndBudget(s);
    const path = `/v1/budgets/${budgetId}/expenses`;
    // Warm-up (not measured): the first write of each change shard reads its counter, the
    // first event builds the subscribers' state; a long-lived container has both. Expense ids
    // pick one of 16 change shards at random: after 40 writes a shard is still cold with
    // probability (15/16)^40 = 7.6% (about one of the 16 in a run, which showed up as 1.17
    // requests in the request); after 200, 2.5e-6.
    for (let i = 0; i < 200; i++) await s.request('POST', path, token, { amount: 100 + i, occurredOn: '2026-11-02' });
    await s.drainEvents();

    const created: string[] = [];
    const ops: Record<WriteOp, (i: number) => Promise<unknown>> = {
      createExpense: async (i) => {
        const res = await s.request(
          'POST',
          path,
          token,
          { amount: 1_000 + i, occurredOn: '2026-11-03', categoryId: categories[0]!.id, merchant: 'Corner Market' },
          // A ULID, as the app sends it: it names the expense (platform idFromKey).
          { 'idempotency-key': newId() },
        );
        created.push(String(res.json!.id));
      },
      updateExpense: (i) =>
        s.request('PATCH', `${path}/${created[i]}`, token, { amount: 2_000 + i, categoryId: categories[1]!.id }, { 'if-match': '"1"' }),
      deleteExpense: (i) => s.request('DELETE', `${path}/${created[i]}`, token, undefined, { 'if-match': '"2"' }),
    };

    const rows: WriteCost[] = [];
    for (const op of Object.keys(ops) as WriteOp[]) {
      const sums = { in: 0, after: 0, items: 0, records: 0, relayed: 0 };
      let commandsIn = '';
      let commandsAfter = '';
      for (let i = 0; i < REPEAT; i++) {
        s.meter.reset();
        await ops[op](i);
        const inRequest = [...s.meter.commands];
        const itemsIn = s.meter.itemsWritten;
        s.meter.reset();
        const relayedBefore = s.recordsHandedToRelay();
        const records = await s.drainEvents();
        sums.relayed += s.recordsHandedToRelay() - relayedBefore;
        sums.in += inRequest.length;
        sums.after += s.meter.commands.length;
        sums.items += itemsIn + s.meter.itemsWritten;
        sums.records += records;
        if (i === 0) {
          commandsIn = tally(inRequest);
          commandsAfter = tally(s.meter.commands);
        }
      }
      rows.push({
        op,
        requestsInRequest: sums.in / REPEAT,
        requestsAfter: sums.after / REPEAT,
        itemsWritten: sums.items / REPEAT,
        streamRecords: sums.records / REPEAT,
        recordsToRelay: sums.relayed / REPEAT,
        commandsIn,
        commandsAfter,
      });
    }
    return rows;
  } finally {
    await s.stop();
  }
}

export function formatWriteCost(rows: WriteCost[]): string {
  return formatTable(
    ['write', 'requests in request', 'requests after', 'items written', 'stream records', 'to the relay', 'in request', 'after'],
    rows.map((r) => [r.op, r.requestsInRequest, r.requestsAfter, r.itemsWritten, r.streamRecords, r.recordsToRelay, r.commandsIn, r.commandsAfter || '-']),
  );
}

export const writeCostSuite: BenchSuite = {
  name: 'write-cost',
  async run(): Promise<SuiteReport> {
    const rows = await writeCostBench();
    const create = rows.find((r) => r.op === 'createExpense')!;
    const figures: Record<string, number> = {};
    for (const r of rows) {
      figures[`write.${r.op}.requestsInRequest`] = r.requestsInRequest;
      figures[`write.${r.op}.requestsAfter`] = r.requestsAfter;
      figures[`write.${r.op}.itemsWritten`] = r.itemsWritten;
      figures[`write.${r.op}.streamRecords`] = r.streamRecords;
      figures[`write.${r.op}.recordsToRelay`] = r.recordsToRelay;
    }
    return {
      title: 'What one expense write costs: DynamoDB requests in the request and after it (relay, subscribers), items, stream records',
      table: formatWriteCost(rows),
      targets: [
        target('write.createExpense.requestsInRequest', create.requestsInRequest, 2),
        target('write.createExpense.requestsAfter', create.requestsAfter, 2),
        target('write.createExpense.itemsWritten', create.itemsWritten, 4),
      ],
      notes: [
        `Averages over ${REPEAT} writes after 200 unmeasured creates (a warm container). "after": the stream relay and the ` +
          'event subscribers, run in-process by the local event runtime (the same code as the Lambda triggers); ' +
          'create carries an Idempotency-Key, update and delete an If-Match.',
      ],
      data: rows,
      figures,
    };
  },
};

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  console.log(formatWriteCost(await writeCostBench()));
}
