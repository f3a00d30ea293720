import { createEvent, type EventEnvelope, type ModuleStore } from '@budgeting/platform';
import { expenseMerchantRenameFinished, type JobFailureCode } from '../events';
import { RenamesRepository, type RenameRecord } from './renames.repository';

export { RENAME_RETENTION_SECONDS, RENAME_STATUSES, type RenameRecord, type RenameStatus, type RenameUnitState } from './renames.repository';

/** The event's `failure`: the reason, cut to the contract's 300 characters. */
export const RENAME_FAILURE_EVENT_CHARS = 300;

/**
 * A merchant rename's items (keys.ts: `expenses#rename#<id>` and its units), the shared
 * RenamesRepository with the merchant kind: every move to a final status also writes the
 * rename's expense.merchant_rename_finished (an outbox item) in the same transaction.
 */
export class MerchantRenamesRepository extends RenamesRepository {
  constructor(store: ModuleStore) {
    super(store, {
      recordPrefix: 'rename',
      unitPrefix: 'renameunit',
      kind: 'merchant-rename',
      label: 'merchant rename',
      finished: { definition: expenseMerchantRenameFinished, event: finishedEvent },
    });
  }
}

/** expense.merchant_rename_finished of a rename ending now with `record`'s names and counts. */
function finishedEvent(record: RenameRecord, status: 'succeeded' | 'failed', now: Date, failure?: { reason: string; code: JobFailureCode }): Promise<EventEnvelope> {
  const full = failure?.reason;
  const reason = full && full.length > RENAME_FAILURE_EVENT_CHARS ? `${full.slice(0, RENAME_FAILURE_EVENT_CHARS - 1)}…` : full;
  return createEvent(
    expenseMerchantRenameFinished,
    {
      budgetId: record.budgetId,
      renameId: record.id,
      startedBy: record.userId,
      from: record.from,
      // A merchant rename always has a name to rename to.
      to: record.to ?? '',
      status,
      examined: record.examined,
      renamed: record.renamed,
      ...(reason ? { failure: reason } : {}),
      ...(failure ? { failureCode: failure.code } : {}),
    },
    { now: () => now },
  );
}
