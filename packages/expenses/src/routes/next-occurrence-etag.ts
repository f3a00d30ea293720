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
