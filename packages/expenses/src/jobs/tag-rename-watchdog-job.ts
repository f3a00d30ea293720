import type { FanOutJob } from '@budgeting/platform';
import type { RenameWatchdogUnit } from '../service/rename-job.service';
import type { TagRenameService } from '../service/tag-rename.service';
import { TAG_RENAME_WATCHDOG_JOB } from './names';
import { renameWatchdogJob } from './rename-watchdog-job';

/** A started tag rename's watchdog: the shared rename watchdog (rename-watchdog-job.ts) under TAG_RENAME_WATCHDOG_JOB. */
export function tagRenameWatchdogJob(service: TagRenameService): FanOutJob<RenameWatchdogUnit> {
  return renameWatchdogJob(TAG_RENAME_WATCHDOG_JOB, 'tag rename', service);
}
