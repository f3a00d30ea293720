import type { FanOutJob } from '@budgeting/platform';
import { watchdogJob } from '@budgeting/platform/job-watchdog';
import type { RenameJobService, RenameWatchdogUnit } from '../service/rename-job.service';

/**
 * A started rename's watchdog (a merchant's: MERCHANT_RENAME_WATCHDOG_JOB, a tag's:
 * TAG_RENAME_WATCHDOG_JOB) (platform jobs/job-watchdog.ts, as the import's), a
 * fan-out job without a schedule: RenameJobService.start queues ONE unit per rename, held
 * (WorkQueue `notBefore`) until the rename would read as stalled. A delivery reads the rename
 * as GET does and fails it if stalled, so a rename whose page died unreported does not read
 * `running` until its record expires though nobody reads it; a rename still moving re-arms the
 * watchdog, one that ended ends it (RenameJobService.watch, idempotent).
 */
export function renameWatchdogJob(name: string, watched: string, service: Pick<RenameJobService, 'watch'>): FanOutJob<RenameWatchdogUnit> {
  return watchdogJob<RenameWatchdogUnit>({
    name,
    watched,
    fields: ['budgetId', 'renameId'],
    watch: (unit) => service.watch(unit),
  });
}
