import { withCommandMiddleware } from './command-middleware';
import type { TestSystem } from './test-system';

/** The write commands a create may use: a single PutItem or UpdateItem, or a transaction. */
const WRITES: ReadonlySet<string> = new Set(['PutItemCommand', 'UpdateItemCommand', 'TransactWriteItemsCommand']);
/** Every write command, deletes and batches too (a cascade's or a job's write, not only a create's). */
export const ANY_WRITE: ReadonlySet<string> = new Set([...WRITES, 'DeleteItemCommand', 'BatchWriteItemCommand']);

/**
 * Runs `work` with its first write naming `marker` (a PutItem, UpdateItem or TransactWriteItems:
 * whichever the create uses, before or after a fix makes it a transaction) held until `meanwhile`
 * has run (`writes`: which commands count; ANY_WRITE for deletes and batches too). holdingWrites
 * (holding-writes.ts) holds transactions only. The marker must not be named
 * by `meanwhile`'s own writes, or one of them would be held instead.
 */
export async function holdingFirstWrite<T>(
  t: Pick<TestSystem, 'doc'>,
  marker: string,
  meanwhile: () => Promise<unknown>,
  work: () => Promise<T>,
  writes: ReadonlySet<string> = WRITES,
): Promise<T> {
  let held = false;
  return withCommandMiddleware(
    t.doc,
    'holdFirstWriteNaming',
    (next, context) => async (args) => {
      if (!held && writes.has(context.commandName ?? '') && JSON.stringify(args.input).includes(marker)) {
        held = true;
        await meanwhile();
      }
      return next(args);
    },
    work,
  );
}
