import type { FanOutJob, ObjectStorage } from '@budgeting/platform';
import { attachmentObjectKey, budgetObjectPrefix, expenseObjectPrefix } from '../domain/attachments';
import type { AttachmentsRepository } from '../repository/attachments.repository';
import { ATTACHMENTS_RESWEEP } from './names';

/**
 * The second pass of the receipts' deletion cascades. An upload ticket (a presigned S3 POST,
 * valid 15 minutes) issued just before an expense or a budget was deleted can still put a file
 * after the cascade deleted everything under its prefix, and nothing in the table would name
 * that file any more. So each cascade also queues this unit with a `notBefore` past the last
 * instant such an upload can land (RESWEEP_AFTER_MS), and it deletes such files then.
 *
 * A budget's pass deletes everything under the budget's prefix: a deleted budget cannot come
 * back, and its expenses take no attachment (closed).
 *
 * An expense's pass deletes only ORPHANS: files under the expense's prefix that no attachment
 * item of the expense names. The expense may have been restored meanwhile (POST .../restore)
 * and taken new receipts, whose files must stay. A file is named by its attachment item from
 * before its upload can start: AttachmentsService.create writes the item (in its transaction
 * checking the expense) BEFORE it signs the upload ticket, so a file that exists has had its
 * item since before it landed, until that attachment is deleted (then the file is an orphan:
 * DELETE removes it too). Hence the order of each round: list a page of keys, THEN read the
 * items (strongly consistent): every live file of the page is named by what the read finds. A
 * read before the listing could miss a receipt declared and uploaded in between. (An item
 * names its file by its key, attachmentObjectKey: budget, expense and attachment id; the item
 * stores the three, not the key.) The late upload of the deleted expense is named by nothing:
 * its item went with the cascade, and a restore brings no attachment back.
 *
 * Cost: per page of keys (one in practice: an expense holds at most 10 live receipts and
 * whatever late uploads), one ListObjectsV2, one Query of the expense's attachments (only
 * when the page has keys) and one DeleteObjects when there are orphans. Bounded: past
 * ctx.deadline the rest is queued again (`again`, carrying the last key seen, `after`).
 * Idempotent (a second run finds nothing to delete). Queued by the subscribers
 * (subscriptions/index.ts).
 */
export interface ResweepUnit {
  budgetId: string;
  /** Only the expense's orphan files; absent: the whole budget's files. */
  expenseId?: string;
  /** An expense's pass continued by a later invocation: the keys up to this one were swept. */
  after?: string;
}

export interface ResweepDeps {
  storage: ObjectStorage;
  attachments: Pick<AttachmentsRepository, 'ofExpense'>;
}

export function attachmentsResweep(deps: ResweepDeps): FanOutJob<ResweepUnit> {
  /** An expense's orphans, a listed page at a time, from `after`, while the deadline allows. */
  async function sweepExpense(budgetId: string, expenseId: string, from: string | undefined, deadline: number) {
    const prefix = expenseObjectPrefix(budgetId, expenseId);
    let after = from;
    let deleted = 0;
    for (;;) {
      const page = await deps.storage.listKeys(prefix, after);
      if (page.keys.length > 0) {
        // After the listing (see above): whatever of the page is live is named by now.
        const named = new Set((await deps.attachments.ofExpense(budgetId, expenseId)).map(attachmentObjectKey));
        const orphans = page.keys.filter((key) => !named.has(key));
        if (orphans.length > 0) await deps.storage.deleteKeys(orphans);
        deleted += orphans.length;
        after = page.keys.at(-1);
      }
      if (!page.more) return { deleted, finished: true, after };
      if (Date.now() > deadline) return { deleted, finished: false, after };
    }
  }

  return {
    name: ATTACHMENTS_RESWEEP,
    async work(unit, _now, ctx) {
      if (unit.expenseId === undefined) {
        const { deleted, finished } = await deps.storage.deletePrefix(budgetObjectPrefix(unit.budgetId), ctx.deadline);
        // A file found here was uploaded after its cascade ran: worth seeing, not an error.
        if (deleted > 0) ctx.logger.info('late receipts deleted by the re-sweep', { ...unit, files: deleted, finished });
        return { done: deleted, ...(finished ? {} : { again: unit }) };
      }
      const { deleted, finished, after } = await sweepExpense(unit.budgetId, unit.expenseId, unit.after, ctx.deadline);
      if (deleted > 0) ctx.logger.info('late receipts deleted by the re-sweep', { ...unit, files: deleted, finished });
      return { done: deleted, ...(finished ? {} : { again: { budgetId: unit.budgetId, expenseId: unit.expenseId, ...(after === undefined ? {} : { after }) } }) };
    },
    parseUnit(raw) {
      const unit = raw as Partial<ResweepUnit> | null;
      if (!unit || typeof unit.budgetId !== 'string' || unit.budgetId.length === 0) throw new Error('re-sweep unit needs a budgetId');
      if (unit.expenseId !== undefined && (typeof unit.expenseId !== 'string' || unit.expenseId.length === 0)) {
        throw new Error('re-sweep unit: expenseId must be a non-empty string');
      }
      if (unit.after !== undefined && (typeof unit.after !== 'string' || unit.expenseId === undefined)) {
        throw new Error('re-sweep unit: after must be a string, and only with an expenseId');
      }
      return {
        budgetId: unit.budgetId,
        ...(unit.expenseId === undefined ? {} : { expenseId: unit.expenseId }),
        ...(unit.after === undefined ? {} : { after: unit.after }),
      };
    },
  };
}
