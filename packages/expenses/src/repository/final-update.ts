import { WriterRefusedError, type WriterGuard } from './writer-guard';
import { conditionFailedAt, outboxPut, type EventContract, type EventEnvelope, type ModuleStore } from '@budgeting/platform';

/** A job record's move to its final status: conditional, so only the first finisher writes. */
export type FinalUpdate = Parameters<ModuleStore['update']>[0] & { UpdateExpression: string; ConditionExpression: string };

/**
 * The record's final `update` and its finished event (an outbox item) in ONE transaction, so the
 * event exists exactly when the status became final: the import's end (expense.import_finished)
 * and its undo's (expense.import_undo_finished). False (nothing written) when the update's
 * condition failed: another finisher came first.
 */
export async function endWithEvent(store: ModuleStore, update: FinalUpdate, contract: EventContract, event: EventEnvelope, guard?: WriterGuard): Promise<boolean> {
  try {
    await store.transactWrite([{ Update: update }, outboxPut(store, contract, event), ...(guard ? [guard] : [])]);
    return true;
  } catch (err) {
    if (guard && conditionFailedAt(err, 2)) throw new WriterRefusedError();
    if (conditionFailedAt(err, 0)) return false;
    throw err;
  }
}
