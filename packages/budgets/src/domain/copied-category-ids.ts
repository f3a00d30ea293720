import { nameKey } from '@budgeting/platform';

/**
 * A copy's category for each of the source's (POST .../copy): source category id -> the copy's,
 * by name (nameKey), so the same on a copy's first attempt and on its retry, whose budget was
 * created earlier with ids of its own; a category renamed in the source between the two maps to
 * nothing. Names are unique in a budget by nameKey only since it folds what it folds now
 * (compatibility forms, invisible characters): a budget stored before may hold two categories
 * under one key ("Food" and fullwidth "Ｆｏｏｄ"), and the copy, made with the source's names in
 * the source's order, holds both again. Those are paired by their order under the key (the
 * first with the first), not all sent to the last one, which took the other's overrides, rules
 * and recurring expenses.
 */
export function copiedCategoryIds(source: readonly { id: string; name: string }[], copy: readonly { id: string; name: string }[]): Map<string, string> {
  const copyIds = new Map<string, string[]>();
  for (const c of copy) {
    const key = nameKey(c.name);
    copyIds.set(key, [...(copyIds.get(key) ?? []), c.id]);
  }
  const taken = new Map<string, number>();
  const ids = new Map<string, string>();
  for (const c of source) {
    const key = nameKey(c.name);
    const n = taken.get(key) ?? 0;
    taken.set(key, n + 1);
    const id = copyIds.get(key)?.[n];
    if (id !== undefined) ids.set(c.id, id);
  }
  return ids;
}
