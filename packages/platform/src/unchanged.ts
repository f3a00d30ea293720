/**
 * Whether a PATCH's `next` (the resource it would write) changes nothing of `current` (the one
 * read): every field but `version` and `updatedAt` (or the `ignored` ones) as stored. Key order
 * does not count, nor a field that is undefined (DynamoDB stores neither); arrays keep their
 * order (a reordered list is a change, as it would be stored reordered), and `null` is a value.
 * A PATCH of a versioned resource then writes nothing (no version, event, activity entry or
 * change-log stamp) and answers the stored resource with its ETag: a client saving a form
 * untouched moves nothing (docs/architecture.md "A PATCH that changes nothing"). One helper for
 * every module, so "the same" means the same everywhere.
 */
export function changesNothing<T extends object>(current: T, next: T, ignored: readonly string[] = ['version', 'updatedAt']): boolean {
  return canonical(current, ignored) === canonical(next, ignored);
}

/** JSON with the keys of every object sorted, undefined fields and the top level's `ignored` ones left out. */
function canonical(value: object, ignored: readonly string[]): string {
  const top = Object.fromEntries(Object.entries(value).filter(([k]) => !ignored.includes(k)));
  return JSON.stringify(top, (_key, v: unknown) =>
    v !== null && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).filter(([, x]) => x !== undefined).sort(([a], [b]) => (a < b ? -1 : 1))) : v,
  );
}
