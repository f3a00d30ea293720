import type { SplitPart } from '../model';

/**
 * Reassigning a category's expenses to another category (POST
 * .../categories/{categoryId}/reassign: YNAB's "delete category: reassign its transactions to",
 * Firefly III's bulk category change): what the move changes on ONE expense, as it is when
 * written. Pure; the service writes the patch through the PATCH's own write.
 *
 * - An expense filed under `from` is filed under `to` (`categoryId`).
 * - A split expense with a part in `from`: each such part goes to `to`, amount and description
 *   kept, the other parts as they are. A part already in `to` stays a part of its own: the
 *   splits rules (domain/splits.ts) do not ask for distinct categories, so nothing is merged
 *   and the part count (2..50) cannot change. The parts still add up to the amount.
 * - Anything else (moved meanwhile, another category, uncategorized): `undefined`, nothing to
 *   write.
 */
export type ReassignPatch = { categoryId: string } | { splits: SplitPart[] };

export function reassignPatch(expense: { categoryId: string | null; splits?: readonly SplitPart[] }, from: string, to: string): ReassignPatch | undefined {
  if (expense.splits) {
    if (!expense.splits.some((p) => p.categoryId === from)) return undefined;
    return { splits: expense.splits.map((p) => (p.categoryId === from ? { ...p, categoryId: to } : { ...p })) };
  }
  return expense.categoryId === from ? { categoryId: to } : undefined;
}
