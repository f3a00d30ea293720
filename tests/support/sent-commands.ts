import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { AsyncLocalStorage } from 'node:async_hooks';
import { withCommandMiddleware } from './command-middleware';

/** One DynamoDB command as the client sent it, e.g. `TransactWriteItemsCommand` and its input. */
export interface SentCommand {
  name: string;
  /** lib-dynamodb's input (before marshalling), e.g. `{ TransactItems: [...] }`. */
  input: Record<string, unknown>;
}

/** Which recording (if any) the running code belongs to. */
const recording = new AsyncLocalStorage<SentCommand[]>();

/**
 * Runs `work` and records every command `doc` sends on its behalf (a middleware at the
 * initialize step, removed again afterwards), so a test can count a request's round trips and
 * read what they asked for. Only commands sent from `work`'s own async context count: the test
 * system's background work (the event runtime relaying earlier writes) may use the same client
 * at the same moment, and counting its commands made the counts flaky.
 */
export async function commandsSentDuring<T>(
  doc: DynamoDBDocumentClient,
  work: () => Promise<T>,
): Promise<{ result: T; commands: string[]; sent: SentCommand[] }> {
  const sent: SentCommand[] = [];
  const result = await withCommandMiddleware(
    doc,
    'recordSentCommands',
    (next, context) => async (args) => {
      if (recording.getStore() === sent) sent.push({ name: String(context.commandName), input: args.input as Record<string, unknown> });
      return next(args);
    },
    () => recording.run(sent, work),
  );
  return { result, commands: sent.map((c) => c.name), sent };
}

/** Commands that read (their capacity is read units). */
const READS = /^(GetItem|BatchGetItem|Query|Scan|TransactGetItems)Command$/;

/**
 * commandsSentDuring, with the read capacity DynamoDB reports for them: every read `work`
 * sends asks `ReturnConsumedCapacity: TOTAL` (a middleware, removed afterwards), and the units
 * are summed (DynamoDB Local reports them as DynamoDB does: item bytes / 4 KB, rounded up per
 * item for key reads and per request for a Query, halved when eventually consistent), and the
 * most reads that were waiting for an answer at the same moment is kept.
 */
export async function readCostDuring<T>(
  doc: DynamoDBDocumentClient,
  work: () => Promise<T>,
): Promise<{ result: T; commands: string[]; sent: SentCommand[]; readUnits: number; reads: { name: string; units: number }[]; maxReadsInFlight: number }> {
  const metered = new AsyncLocalStorage<{ units: number }>();
  const meter = { units: 0, inFlight: 0, maxInFlight: 0 };
  const reads: { name: string; units: number }[] = [];
  const recorded = await withCommandMiddleware(
    doc,
    'meterReadCapacity',
    (next, context) => async (args) => {
      const command = String(context.commandName);
      if (metered.getStore() !== meter || !READS.test(command)) return next(args);
      (args.input as Record<string, unknown>).ReturnConsumedCapacity = 'TOTAL';
      meter.maxInFlight = Math.max(meter.maxInFlight, ++meter.inFlight);
      const out = await next(args).finally(() => meter.inFlight--);
      const consumed = (out.output as { ConsumedCapacity?: { CapacityUnits?: number } | { CapacityUnits?: number }[] }).ConsumedCapacity;
      let units = 0;
      for (const c of Array.isArray(consumed) ? consumed : consumed ? [consumed] : []) units += c.CapacityUnits ?? 0;
      meter.units += units;
      reads.push({ name: command.replace(/Command$/, ''), units });
      return out;
    },
    () => metered.run(meter, () => commandsSentDuring(doc, work)),
  );
  return { ...recorded, readUnits: meter.units, reads, maxReadsInFlight: meter.maxInFlight };
}

/**
 * Whether a request read an expenses change counter: a write reads its change shard's counter
 * (in the request's first BatchGetItem, which then also carries the account check instead of
 * the write's transaction) when this process has not written that shard of the budget yet, and
 * the shard is the new expense id's hash. Two creates compared request for request must have
 * found their counters alike (see inOneCounterState).
 */
export const readsChangeCounter = (sent: SentCommand[]): boolean => sent.some((c) => c.name !== 'TransactWriteItemsCommand' && JSON.stringify(c.input).includes('expenses#seq#'));

/**
 * Runs `first` then `second` (each one create, measured) again until both found their change
 * counter in the same state (`counterRead`: see readsChangeCounter), at most 20 times, and
 * returns that pair: how a create's requests compare, not which shard its random id hit.
 */
export async function inOneCounterState<T extends { counterRead: boolean }>(first: () => Promise<T>, second: () => Promise<T>): Promise<[T, T]> {
  for (let attempt = 1; ; attempt++) {
    const a = await first();
    const b = await second();
    if (a.counterRead === b.counterRead || attempt === 20) return [a, b];
  }
}

/** Commands that write (a PATCH that changes nothing sends none of them). */
const WRITES = /^(PutItem|UpdateItem|DeleteItem|BatchWriteItem|TransactWriteItems|Put|Update|Delete|BatchWrite|TransactWrite)Command$/;

/** The writing commands among `commands` (names as commandsSentDuring gives them). */
export function writesAmong(commands: readonly string[]): string[] {
  return commands.filter((c) => WRITES.test(c));
}

/**
 * The items of the one TransactWriteItems among `sent`, leaving out the caller's account check (a
 * ConditionCheck on the profile): it rides along in the transaction when its read is still pending
 * as the write is sent (platform deferGuard), else it went as a read; which one depends on timing,
 * not on the write being measured (a fresh-clone CI once counted it).
 */
export function writeItemsOf(sent: readonly SentCommand[]): unknown[] {
  const writes = sent.filter((c) => c.input.TransactItems !== undefined);
  if (writes.length !== 1) throw new Error(`expected one TransactWriteItems, got ${writes.length}`);
  return withoutAccountCheck(writes[0]!);
}

/** A transaction's items without the caller's account check (see writeItemsOf). */
function withoutAccountCheck(write: SentCommand): unknown[] {
  const items = write.input.TransactItems as { ConditionCheck?: { Key: { sk: string } } }[];
  return items.filter((item) => item.ConditionCheck?.Key.sk !== 'users#profile');
}

/**
 * The number of items of each TransactWriteItems `work` sent (the caller's account check left
 * out, as writeItemsOf), and its result: a write's item count that no timing changes.
 */
export async function transactionSizesDuring<T>(doc: DynamoDBDocumentClient, work: () => Promise<T>): Promise<{ result: T; sizes: number[] }> {
  const { result, sent } = await commandsSentDuring(doc, work);
  return { result, sizes: transactionSizesOf(sent) };
}

/** The number of items of each TransactWriteItems among `sent`, the caller's account check left out (see writeItemsOf). */
export function transactionSizesOf(sent: readonly SentCommand[]): number[] {
  return sent.filter((c) => c.input.TransactItems !== undefined).map((c) => withoutAccountCheck(c).length);
}
