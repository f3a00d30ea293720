import type { FanOutJob } from '@budgeting/platform';
import type { RenameUnit } from '../service/rename-job.service';
import type { TagRenameService } from '../service/tag-rename.service';
import { TAG_RENAME_JOB } from './names';
import { renameJob } from './rename-job';

/** The tag rename's job: the shared rename job (rename-job.ts) under TAG_RENAME_JOB, a page of expenses per unit. */
export function tagRenameJob(service: TagRenameService): FanOutJob<RenameUnit> {
  return renameJob(TAG_RENAME_JOB, 'tag rename', service);
}
