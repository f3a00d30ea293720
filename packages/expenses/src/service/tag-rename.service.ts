import { normalizeName } from '@budgeting/platform';
import { renamedTags } from '../domain/tag-rename';
import { TAG_RENAME_JOB, TAG_RENAME_WATCHDOG_JOB } from '../jobs/names';
import type { RenameRecord } from '../repository/renames.repository';
import { RenameJobService, type RenameDeps, type RenameKind, type RenameOptions } from './rename-job.service';

/**
 * The tag rename's kind: an expense matches when one of its tags has a `from` searchKey (and is
 * not exactly `to`); its PATCH is `{tags}` with those replaced by `to` (deduplicated) or
 * removed (domain/tag-rename.ts renamedTags); it is renamed once none matches.
 */
export const TAG_RENAME: RenameKind = {
  label: 'tag rename',
  job: TAG_RENAME_JOB,
  watchdogJob: TAG_RENAME_WATCHDOG_JOB,
  patchFor(record) {
    return (expense) => {
      const tags = renamedTags(expense.tags, record.from, record.to);
      return tags === undefined ? undefined : { tags };
    };
  },
  isRenamed: (record, expense) => renamedTags(expense.tags, record.from, record.to) === undefined,
};

/**
 * Renaming or removing a tag across a budget's expenses (POST /v1/budgets/{budgetId}/tags/rename):
 * the merchant rename's job (RenameJobService: a page of expenses per unit, each matching expense
 * written as its own PATCH `{tags}`, the stall rule and the watchdog) with the tag kind. No
 * finished event and no notification (TagRenamesRepository): its end is its record's status.
 */
export class TagRenameService extends RenameJobService {
  constructor(deps: RenameDeps, options: RenameOptions = {}) {
    super(TAG_RENAME, deps, options);
  }

  /** `to` is stored as a tag is (name-normalized); `from` as sent (matched by searchKey). */
  override start(budgetId: string, userId: string, input: { from: string[]; to: string | null }): Promise<RenameRecord> {
    return super.start(budgetId, userId, { from: input.from, to: input.to === null ? null : normalizeName(input.to) });
  }
}
