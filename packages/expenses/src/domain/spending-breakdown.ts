import { UNCATEGORIZED_KEY } from '@budgeting/budgets';
import { searchKey } from '@budgeting/platform';
import { mostFrequentSpelling } from './merchants';

/**
 * Spending breakdown (GET /v1/budgets/{budgetId}/spending?by=, as YNAB's "Spending by payee" and
 * Firefly III's reports by tag or expense account): a date range's expenses grouped by merchant,
 * tag or member, biggest first. Pure aggregation here, fed a page at a time while the range is
 * read (service/spending-breakdown.service.ts): only the groups are kept, never the expenses.
 *
 * - merchant: grouped by the merchant's `searchKey` (platform text.ts: spacing, case, accents and
 *   ß/ss ignored), the key the merchant suggestions group by, `?merchant=` compares and a merchant
 *   rename matches; `label` is the group's most frequent spelling in the range (a tie: the
 *   smallest spelling by code units, so the answer does not depend on read order). Expenses
 *   without a merchant form one group, `key` "" and `label` null.
 * - tag: an expense counts in each of its tags, grouped by the tag's `searchKey` (the `?tag=`
 *   filter's comparison), so the groups can sum to more than `total`; `label` as for merchants.
 *   Untagged expenses form one group, `key` "" and `label` null (every expense is in at least one
 *   group).
 * - member: grouped by who recorded the expense (`createdBy`, the payer of the settle-up
 *   balances); `key` is the user id, `label` the member's display name as the budgets module
 *   knows it (`names`, given to `result`: the membership's name snapshot, else its email); a
 *   former member (not in `names`), or one with neither, keeps the user id as `label`.
 *
 * - category: grouped by category id (`key`), `label` the category's current name (`categories`,
 *   given to the constructor: the budget's categories as the access check returns them). Spending
 *   without a category, and in a category the budget no longer has, is one group, `key`
 *   UNCATEGORIZED_KEY (budgets' public contract: "uncategorized", the key GET
 *   .../daily-spending?categoryId= takes for the summary's `uncategorizedSpent` line; category
 *   ids are server ULIDs, never this) and `label`
 *   "Uncategorized". A split expense's parts count in their own categories: `amount` sums the
 *   parts, and the expense counts once in each group it touches (as by=tag counts an expense once
 *   in each of its tags), so the counts can sum to more than `count`; the amounts sum to `total`.
 * - group: as category, each category's amount in its category group (`key` and `label` the
 *   group's name, which the budgets module keeps distinct); ungrouped categories, uncategorized
 *   spending and removed categories are one group, `key` "" and `label` null (the summary's
 *   "in no group"). Counts as for category: once per group touched.
 *
 * By merchant, tag and member a split expense counts its whole `amount` in its one group.
 * `total` and `count` count each expense once, whatever `by`.
 */

export const SPENDING_GROUPINGS = ['merchant', 'tag', 'member', 'category', 'group'] as const;
export type SpendingGrouping = (typeof SPENDING_GROUPINGS)[number];

/**
 * Expenses examined at most per request; a range holding more is refused (422 naming `from`),
 * never answered in part. The read is a Query of the date index projecting amount, merchant,
 * tags and createdBy: DynamoDB still reads whole items, up to 1 MB a page, and a typical
 * expense item is 0.3-1 KB, so 20,000 expenses are 6-20 MB read, 6 to 20 sequential pages (each
 * ~20-50 ms): well under a second, about 750-2,500 RCU eventually consistent at worst. What stays
 * in memory is the groups (at most one per expense, and per tag: bounded by 20,000 x 10 tags
 * of at most 32 characters, a few MB in the worst case, tens of KB typically) and one page of
 * projected attributes (~100 bytes each): far inside the Lambda's memory. It is 55 expenses a
 * day over a 366-day range, more than a household records.
 */
export const SPENDING_MAX_EXPENSES = 20_000;
export const UNCATEGORIZED_LABEL = 'Uncategorized';

/** The longest range, both ends included: a year, leap day included. */
export const SPENDING_MAX_DAYS = 366;
export const SPENDING_DEFAULT_LIMIT = 20;
export const SPENDING_MAX_LIMIT = 100;

/** What the range's read gives of one expense (the Query's projection). */
export interface SpendingRow {
  amount: number;
  merchant?: string;
  tags?: readonly string[];
  createdBy: string;
  /** null (or absent): uncategorized, and always for a split expense. */
  categoryId?: string | null;
  /** A split expense's parts, each in its own category (null: uncategorized). */
  splits?: readonly { categoryId: string | null; amount: number }[];
}

/** What by=category and by=group know of the budget's categories (the access check's). */
export interface SpendingCategory {
  id: string;
  name: string;
  group?: string;
}

export interface SpendingGroup {
  key: string;
  label: string | null;
  amount: number;
  count: number;
  /** amount / total, rounded to 4 decimals (a half up); 0 when total is 0 or below. Not money. */
  share: number;
}

export interface SpendingBreakdownResult {
  total: number;
  count: number;
  items: SpendingGroup[];
  other: { amount: number; count: number };
}

interface Group {
  key: string;
  amount: number;
  count: number;
  /** merchant and tag: how often each spelling was met (the label is the most frequent). */
  spellings?: Map<string, number>;
  /** member: the user id (the label unless `result` is given the member's name); category and group: the name. */
  fixedLabel?: string;
}

/** Aggregates the expenses of a range, one `add` per expense, in any order; `result` ranks. */
export class SpendingBreakdown {
  private readonly groups = new Map<string, Group>();
  private total = 0;
  private count = 0;
  /**
   * The total's or a group's running sum left the safe integers: every later figure of it may be
   * rounded (2^53 - 1 + 2 - 2 reads 2^53 - 2), and a group's may pass while another's refunds keep
   * the total under it, so the service answers its 400 rather than trusting the total alone.
   */
  private unsafe = false;

  /** by=category and by=group: the budget's categories by id. */
  private readonly categories: ReadonlyMap<string, SpendingCategory>;

  constructor(
    private readonly by: SpendingGrouping,
    categories: readonly SpendingCategory[] = [],
  ) {
    this.categories = new Map(categories.map((c) => [c.id, c]));
  }

  add(row: SpendingRow): void {
    this.total += row.amount;
    if (!Number.isSafeInteger(this.total)) this.unsafe = true;
    this.count += 1;
    switch (this.by) {
      case 'merchant':
        this.addTo(spelled(row.merchant), row.amount);
        return;
      case 'tag': {
        const seen = new Set<string>();
        for (const tag of row.tags ?? []) {
          const g = spelled(tag);
          if (g.key === '' || seen.has(g.key)) continue;
          seen.add(g.key);
          this.addTo(g, row.amount);
        }
        if (seen.size === 0) this.addTo({ key: '' }, row.amount);
        return;
      }
      case 'member':
        this.addTo({ key: row.createdBy, fixedLabel: row.createdBy }, row.amount);
        return;
      case 'category':
      case 'group': {
        // Each part (or the expense whole) in its group; the expense counts once per group touched.
        const parts = row.splits ?? [{ categoryId: row.categoryId ?? null, amount: row.amount }];
        const amounts = new Map<string, { at: { key: string; fixedLabel?: string }; amount: number }>();
        for (const part of parts) {
          const at = this.by === 'category' ? this.categoryOf(part.categoryId) : this.groupOf(part.categoryId);
          const sum = amounts.get(at.key);
          if (sum) sum.amount += part.amount;
          else amounts.set(at.key, { at, amount: part.amount });
        }
        for (const { at, amount } of amounts.values()) this.addTo(at, amount);
        return;
      }
    }
  }

  /** A category's group: its id and current name; none, or one the budget no longer has: the uncategorized group. */
  private categoryOf(categoryId: string | null): { key: string; fixedLabel: string } {
    const category = categoryId === null ? undefined : this.categories.get(categoryId);
    return category ? { key: category.id, fixedLabel: category.name } : { key: UNCATEGORIZED_KEY, fixedLabel: UNCATEGORIZED_LABEL };
  }

  /** A category's category group by name; ungrouped, uncategorized or removed: "" (label null). */
  private groupOf(categoryId: string | null): { key: string; fixedLabel?: string } {
    const group = categoryId === null ? undefined : this.categories.get(categoryId)?.group;
    return group === undefined ? { key: '' } : { key: group, fixedLabel: group };
  }

  /** Did the total or a group's sum (at any point of the walk) pass 2^53 - 1? Then result() is not exact (check its `other.amount` too). */
  exceedsSafeIntegers(): boolean {
    return this.unsafe;
  }

  /**
   * The groups by amount (most first), ties by label (null as ""), then key; the first `limit`,
   * the rest summed in `other`. `names` (by=member): user id -> display name, null when the
   * member has none; a user id not in it (a former member), or null, labels its group by the id.
   */
  result(limit: number, names?: ReadonlyMap<string, string | null>): SpendingBreakdownResult {
    const ranked = [...this.groups.values()]
      .map((g) => ({ key: g.key, label: g.fixedLabel === undefined ? labelOf(g) : (names?.get(g.key) ?? g.fixedLabel), amount: g.amount, count: g.count }))
      .sort((a, b) => b.amount - a.amount || compare(a.label ?? '', b.label ?? '') || compare(a.key, b.key));
    const items = ranked.slice(0, limit).map((g) => ({ ...g, share: shareOf(g.amount, this.total) }));
    const rest = ranked.slice(limit);
    return {
      total: this.total,
      count: this.count,
      items,
      // Summed exactly: past 2^53 - 1 it is not a safe integer, which the service refuses.
      other: { amount: Number(rest.reduce((s, g) => s + BigInt(g.amount), 0n)), count: rest.reduce((s, g) => s + g.count, 0) },
    };
  }

  private addTo(at: { key: string; spelling?: string; fixedLabel?: string }, amount: number): void {
    let group = this.groups.get(at.key);
    if (!group) {
      group = { key: at.key, amount: 0, count: 0, ...(at.fixedLabel === undefined ? {} : { fixedLabel: at.fixedLabel }) };
      this.groups.set(at.key, group);
    }
    group.amount += amount;
    if (!Number.isSafeInteger(group.amount)) this.unsafe = true;
    group.count += 1;
    if (at.spelling !== undefined) {
      group.spellings ??= new Map();
      group.spellings.set(at.spelling, (group.spellings.get(at.spelling) ?? 0) + 1);
    }
  }
}

/** A merchant's or a tag's group: its searchKey and the spelling met; "" (no spelling) when absent or only spacing. */
function spelled(text: string | undefined): { key: string; spelling?: string } {
  if (text === undefined) return { key: '' };
  const key = searchKey(text);
  return key === '' ? { key } : { key, spelling: text };
}

/** The most frequent spelling; a tie: the smallest by code units. Null for the "" group. */
function labelOf(group: Group): string | null {
  if (group.fixedLabel !== undefined) return group.fixedLabel;
  return mostFrequentSpelling(group.spellings ?? []) ?? null;
}

/**
 * amount / total rounded to 4 decimals, a half up, computed exactly (integers past 2^53 / 10^4
 * included); 0 when total is 0 or below (no share of a negative whole). floor(x + 1/2) = floor((2 * amount * 10^4 + total) / (2 * total)):
 * BigInt division truncates toward zero, so a negative quotient (a group of refunds) is floored by
 * hand (-1/3 is -0.3333, not -0.3332).
 */
export function shareOf(amount: number, total: number): number {
  if (total <= 0) return 0;
  const n = BigInt(amount) * 20_000n + BigInt(total);
  const d = 2n * BigInt(total);
  const truncated = n / d;
  const tenThousandths = n < 0n && truncated * d !== n ? truncated - 1n : truncated;
  return Number(tenThousandths) / 10_000;
}

const compare = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
