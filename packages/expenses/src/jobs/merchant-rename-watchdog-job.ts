import type { FanOutJob } from '@budgeting/platform';
import type { MerchantRenameService, RenameWatchdogUnit } from '../service/merchant-rename.service';
import { MERCHANT_RENAME_WATCHDOG_JOB } from './names';
import { renameWatchdogJob } from './rename-watchdog-job';

/** A started merchant rename's watchdog: the shared rename watchdog (rename-watchdog-job.ts) under MERCHANT_RENAME_WATCHDOG_JOB. */
export function merchantRenameWatchdogJob(service: MerchantRenameService): FanOutJob<RenameWatchdogUnit> {
  return renameWatchdogJob(MERCHANT_RENAME_WATCHDOG_JOB, 'merchant rename', service);
}
