import type { MerchantSpending } from '@budgeting/budgets';
import { isExactMinor, searchKey } from '@budgeting/platform';

/**
 * Groups expenses by merchant and ranks them: most spent first, then most expenses, then
 * name. A merchant's group is its `searchKey` (spacing, case, accents and ß/ss ignored), the
 * key of the spending breakdown by merchant and of the year in review, so a period report's top
 * merchants count "Café Rio", "cafe rio" and "CAFÉ  RIO" as the one payee those routes show; the
 * name shown is the group's most frequent spelling (a tie: the smallest by code units, so the
 * answer does not depend on the read order), as there. Expenses without a merchant are not ranked.
 *
 * Sums are BigInt: a period's spending is within 2^53 - 1 (else it has no report), but one
 * merchant's need not be when refunds elsewhere keep the period small, and a double past 2^53
 * holds only even numbers. When any merchant's sum passes 2^53 - 1 either way no ranking can be
 * given exactly: none is (an empty list), as the year in review gives none (merchantsRanked).
 */
export function rankMerchants(expenses: { amount: number; merchant?: string }[], limit: number): MerchantSpending[] {
  const groups = new Map<string, { spent: bigint; count: number; spellings: Map<string, number> }>();
  for (const { amount, merchant } of expenses) {
    const name = merchant?.trim();
    if (!name) continue;
    const key = searchKey(name);
    if (key === '') continue;
    const group = groups.get(key) ?? { spent: 0n, count: 0, spellings: new Map<string, number>() };
    group.spent += BigInt(amount);
    group.count += 1;
    group.spellings.set(name, (group.spellings.get(name) ?? 0) + 1);
    groups.set(key, group);
  }
  const ranked = [...groups.values()];
  if (ranked.some(({ spent }) => !isExactMinor(spent))) return [];
  return ranked
    .map(({ spent, count, spellings }) => ({ merchant: mostFrequentSpelling(spellings)!, spent: Number(spent), count }))
    .sort((a, b) => b.spent - a.spent || b.count - a.count || a.merchant.localeCompare(b.merchant))
    .slice(0, limit);
}

/** The most frequent spelling of a group; a tie: the smallest by code units. Undefined when none. */
export function mostFrequentSpelling(spellings: Iterable<[string, number]>): string | undefined {
  let best: { spelling: string; n: number } | undefined;
  for (const [spelling, n] of spellings) {
    if (!best || n > best.n || (n === best.n && spelling < best.spelling)) best = { spelling, n };
  }
  return best?.spelling;
}
