import { keyInUse, newId, problems, type Clock, type KeyCompletion, type ObjectStorage, type WorkQueue } from '@budgeting/platform';
import type { BudgetsFacade } from '@budgeting/budgets';
import {
  attachmentObjectKey,
  DOWNLOAD_TTL_SECONDS,
  downloadFileName,
  UPLOAD_TTL_SECONDS,
  uploadMayStillLand,
} from '../domain/attachments';
import { queueResweep } from '../jobs/queue-resweep';
import type { Attachment } from '../model';
import { AttachmentChangedError, type AttachmentsRepository } from '../repository/attachments.repository';
import type { ExpensesRepository } from '../repository/expenses.repository';
import type { CreateAttachmentInput } from '../schemas/attachments.schemas';
import { authorize } from './access';
import { guardedWrite } from './guarded-write';

export interface AttachmentsServiceDeps {
  repository: AttachmentsRepository;
  expenses: Pick<ExpensesRepository, 'get'>;
  budgets: BudgetsFacade;
  storage: ObjectStorage;
  clock: Clock;
  /** Where a deleted receipt's second pass is queued (queueResweep). */
  work: WorkQueue;
}

/** What the routes answer: the metadata, the upload ticket on create, a download URL once uploaded. */
export type ShownAttachment = Attachment & {
  upload?: Awaited<ReturnType<ObjectStorage['presignUpload']>>;
  download?: { url: string; expiresAt: string };
};

/**
 * Receipts on expenses. The client uploads and downloads the bytes itself with signed URLs
 * (storage port: S3 presigned POST/GET, or the local stand-in), so the function only writes
 * metadata and signs. Added and deleted by whoever may edit the expense (owners, editors),
 * listed and downloaded by every member; a stranger gets 404 as everywhere.
 *
 * pending -> uploaded: when an attachment is read (GET, list) while pending, one HeadObject
 * looks for its object; found with the declared size and type, the item is marked uploaded
 * (a conditional update, so concurrent readers agree). Past its ticket (plus a grace) with no
 * object, it is abandoned: removed, and its place in the cap given back. No S3 event is needed.
 */
export class AttachmentsService {
  constructor(private readonly deps: AttachmentsServiceDeps) {}

  /**
   * Declares an attachment and answers its upload ticket. `reservedId`: the Idempotency-Key's
   * reserved id. `completeKey`: a keyed declaration's answer, ticket included, is committed with
   * the item, so a retry after a crash between the commit and the answer replays it (the same
   * attachment and ticket) instead of declaring a second attachment. The ticket is therefore
   * signed before the write: signing is local (no request), and the URL reaches nobody before the
   * item exists (it leaves in the answer or the key's record, both after the commit), so no file
   * can be uploaded that no attachment item names (an orphan, jobs/attachments-resweep.ts).
   */
  async create(
    budgetId: string,
    userId: string,
    expenseId: string,
    input: CreateAttachmentInput,
    reservedId?: string,
    completeKey?: KeyCompletion<ShownAttachment>,
  ): Promise<ShownAttachment> {
    await authorize(this.deps.budgets, budgetId, userId, 'write');
    const now = this.deps.clock.now();
    const attachment: Attachment = {
      id: reservedId ?? newId(now.getTime()),
      budgetId,
      expenseId,
      status: 'pending',
      contentType: input.contentType,
      size: input.size,
      ...(input.fileName === undefined ? {} : { fileName: input.fileName }),
      createdBy: userId,
      createdAt: now.toISOString(),
      uploadExpiresAt: new Date(now.getTime() + UPLOAD_TTL_SECONDS * 1000).toISOString(),
    };
    const shown: ShownAttachment = { ...attachment, upload: await this.ticket(attachment) };
    const also = completeKey ? [completeKey.item(shown)] : [];
    // The guard (guarded-write.ts): an archive committed since the access read fails the write (409).
    const create = () => guardedWrite(this.deps.budgets, budgetId, userId, 'write', (guard) => this.deps.repository.create(attachment, guard, also));
    let outcome = await create();
    // Full: abandoned uploads may hold places; seeing them removes them. Then once more.
    if (outcome === 'full' && (await this.settleAll(budgetId, expenseId)).reclaimed > 0) outcome = await create();
    if (outcome === 'key-taken') throw keyInUse();
    if (outcome === 'budget-closed') throw problems.notFound('Budget not found.');
    // Checked in the create's own transaction (no read before it: see AttachmentsRepository.create).
    if (outcome === 'no-expense') throw problems.notFound('Expense not found.');
    if (outcome === 'full') {
      const max = this.deps.repository.maxPerExpense;
      throw problems.limitReached('attachments', max, `An expense can have at most ${max} attachments; delete one first.`);
    }
    if (outcome === 'exists') {
      if (!reservedId) throw new Error('attachment id collision');
      // The reserved id taken by another attempt of this key (a lease taken over): the middleware
      // answers the key's answer when that attempt completed it; else that attempt's attachment,
      // with a ticket of its own while it is still pending.
      const existing = await this.deps.repository.get(budgetId, expenseId, attachment.id);
      if (!existing || existing.createdBy !== userId) throw problems.conflict('This Idempotency-Key already created a resource that is no longer available.');
      return existing.status === 'pending' ? { ...existing, upload: await this.ticket(existing) } : existing;
    }
    completeKey?.committed();
    return shown;
  }

  /** The upload ticket of a pending attachment, valid UPLOAD_TTL_SECONDS. */
  private ticket(a: Attachment) {
    return this.deps.storage.presignUpload({
      key: attachmentObjectKey(a),
      contentType: a.contentType,
      size: a.size,
      expiresInSeconds: UPLOAD_TTL_SECONDS,
    });
  }

  async list(budgetId: string, userId: string, expenseId: string): Promise<ShownAttachment[]> {
    await authorize(this.deps.budgets, budgetId, userId, 'read');
    await this.mustHaveExpense(budgetId, expenseId);
    const { live } = await this.settleAll(budgetId, expenseId);
    return Promise.all(live.map((a) => this.withDownload(a)));
  }

  /**
   * One attachment, of a live expense only (as the list): a deleted expense's receipts stay
   * stored until its expense.deleted cascade runs (seconds, or longer when its delivery is
   * retried), and were read and freshly signed for download meanwhile. The expense's read goes
   * with the attachment's (two keyed reads at once), so the answer waits no longer.
   */
  async get(budgetId: string, userId: string, expenseId: string, id: string): Promise<ShownAttachment> {
    await authorize(this.deps.budgets, budgetId, userId, 'read');
    const [found] = await Promise.all([this.deps.repository.get(budgetId, expenseId, id), this.mustHaveExpense(budgetId, expenseId)]);
    const settled = found && (await this.settle(found));
    if (!settled) throw problems.notFound('Attachment not found.');
    return this.withDownload(settled);
  }

  /**
   * Deletes the object, then the item (giving its place back). In this order a process dying in
   * between leaves an item whose object is gone: the DELETE's retry finds it and finishes (an
   * absent key is no error to DeleteObjects), and the expense's deletion deletes it by key. The
   * other order left an object no item named, which a retry (404) could not reach and which
   * stayed until the expense's second pass (jobs/attachments-resweep.ts), for the expense's life.
   * The price: an archive (or a change of access) committing between the access check and the
   * item's write refuses the item after its file went (409): the receipt is listed without its
   * file until a DELETE once writing is allowed again, or its expense's or budget's deletion.
   *
   * While the attachment's upload ticket may still be used (uploadMayStillLand: within its 15
   * minutes and the grace), it could put a file after both steps, named by no item, kept for the
   * expense's life. So the expense's second pass (the orphans of its prefix,
   * jobs/attachments-resweep.ts) is queued first, held until no such upload can land: before
   * anything is deleted, so a failure after it retries the DELETE, which queues it again
   * (harmless), whereas a retry after the item went answers 404 and would queue nothing. A
   * receipt deleted later (most) costs what it did.
   */
  async remove(budgetId: string, userId: string, expenseId: string, id: string): Promise<void> {
    await authorize(this.deps.budgets, budgetId, userId, 'write');
    await guardedWrite(this.deps.budgets, budgetId, userId, 'write', async (guard) => {
      let resweepQueued = false;
      for (let attempt = 0; attempt < 3; attempt++) {
        const found = await this.deps.repository.get(budgetId, expenseId, id);
        if (!found) throw problems.notFound('Attachment not found.');
        const now = this.deps.clock.now();
        if (!resweepQueued && uploadMayStillLand(found, now)) {
          await queueResweep(this.deps.work, now, { budgetId, expenseId });
          resweepQueued = true;
        }
        try {
          await this.deps.storage.deleteKeys([attachmentObjectKey(found)]);
          await this.deps.repository.remove(found, guard);
          return;
        } catch (err) {
          if (!(err instanceof AttachmentChangedError)) throw err; // confirmed meanwhile: read again
        }
      }
      throw problems.conflict('The attachment is being changed by others right now; retry.');
    }, "The budget was archived or your access changed while this attachment was deleted; its file may be gone already, retry to delete the attachment.");
  }

  /**
   * expense.deleted: its attachments' items and their files. One Query when the expense never
   * had an attachment (most): nothing else. Otherwise the files of its attachments by key (one
   * DeleteObjects: at most 10), then their items, each taken off the count, with the count item
   * itself when none is left (AttachmentsRepository.purge), so a failure in between is retried
   * whole. Idempotent.
   *
   * `deletedAt` is the deletion's instant (the event's `occurredAt`). A deleted expense can be
   * restored (POST .../restore) and take new receipts before this cascade is delivered (a retry
   * can be minutes late), even while it runs; those were made after the deletion and belong to
   * the restored expense, so only the attachments made up to the deletion go, files by key, never
   * by prefix (a new receipt's file is under the same prefix), and the count keeps the new ones.
   * A file no item names (a late upload through a ticket issued before the deletion) is the
   * second pass's (below), which deletes exactly those. (A DELETE that crashed between its two
   * steps leaves none: it deletes the file first, so what it leaves is an item, deleted here by key.)
   *
   * An expense that had attachments may still have a live upload ticket (declared in the 15
   * minutes before the deletion), so `resweepLater` queues the second pass over its prefix
   * (jobs/attachments-resweep.ts: it deletes only files no attachment item names). It is queued
   * before anything is deleted: a failure after it retries the event, which queues it again
   * (harmless), whereas a retry after the items were gone would find nothing and queue nothing.
   * An expense that never had one has no ticket: no second pass, and its deletion costs what it
   * did (one Query).
   */
  async purgeExpense(budgetId: string, expenseId: string, deletedAt: string, resweepLater: () => Promise<void>): Promise<number> {
    if (!(await this.deps.repository.any(budgetId, expenseId))) return 0;
    await resweepLater();
    return this.deps.repository.purge(budgetId, expenseId, deletedAt, (gone) => this.deps.storage.deleteKeys(gone.map(attachmentObjectKey)));
  }

  /**
   * The data export's page of the budget's receipts (the caller checked the user's access): the
   * attachments as the list shows them, without their URLs (a download URL lives 5 minutes; the
   * export is kept 7 days), only those uploaded. A pending one is looked up in storage first, as
   * a read of the list does (settle): a receipt uploaded but never read since is still pending in
   * the table, and is as much the user's as a confirmed one.
   */
  async exportPage(budgetId: string, limit: number, startKey?: Record<string, unknown>): Promise<{ records: Attachment[]; lastKey?: Record<string, unknown> }> {
    const page = await this.deps.repository.pageOfBudget(budgetId, limit, startKey);
    const settled = await Promise.all(page.items.map((a) => this.settle(a)));
    return { records: settled.filter((a): a is Attachment => a?.status === 'uploaded'), ...(page.lastKey ? { lastKey: page.lastKey } : {}) };
  }

  private async settleAll(budgetId: string, expenseId: string): Promise<{ live: Attachment[]; reclaimed: number }> {
    const all = await this.deps.repository.ofExpense(budgetId, expenseId);
    const settled = await Promise.all(all.map((a) => this.settle(a)));
    const live = settled.filter((a): a is Attachment => a !== undefined);
    return { live, reclaimed: all.length - live.length };
  }

  /** A pending attachment looked up in storage: uploaded, still pending, or abandoned (removed: undefined). */
  private async settle(a: Attachment): Promise<Attachment | undefined> {
    if (a.status === 'uploaded') return a;
    const object = await this.deps.storage.head(attachmentObjectKey(a));
    const now = this.deps.clock.now();
    if (object && object.size === a.size && object.contentType === a.contentType) {
      const uploadedAt = now.toISOString();
      if (await this.deps.repository.markUploaded(a, uploadedAt)) return { ...a, status: 'uploaded', uploadedAt };
      return this.deps.repository.get(a.budgetId, a.expenseId, a.id); // another reader confirmed it (or it was deleted)
    }
    if (uploadMayStillLand(a, now)) return a;
    try {
      // Not what was declared: the object first, as in remove() (no upload can land any more: the ticket expired).
      if (object) await this.deps.storage.deleteKeys([attachmentObjectKey(a)]);
      await this.deps.repository.remove(a);
    } catch (err) {
      if (!(err instanceof AttachmentChangedError)) throw err;
    }
    return undefined;
  }

  private async withDownload(a: Attachment): Promise<ShownAttachment> {
    if (a.status !== 'uploaded') return a;
    const download = await this.deps.storage.presignDownload({ key: attachmentObjectKey(a), expiresInSeconds: DOWNLOAD_TTL_SECONDS, ...(a.fileName === undefined ? {} : { fileName: downloadFileName(a.fileName, a.contentType) }) });
    return { ...a, download };
  }

  private async mustHaveExpense(budgetId: string, expenseId: string): Promise<void> {
    if (!(await this.deps.expenses.get(budgetId, expenseId))) throw problems.notFound('Expense not found.');
  }
}
