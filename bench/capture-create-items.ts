/**
 * Records the TransactItems of one real POST expense as the HTTP bench sends it (`amount`,
 * `occurredOn`, a fresh `Idempotency-Key`, no category) at the DocumentClient
 * (tests/support/sent-commands.ts), in a warm process (every change counter known, as after
 * the bench's warm-up), and prints them item by item next to bench/lib/same-items.ts's (the
 * same-items floor's): operation, key shape (ids and numbers blanked), attribute names, and
 * request bytes. That is where same-items.ts took its shapes from; rerun it after changing the
 * create transaction. `--json` prints the app's whole recorded commands instead.
 *   npx tsx bench/capture-create-items.ts
 */
import { newId } from '@budgeting/platform';
import { commandsSentDuring } from '../tests/support/sent-commands';
import { seedOwnerAndBudget, startMeteredSystem } from './lib/metered-system';
import { sameItemsTransaction } from './lib/same-items';
import { formatTable } from './lib/table';

type TransactItem = Record<string, Record<string, unknown>>;

/** `pk=expenses#budget#_ sk=expenses#date#_#_`: a key or item's key attributes with ids, dates and numbers blanked. */
function keyShape(item: TransactItem): string {
  const [op] = Object.keys(item);
  const body = item[op!]!;
  const attributes = (body.Item ?? body.Key) as Record<string, unknown>;
  return ['pk', 'sk', 'gsi1pk', 'gsi1sk', 'gsi2pk', 'gsi2sk', 'gsi3pk', 'gsi3sk', 'gsi4pk', 'gsi4sk']
    .filter((k) => attributes[k] !== undefined)
    .map((k) => `${k}=${String(attributes[k]).replace(/[0-9A-Z]{26}|[\w-]{43}|\d+/g, '_')}`)
    .join(' ');
}

function describe(item: TransactItem) {
  const [op] = Object.keys(item);
  const body = { ...item[op!]! };
  delete body.TableName; // the two tables' names differ in length only
  const names = Object.keys((body.Item ?? body.ExpressionAttributeValues ?? {}) as object).sort().join(',');
  return { op: op!, shape: keyShape(item), names, bytes: Buffer.byteLength(JSON.stringify(body)) };
}

const s = await startMeteredSystem();
try {
  const { token, budgetId, userId } = await seedOwnerAndBudget(s);
  const body = { amount: 1234, occurredOn: '2026-11-17' };
  const post = () => s.request('POST', `/v1/budgets/${budgetId}/expenses`, token, body, { 'idempotency-key': newId() });
  for (let i = 0; i < 60; i++) await post();
  const { sent } = await commandsSentDuring(s.doc, post);
  if (process.argv.includes('--json')) {
    console.log(JSON.stringify(sent, null, 2));
  } else {
    const app = (sent.find((c) => c.name === 'TransactWriteItemsCommand')!.input.TransactItems as TransactItem[]).map(describe);
    const floor = sameItemsTransaction(s.tableName, { userId, budgetId }, { ...body, idempotencyKey: newId(), body: JSON.stringify(body) }, 4).items.map(describe);
    console.log(`commands of one warm create: ${sent.map((c) => c.name).join(', ')}\n`);
    const rows = app.map((a, i) => {
      const f = floor[i];
      const same = f && f.op === a.op && f.shape === a.shape && f.names === a.names ? 'same' : 'DIFFERENT';
      return [`${i} ${a.op}`, a.shape, a.bytes, f?.bytes ?? '-', same];
    });
    console.log(formatTable(['item', 'key shape (app)', 'app bytes', 'floor bytes', 'op, key shape, attribute names'], rows));
    if (floor.length !== app.length) console.log(`\nitem count differs: app ${app.length}, floor ${floor.length}`);
  }
} finally {
  await s.stop();
}
