import type { FanOutJob } from '@budgeting/platform';
import { watchdogJob } from '@budgeting/platform/job-watchdog';
import type { ImportUndoService, ImportUndoWatchdogUnit } from '../service/import-undo.service';
import { IMPORT_UNDO_WATCHDOG_JOB } from './names';

/**
 * A started undo's watchdog (platform jobs/job-watchdog.ts, as the import's): ImportUndoService.start
 * queues ONE unit per undo with chunks, held until the undo would read as stalled. A delivery
 * reads the undo as GET does and fails it `stalled` if so, though nobody reads it; an undo still
 * moving re-arms it, one that ended ends it (ImportUndoService.watch, idempotent).
 */
export function importUndoWatchdogJob(service: ImportUndoService): FanOutJob<ImportUndoWatchdogUnit> {
  return watchdogJob<ImportUndoWatchdogUnit>({ name: IMPORT_UNDO_WATCHDOG_JOB, watched: 'import undo', fields: ['budgetId', 'importId'], watch: (unit) => service.watch(unit) });
}
