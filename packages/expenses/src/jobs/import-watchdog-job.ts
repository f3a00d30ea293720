import type { FanOutJob } from '@budgeting/platform';
import { watchdogJob } from '@budgeting/platform/job-watchdog';
import type { CsvImportService, ImportWatchdogUnit } from '../service/csv-import.service';
import { IMPORT_WATCHDOG_JOB } from './names';

/**
 * A started import's watchdog (platform jobs/job-watchdog.ts), a fan-out job without a
 * schedule: CsvImportService.start queues ONE unit per import with chunks, held (WorkQueue
 * `notBefore`, in hops of at most 15 minutes) until the import would read as stalled. A
 * delivery reads the import as GET does and fails it if stalled, so its expense.import_finished
 * (the starter's notification, push and webhooks) is written though nobody reads the import;
 * an import still moving re-arms the watchdog, one that ended ends it (CsvImportService.watch,
 * idempotent).
 */
export function importWatchdogJob(service: CsvImportService): FanOutJob<ImportWatchdogUnit> {
  return watchdogJob<ImportWatchdogUnit>({ name: IMPORT_WATCHDOG_JOB, watched: 'import', fields: ['budgetId', 'importId'], watch: (unit) => service.watch(unit) });
}
