import { expectedTags } from '@budgeting/platform';
import type { Context } from 'hono';

/**
 * The ETag variant of a recurring definition's GET (platform setEtag): its next occurrence, which
 * the recurring jobs move without a new version (packages/expenses/docs/recurring.md: `version`
 * counts API changes only, so a client's If-Match survives every recorded occurrence), but which
 * the answer shows (`nextOccurrenceOn`, and `paymentsLeft` counted from it). `"3-n20261125"`, or
 * `"3-none"` when there is none (paused, or ended): a conditional GET after the job moved it gets the 200 with the
 * new date, never a 304 for a bill already recorded.
 */
export function nextOccurrenceVariant(definition: { nextOccurrenceOn: string | null }): string {
  return definition.nextOccurrenceOn === null ? 'none' : `n${definition.nextOccurrenceOn.replaceAll('-', '')}`;
}

/**
 * The next occurrence a skip's or a record-next's If-Match names (its variant `n<date>`), for
 * the service's `expectedNext`: the action is about that occurrence, so when the job recorded it
 * since (the version unchanged, the ETag now naming the one after) the action is a 412, as an
 * offline push's skip or recordNext naming it in `nextOccurrenceOn` (packages/expenses/docs
 * recurring.md "Pause, resume, skip"). Before, the version alone was compared, and a tap made on
 * the bill due on the 1st, reaching the server after the job recorded it, recorded or skipped
 * the 1st of the month after. `undefined` (the version alone, as for a PATCH) when no tag names
 * a date (no header, `*`, `"3"`, `"3-none"`) or the tags name different ones.
 */
export function expectedNextOccurrence(c: Context): string | undefined {
  const dates = new Set((expectedTags(c) ?? []).map((tag) => /^n(\d{4})(\d{2})(\d{2})$/.exec(tag.variant ?? '')).map((m) => m && `${m[1]}-${m[2]}-${m[3]}`));
  const [only] = dates;
  return dates.size === 1 && only ? only : undefined;
}
