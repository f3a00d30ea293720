import type { SplitPart } from '../model';
import { DESCRIPTION_MAX } from './text-limits';

/**
 * Reassigning a category's expenses to another category (POST
 * .../categories/{categoryId}/reassign: YNAB's "delete category: reassign its transactions to",
 * Firefly III's bulk category change): what the move changes on ONE expense, as it is when
 * written. Pure; the service writes the patch through the PATCH's own write.
 *
 * - An expense filed under `from` is filed under `to` (`categoryId`).
 * - A split expense with a part in `from`: each such part goes to `to`, and the parts then in
 *   `to` become ONE part (a receipt's "Snacks 3.00 + Fuel 2.00" reassigned Snacks -> Fuel is
 *   "Fuel 5.00", not two Fuel parts the user would have to merge by hand), at the place of the
 *   first of them, amounts summed (exact: integers, and their sum is at most the expense's
 *   amount). The other parts stay as they are, in their order.
 * - If that leaves ONE part (every part was in `from` or `to`), the expense is no longer split:
 *   a split needs 2..50 parts (domain/splits.ts), so it becomes a plain expense of `to`
 *   (`splits: null`, `categoryId: to`), which counts the same amount in the same category.
 * - Anything else (moved meanwhile, another category, uncategorized): `undefined`, nothing to
 *   write.
 *
 * Descriptions of merged parts (mergedDescription): the existing `to` parts' first, then the
 * moved parts', distinct ones joined with "; " as long as they fit DESCRIPTION_MAX (those
 * that would not fit are dropped, never cut). A merge into a plain expense cannot keep a part
 * description: it becomes the expense's `description` when the expense has none, else it is
 * dropped (the expense's own description is the user's and stays).
 */
export type ReassignPatch =
  | { categoryId: string }
  | { splits: SplitPart[] }
  | { splits: null; categoryId: string; description?: string };

export const DESCRIPTION_SEPARATOR = '; ';

export function reassignPatch(
  expense: { categoryId: string | null; splits?: readonly SplitPart[]; description?: string },
  from: string,
  to: string,
): ReassignPatch | undefined {
  if (!expense.splits) return expense.categoryId === from ? { categoryId: to } : undefined;
  if (!expense.splits.some((p) => p.categoryId === from)) return undefined;
  const inTo = expense.splits.filter((p) => p.categoryId === to || p.categoryId === from);
  const existing = expense.splits.filter((p) => p.categoryId === to);
  const moved = expense.splits.filter((p) => p.categoryId === from);
  const description = mergedDescription([...existing, ...moved].map((p) => p.description));
  const merged: SplitPart = { categoryId: to, amount: inTo.reduce((sum, p) => sum + p.amount, 0), ...(description ? { description } : {}) };
  const first = expense.splits.indexOf(inTo[0]!);
  const splits = expense.splits.flatMap((p, i) => (i === first ? [merged] : inTo.includes(p) ? [] : [{ ...p }]));
  if (splits.length > 1) return { splits };
  return { splits: null, categoryId: to, ...(description && !expense.description ? { description } : {}) };
}

/**
 * The description of parts merged into one: the distinct ones (exact text) in the order given,
 * joined with DESCRIPTION_SEPARATOR while the result fits DESCRIPTION_MAX (the API's bound, so
 * the merged part is one a PATCH could have sent); undefined when none has one.
 */
export function mergedDescription(descriptions: readonly (string | undefined)[]): string | undefined {
  const kept: string[] = [];
  let length = -DESCRIPTION_SEPARATOR.length;
  for (const d of descriptions) {
    if (!d || kept.includes(d)) continue;
    if (length + DESCRIPTION_SEPARATOR.length + d.length > DESCRIPTION_MAX) continue;
    kept.push(d);
    length += DESCRIPTION_SEPARATOR.length + d.length;
  }
  return kept.length > 0 ? kept.join(DESCRIPTION_SEPARATOR) : undefined;
}
