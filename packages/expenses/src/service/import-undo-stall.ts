import type { Clock } from '@budgeting/platform';
import { isStalled, stallMinutes } from '@budgeting/platform/job-watchdog';
import type { ImportJobsRepository, ImportRecord } from '../repository/import-jobs.repository';
import type { ImportUndoRepository } from '../repository/import-undo.repository';

/**
 * An import's undo read as GET shows it: still `queued` or `running` but not moved for the
 * import's own stall window (platform jobs/job-watchdog.ts `isStalled`, WORK_UNIT_STALLED_AFTER_MS)
 * is failed `stalled` here, conditionally (only while not moved since this read: of two readers
 * one writes), then read back. By then every unit of it has moved it or failed its last attempt
 * (which fails the undo itself), unless that attempt was killed or the unit lost: the case this
 * catches. Shared by the import's read path (CsvImportService: GET, its watchdog) and the undo's
 * (ImportUndoService: Prefer: wait, the undo's watchdog), so both read the same undo.
 */
export class ImportUndoStall {
  constructor(
    private readonly deps: { undo: Pick<ImportUndoRepository, 'failStalled'>; jobs: Pick<ImportJobsRepository, 'get'>; clock: Clock },
    private readonly stalledAfterMs: number,
  ) {}

  /** The record, its undo failed first when stalled (no request unless it is). */
  async apply(record: ImportRecord): Promise<ImportRecord | undefined> {
    const now = this.deps.clock.now();
    if (!record.undo || !isStalled(record.undo, now, this.stalledAfterMs)) return record;
    const message = `the undo stalled: nothing moved for ${stallMinutes(this.stalledAfterMs)} minutes (a part of it ended without being counted, e.g. its worker was stopped on its last attempt); the expenses removed before stay removed, undoing again goes on from there`;
    await this.deps.undo.failStalled(record.budgetId, record.id, record.undo, message, now);
    return this.deps.jobs.get(record.budgetId, record.id);
  }
}
