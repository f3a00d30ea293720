import type { FanOutJob, ObjectStorage } from '@budgeting/platform';
import { budgetObjectPrefix, expenseObjectPrefix } from '../domain/attachments';
import { ATTACHMENTS_RESWEEP } from './names';

/**
 * The second pass of the receipts' deletion cascades. An upload ticket (a presigned S3 POST,
 * valid 15 minutes) issued just before an expense or a budget was deleted can still put a file
 * after the cascade deleted everything under its prefix, and nothing in the table would name
 * that file any more. So each cascade also queues this unit with a `notBefore` past the last
 * instant such an upload can land (RESWEEP_AFTER_MS): it deletes whatever is under the same
 * prefix then. Nothing can be added after it: a deleted expense takes no new attachment (the
 * declare's transaction checks the expense), a deleted budget's expenses are closed.
 *
 * Files only: no attachment item can exist for them (the cascade removed the items, and a new
 * one needs the expense). Idempotent (a second run finds nothing); a large prefix pages on
 * across invocations like the budget cleanup. Queued by the subscribers (subscriptions/index.ts).
 */
export interface ResweepUnit {
  budgetId: string;
  /** Only the expense's files; absent: the whole budget's. */
  expenseId?: string;
}

export function attachmentsResweep(deps: { storage: ObjectStorage }): FanOutJob<ResweepUnit> {
  return {
    name: ATTACHMENTS_RESWEEP,
    async work(unit, _now, ctx) {
      const prefix = unit.expenseId === undefined ? budgetObjectPrefix(unit.budgetId) : expenseObjectPrefix(unit.budgetId, unit.expenseId);
      const { deleted, finished } = await deps.storage.deletePrefix(prefix, ctx.deadline);
      // A file found here was uploaded after its cascade ran: worth seeing, not an error.
      if (deleted > 0) ctx.logger.info('late receipts deleted by the re-sweep', { ...unit, files: deleted, finished });
      return { done: deleted, ...(finished ? {} : { again: unit }) };
    },
    parseUnit(raw) {
      const unit = raw as Partial<ResweepUnit> | null;
      if (!unit || typeof unit.budgetId !== 'string' || unit.budgetId.length === 0) throw new Error('re-sweep unit needs a budgetId');
      if (unit.expenseId !== undefined && (typeof unit.expenseId !== 'string' || unit.expenseId.length === 0)) {
        throw new Error('re-sweep unit: expenseId must be a non-empty string');
      }
      return { budgetId: unit.budgetId, ...(unit.expenseId === undefined ? {} : { expenseId: unit.expenseId }) };
    },
  };
}
