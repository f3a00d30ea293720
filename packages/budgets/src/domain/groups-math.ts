/**
 * Category groups ("Bills", "Everyday", "Fun"), pure: which categories form a group, and a
 * group's figures summed from its categories' lines (the summary's, a trend period's, the
 * forecast's), so no group figure is read or computed anywhere else. Loaded on the summary's
 * cold path: no zod here. All amounts are integer minor units.
 *
 * A group is a label: categories whose `group` is the same string are one group. The label was
 * normalized like a category name when it was sent (nameText: NFC, trimmed, spaces collapsed)
 * and is then compared EXACTLY, case included, because a phone app shows back the label it
 * sent; the budget's schema refuses two spellings differing only in case, so this never splits
 * what a person would call one group. Ungrouped categories are in no group, and a category
 * removed from the budget is in none either (its spending is uncategorized, as the summary
 * counts it). A group with a rollover category also carries carriedOver and available (its
 * rollover categories' carriedOver summed, and limit + carriedOver: summary-math.ts
 * groupCarriedOver); others have neither.
 */

export interface CategoryGroup {
  name: string;
  /** Its categories, in the budget's category order. */
  categoryIds: string[];
}

/**
 * The groups of a budget's categories, in the order of each group's first category in the
 * budget's order; every grouped category in exactly one group, ungrouped ones in none.
 */
export function groupsOf(categories: readonly { id: string; group?: string }[]): CategoryGroup[] {
  const byName = new Map<string, CategoryGroup>();
  for (const c of categories) {
    if (c.group === undefined) continue;
    const group = byName.get(c.group);
    if (group) group.categoryIds.push(c.id);
    else byName.set(c.group, { name: c.group, categoryIds: [c.id] });
  }
  return [...byName.values()];
}

/** A sum through BigInt, so a sum past 2^53 comes out unsafe (and is caught by the callers' exactness checks) rather than silently rounded. */
export function sumOf(amounts: readonly number[]): number {
  return Number(amounts.reduce((sum, n) => sum + BigInt(n), 0n));
}

/** A group's limit: the sum of its categories' limits, null when none of them has one (a category without a limit adds nothing). */
export function groupLimit(limits: readonly (number | null)[]): number | null {
  const set = limits.filter((l): l is number => l !== null);
  return set.length === 0 ? null : sumOf(set);
}

/**
 * `limit - spent` when there is a limit: the same rule as a category line's, so spending in a
 * member without a limit counts against the limits of the others (the group's line is
 * consistent on its own: remaining = limit - spent).
 */
export function remainingOf(limit: number | null, spent: number): number | null {
  return limit === null ? null : Number(BigInt(limit) - BigInt(spent));
}

/**
 * Each group with the figures `figures` sums from its categories' lines (looked up by
 * `categoryId`; a line missing from `lines` is skipped, which cannot happen when both come
 * from the same budget read).
 */
export function groupLines<L extends { categoryId: string }, F>(
  groups: readonly CategoryGroup[],
  lines: readonly L[],
  figures: (members: L[]) => F,
): (CategoryGroup & F)[] {
  const byId = new Map(lines.map((line) => [line.categoryId, line]));
  return groups.map((g) => ({
    name: g.name,
    categoryIds: [...g.categoryIds],
    ...figures(g.categoryIds.flatMap((id) => byId.get(id) ?? [])),
  }));
}
