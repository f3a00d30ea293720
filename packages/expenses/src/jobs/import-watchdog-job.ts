import type { FanOutJob } from '@budgeting/platform';
import type { CsvImportService, WatchdogUnit } from '../service/csv-import.service';
import { IMPORT_WATCHDOG_JOB } from './names';

/**
 * A started import's watchdog, a fan-out job without a schedule: CsvImportService.start queues
 * ONE unit per import with chunks, held (WorkQueue `notBefore`, in hops of at most 15 minutes)
 * until the import would read as stalled. A delivery reads the import as GET does and fails it
 * if stalled, so its expense.import_finished (the starter's notification, push and webhooks)
 * is written though nobody reads the import; an import still moving re-arms the watchdog, one
 * that ended ends it (CsvImportService.watch, idempotent).
 */
export function importWatchdogJob(service: CsvImportService): FanOutJob<WatchdogUnit> {
  return {
    name: IMPORT_WATCHDOG_JOB,
    async work(unit) {
      const outcome = await service.watch(unit);
      return { done: outcome === 'ended' ? 1 : 0 };
    },
    parseUnit(raw) {
      const unit = raw as Partial<WatchdogUnit> | null;
      if (!unit || typeof unit.budgetId !== 'string' || typeof unit.importId !== 'string') {
        throw new Error('import watchdog unit needs budgetId and importId');
      }
      return { budgetId: unit.budgetId, importId: unit.importId };
    },
  };
}
