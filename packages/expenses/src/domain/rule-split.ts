import type { RuleSplitPart } from '../model';

/**
 * A categorization rule that splits (as Actual's rules "split into categories by percentage"):
 * `split: [{categoryId, percent}]` instead of one `categoryId`. What a matching expense becomes:
 * its amount divided by the percents in integer minor units, EXACTLY (the parts add up to the
 * amount), by the largest remainder method:
 *
 * - each part first gets floor(amount x percent / 100), computed in BigInt (the product of an
 *   amount up to 2^53 - 1 and 100 would lose precision in a double);
 * - the minor units left over (fewer than the number of parts) go one each to the parts with
 *   the largest remainders (amount x percent mod 100), ties to the earlier part;
 * - so each part is within one minor unit of its exact share, and the result depends only on
 *   the amount and the parts (no rounding mode, no order of evaluation).
 *
 * Tiny amounts: a part that comes out 0 is DROPPED (an expense's part must be > 0). If two or
 * more parts remain, the expense is split into those (still adding up to the amount: a 0 part
 * adds nothing). If only one remains, the expense is filed as a PLAIN expense under that part's
 * category (the biggest part: with the others 0 it holds the whole amount). E.g. 1 at 50/50:
 * the first part takes the one minor unit (equal remainders, the earlier wins), the second is
 * 0, so the expense is filed under the first part's category.
 */

export const RULE_SPLIT_MIN_PARTS = 2;
export const RULE_SPLIT_MAX_PARTS = 10;

/** The amounts of the parts, in the parts' order (some may be 0 for tiny amounts): largest remainder method. */
export function allocateByPercent(amount: number, percents: readonly number[]): number[] {
  const total = BigInt(amount);
  const shares = percents.map((p) => {
    const exact = total * BigInt(p);
    return { floor: exact / 100n, remainder: exact % 100n };
  });
  let left = total - shares.reduce((sum, s) => sum + s.floor, 0n);
  // Largest remainder first; a stable sort keeps equal remainders in the parts' order (the earlier wins).
  const order = shares.map((_, i) => i).sort((a, b) => (shares[b]!.remainder > shares[a]!.remainder ? 1 : shares[b]!.remainder < shares[a]!.remainder ? -1 : 0));
  const amounts = shares.map((s) => s.floor);
  for (const i of order) {
    if (left === 0n) break;
    amounts[i]! += 1n;
    left -= 1n;
  }
  return amounts.map(Number);
}

/** What a split rule files an expense as: split parts (2 or more, each > 0, adding up to the amount), or one category when only one part is left. */
export type SplitOutcome = { splits: { categoryId: string; amount: number }[] } | { categoryId: string };

export function splitByRule(amount: number, parts: readonly RuleSplitPart[]): SplitOutcome {
  const amounts = allocateByPercent(amount, parts.map((p) => p.percent));
  const kept = parts.flatMap((p, i) => (amounts[i]! > 0 ? [{ categoryId: p.categoryId, amount: amounts[i]! }] : []));
  if (kept.length >= RULE_SPLIT_MIN_PARTS) return { splits: kept };
  // Only one part is left (an amount of at least 1 always leaves one): it holds the whole amount.
  return { categoryId: kept[0]!.categoryId };
}
