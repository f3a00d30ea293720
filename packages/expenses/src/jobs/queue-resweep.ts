import type { WorkQueue } from '@budgeting/platform';
import { RESWEEP_AFTER_MS } from '../domain/attachments';
import type { ResweepUnit } from './attachments-resweep';
import { ATTACHMENTS_RESWEEP } from './names';

/**
 * Queues the receipts' second pass over `unit`'s prefix (jobs/attachments-resweep.ts), held
 * until no upload ticket issued before `now` can still put a file (RESWEEP_AFTER_MS). Queued by
 * the deletion cascades (subscriptions/index.ts) and by a receipt's DELETE while its ticket may
 * still be used (AttachmentsService.remove). Its own file, so that neither loads the job's code.
 */
export function queueResweep(work: WorkQueue, now: Date, unit: ResweepUnit): Promise<void> {
  return work.enqueue(ATTACHMENTS_RESWEEP, [unit], now, { notBefore: new Date(now.getTime() + RESWEEP_AFTER_MS) });
}
