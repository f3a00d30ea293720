import { problems, type FieldError } from '@budgeting/platform';
import type { SplitPart } from '../model';

/**
 * Split expenses: one expense spread over several categories of its budget (a 120.00
 * supermarket receipt = 80.00 Groceries + 40.00 Household). The rules every write of one
 * obeys, on the state it would leave (a create's, or a PATCH applied to the current expense):
 *
 * - 2..50 parts (the schemas refuse other counts), each an integer amount > 0;
 * - the parts add up to the expense's `amount` exactly (else a 400 naming `splits`: also a
 *   PATCH of `amount` alone on a split expense, whose parts would no longer add up);
 * - a split expense has no `categoryId` of its own (a non-null one next to splits is a 400
 *   naming `categoryId`; to give a split expense one category, PATCH `splits: null` with it).
 *
 * Each part's category must be one of the budget's (checkAgainstBudget, naming
 * `splits.<n>.categoryId`).
 */
export const SPLITS_MIN = 2;
export const SPLITS_MAX = 50;

/** What a write asks for (a create's body or a PATCH's): `splits: null` removes the parts. */
export interface SplitsInput {
  amount?: number;
  categoryId?: string | null;
  splits?: SplitPartInput[] | null;
}

export interface SplitPartInput {
  categoryId: string | null;
  amount: number;
  description?: string;
}

/** The parts as stored: a description only when there is one (after trimming). */
export function splitParts(input: SplitPartInput[]): SplitPart[] {
  return input.map((p) => ({ categoryId: p.categoryId, amount: p.amount, ...(p.description ? { description: p.description } : {}) }));
}

/** The category fields a write leaves, checked: what a create stores. */
export function createdCategories(input: SplitsInput & { amount: number }): { categoryId: string | null; splits?: SplitPart[] } {
  const splits = input.splits ? splitParts(input.splits) : undefined;
  const categoryId = input.categoryId ?? null;
  checkSplitState({ amount: input.amount, categoryId, splits }, input);
  return { categoryId, ...(splits ? { splits } : {}) };
}

/**
 * The category fields after a PATCH of `current`, checked. `splits` not sent keeps the parts
 * (and then `amount` must still be their sum); `splits: null` removes them, and the expense
 * takes `categoryId` if sent (else it is uncategorized, as a split expense's own category is).
 */
export function patchedCategories(
  current: { amount: number; categoryId: string | null; splits?: SplitPart[] },
  input: SplitsInput,
): { amount: number; categoryId: string | null; splits?: SplitPart[] } {
  const amount = input.amount ?? current.amount;
  const splits = input.splits === undefined ? current.splits : input.splits === null ? undefined : splitParts(input.splits);
  const categoryId = input.categoryId !== undefined ? input.categoryId : splits || current.splits ? null : current.categoryId;
  checkSplitState({ amount, categoryId, splits }, input);
  return { amount, categoryId, ...(splits ? { splits } : {}) };
}

function checkSplitState(state: { amount: number; categoryId: string | null; splits?: SplitPart[] }, input: SplitsInput): void {
  if (!state.splits) return;
  const errors: FieldError[] = [];
  if (state.categoryId !== null) {
    errors.push({
      path: 'categoryId',
      message: input.splits ? 'Must be null (or left out) when splits are sent' : 'The expense is split: send splits: null to give it one category',
    });
  }
  const sum = state.splits.reduce((s, p) => s + p.amount, 0);
  if (sum !== state.amount) {
    errors.push({
      path: 'splits',
      message: input.splits
        ? `The parts add up to ${sum}, not to amount (${state.amount})`
        : `The expense is split into parts adding up to ${sum}: send splits adding up to the new amount (${state.amount}) with it`,
    });
  }
  if (errors.length > 0) throw problems.validation(errors);
}

/** The distinct categories a split expense's parts name (uncategorized parts left out). */
export function partCategories(splits: readonly { categoryId: string | null }[]): string[] {
  return [...new Set(splits.flatMap((p) => (p.categoryId === null ? [] : [p.categoryId])))];
}
