import type { FanOutJob } from '@budgeting/platform';
import { watchdogJob } from '@budgeting/platform/job-watchdog';
import type { MerchantRenameService, RenameWatchdogUnit } from '../service/merchant-rename.service';
import { MERCHANT_RENAME_WATCHDOG_JOB } from './names';

/**
 * A started merchant rename's watchdog (platform jobs/job-watchdog.ts, as the import's), a
 * fan-out job without a schedule: MerchantRenameService.start queues ONE unit per rename, held
 * (WorkQueue `notBefore`) until the rename would read as stalled. A delivery reads the rename
 * as GET does and fails it if stalled, so a rename whose page died unreported does not read
 * `running` until its record expires though nobody reads it; a rename still moving re-arms the
 * watchdog, one that ended ends it (MerchantRenameService.watch, idempotent).
 */
export function merchantRenameWatchdogJob(service: MerchantRenameService): FanOutJob<RenameWatchdogUnit> {
  return watchdogJob<RenameWatchdogUnit>({
    name: MERCHANT_RENAME_WATCHDOG_JOB,
    watched: 'merchant rename',
    fields: ['budgetId', 'renameId'],
    watch: (unit) => service.watch(unit),
  });
}
