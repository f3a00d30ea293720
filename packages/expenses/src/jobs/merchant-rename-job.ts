import type { FanOutJob } from '@budgeting/platform';
import type { MerchantRenameService, RenameUnit } from '../service/merchant-rename.service';
import { MERCHANT_RENAME_JOB } from './names';
import { renameJob } from './rename-job';

/** The merchant rename's job: the shared rename job (rename-job.ts) under MERCHANT_RENAME_JOB. */
export function merchantRenameJob(service: MerchantRenameService): FanOutJob<RenameUnit> {
  return renameJob(MERCHANT_RENAME_JOB, 'merchant rename', service);
}
