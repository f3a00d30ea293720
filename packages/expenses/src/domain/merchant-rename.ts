import { searchKey } from '@budgeting/platform';

/**
 * Renaming a merchant across a budget's expenses (POST /v1/budgets/{budgetId}/merchants/rename,
 * as YNAB's payee rename and Actual's payee merge): bank-statement spellings such as
 * "AMZN MKTP US*2K4" and "Amazon.com" become one payee, "Amazon", so the merchant suggestions,
 * the bill finder, search and reports show one. Pure rules here; the job in
 * service/merchant-rename.service.ts.
 */

/** Names one rename may merge (`from`): a rename is a user's merge of a few spellings, not a bulk rewrite. */
export const RENAME_MAX_FROM = 20;
/**
 * Expenses read per unit of the job (one page of the budget's expenses, one invocation): a
 * Query of about 500 items (a few hundred KB, two or three DynamoDB pages) and at most 500
 * PATCH writes, 8 at a time: a few seconds, well inside an invocation's time budget. A budget of
 * 100,000 expenses is 200 units.
 */
export const RENAME_PAGE_SIZE = 500;

/**
 * Which merchants a rename takes: those whose `searchKey` (case, accents, ß/ss, spacing
 * ignored: the key merchant suggestions group by and `?merchant=` compares) is one of the
 * `from` names', and that are not already exactly `to` (nothing to write then). So after the
 * rename the suggestions' group of each `from` name is gone and `to` is one group.
 */
export function renameMatcher(from: readonly string[], to: string): (merchant: string | undefined) => boolean {
  const keys = new Set(from.map(searchKey).filter((k) => k !== ''));
  return (merchant) => merchant !== undefined && merchant !== to && keys.has(searchKey(merchant));
}

/**
 * The rename rules a rename with `remember: true` adds (domain/categorization.ts `renameTo`):
 * one `{merchant: {equals: <spelling>}, renameTo: to}` per `from` spelling, in the order sent,
 * leaving out a spelling met before (same searchKey), one exactly `to` (nothing to rename),
 * and one an existing rule already covers identically (`equals` of the same searchKey with
 * exactly this `renameTo`, whatever else it does, and no amount or description condition).
 */
export function rememberedSpellings(
  from: readonly string[],
  to: string,
  existing: readonly { merchant: { equals: string } | { contains: string }; renameTo?: string; amount?: unknown; description?: unknown }[],
): string[] {
  // A rule with an amount or description condition renames only some of the spelling's expenses: it covers none.
  const whole = (r: { amount?: unknown; description?: unknown }) => r.amount === undefined && r.description === undefined;
  const covered = new Set(existing.flatMap((r) => ('equals' in r.merchant && r.renameTo === to && whole(r) ? [searchKey(r.merchant.equals)] : [])));
  const out: string[] = [];
  for (const spelling of from) {
    const key = searchKey(spelling);
    if (key === '' || spelling === to || covered.has(key)) continue;
    covered.add(key);
    out.push(spelling);
  }
  return out;
}
