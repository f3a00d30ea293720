/**
 * The second floor of the HTTP throughput bench: serve-raw.ts's bare node:http server and
 * DocumentClient (no auth, no validation, no framework), but its POST writes the app's whole
 * create transaction, item for item (bench/lib/same-items.ts: expense, day and month totals,
 * change counter with its recent slot, change entry with its outbox attributes, Idempotency-Key
 * record, membership and account checks). The app over this floor is what the app's own code
 * costs; this floor over serve-raw's is what DynamoDB Local's work on the extra items costs.
 * Like the app, it takes a change shard's next number from the counter it keeps in memory and
 * runs one write per shard at a time. Seeds the owner's profile and membership, then prints
 * `{"port"}` when listening.
 *   TABLE_NAME=... DYNAMODB_ENDPOINT=... PORT=... tsx bench/lib/serve-same-items.ts
 */
import { PutCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { createDynamoClients, newId } from '@budgeting/platform';
import { serveFloor } from './floor-server';
import { changeShard, ownerItems, sameItemsTransaction } from './same-items';

const { doc } = createDynamoClients({ region: 'us-east-1', endpoint: process.env.DYNAMODB_ENDPOINT });
const TableName = process.env.TABLE_NAME!;
const port = Number(process.env.PORT);
const owner = { userId: newId(), budgetId: newId() };
for (const Item of ownerItems(owner)) await doc.send(new PutCommand({ TableName, Item }));

/** Per change shard: its counter's value and the tail of its queue of writes. */
const counters = new Map<number, number>();
const queues = new Map<number, Promise<unknown>>();

function oneAtATime<T>(shard: number, write: () => Promise<T>): Promise<T> {
  const run = (queues.get(shard) ?? Promise.resolve()).then(write);
  queues.set(shard, run.catch(() => undefined));
  return run;
}

/**
 * Sends a transaction again when DynamoDB cancelled it only for a conflict with a concurrent
 * one (two writes of one totals shard), as the app's store does, so both sides pay the same.
 */
async function sendRetryingConflicts(command: TransactWriteCommand) {
  for (let attempt = 1; ; attempt++) {
    try {
      return await doc.send(command);
    } catch (err) {
      const codes = ((err as { CancellationReasons?: { Code?: string }[] }).CancellationReasons ?? []).map((r) => r.Code);
      if (attempt >= 8 || !codes.includes('TransactionConflict') || !codes.every((c) => c === 'None' || c === 'TransactionConflict')) throw err;
      await new Promise((resolve) => setTimeout(resolve, Math.random() * 10 * 2 ** attempt));
    }
  }
}

serveFloor(port, async (input, headers, body) => {
  const idempotencyKey = String(headers['idempotency-key']);
  // The id picks the change shard: drawn first, the items are built in that shard's turn.
  const now = new Date();
  const id = newId(now.getTime());
  const created = await oneAtATime(changeShard(id), async () => {
    const current = counters.get(changeShard(id)) ?? 0;
    const tx = sameItemsTransaction(TableName, owner, { ...input, idempotencyKey, body }, current, now, id);
    await sendRetryingConflicts(new TransactWriteCommand({ TransactItems: tx.items as never }));
    counters.set(changeShard(id), current + 1);
    return tx;
  });
  return { status: 201, headers: { 'content-type': 'application/json', etag: '"1"', location: created.location }, body: created.answer };
});
