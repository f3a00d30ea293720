import type { ModuleStore } from '@budgeting/platform';
import { RenamesRepository } from './renames.repository';

/**
 * A tag rename's items (keys.ts: `expenses#tagrename#<id>` and `expenses#tagrenameunit#<id>#<n>`),
 * the shared RenamesRepository with the tag kind. No finished event: a tag rename's end is only
 * its record's status (GET .../tag-renames/{renameId}, Prefer: wait), no domain event and no
 * notification.
 */
export class TagRenamesRepository extends RenamesRepository {
  constructor(store: ModuleStore) {
    super(store, { recordPrefix: 'tagrename', unitPrefix: 'tagrenameunit', kind: 'tag-rename', label: 'tag rename' });
  }
}
