import { dayNumber, searchKey } from '@budgeting/platform';
import { spendingOf } from './refunds';

/**
 * Possible duplicates (GET /v1/budgets/{budgetId}/expenses/duplicates, as Actual's and Monarch's
 * duplicate detection and YNAB's matching): two members both recorded the same purchase, or a
 * hand-entered expense and an imported bank row are the same payment. Pure grouping here, fed
 * the range's expenses a page at a time (service/duplicates.service.ts).
 *
 * Two expenses are a possible pair when they have the same `amount`, the same merchant folded
 * by `searchKey` (platform text.ts: spacing, case, accents and ß/ss ignored: the key the
 * spending breakdown groups by and `?merchant=` compares) and dates at most
 * DUPLICATE_WINDOW_DAYS apart. Expenses without a merchant (or one of only spacing) are never
 * paired: the amount alone says too little. A pair a member dismissed ("not duplicates") is no
 * pair. Pairs connected through a shared expense form one group (A-B and B-C: A, B, C), so a
 * group may span more than the window; one whose every pair is dismissed is no group.
 */

/** The most days between the two dates of a possible pair (a bank row is often booked a day or two after the purchase). */
export const DUPLICATE_WINDOW_DAYS = 3;
/** The range without `from`/`to`: this many days through today in the budget's time zone. */
export const DUPLICATES_DEFAULT_DAYS = 90;
/** Expenses dismissed together at most (and at least) per call: 20 ids are 190 pairs. */
export const DISMISS_MIN_IDS = 2;
export const DISMISS_MAX_IDS = 20;
/**
 * Expenses listed at most in one answer (all groups together): a range holding more possible
 * duplicates is refused (422 naming `from`: narrow it), so the answer stays well inside the
 * function's 6 MB response (an expense is ~0.3-1 KB of JSON). Real duplicates are a handful;
 * thousands are alike purchases (a daily coffee at one price chains into one group).
 */
export const DUPLICATES_MAX_LISTED = 2_000;
/** Dismissed pairs kept per budget at most; a dismissal that would pass it is refused (422). */
export const MAX_DISMISSED_PAIRS = 2_000;

/** What the grouping needs of an expense (the list's Expense has it). */
export interface DuplicateCandidate {
  id: string;
  amount: number;
  occurredOn: string;
  merchant?: string;
  /** A refund pairs only with a refund (domain/refunds.ts): bucketed by its signed amount. */
  refund?: true;
}

/** The key of an unordered pair of expense ids: the smaller id first. */
export function pairKey(a: string, b: string): string {
  return a < b ? `${a}#${b}` : `${b}#${a}`;
}

/** Every unordered pair of `ids` (distinct), each once: n(n-1)/2 keys. */
export function pairsOf(ids: readonly string[]): string[] {
  const pairs: string[] = [];
  for (let i = 0; i < ids.length; i += 1) {
    for (let j = i + 1; j < ids.length; j += 1) pairs.push(pairKey(ids[i]!, ids[j]!));
  }
  return pairs;
}

/**
 * Collects the range's expenses, one `add` per expense in any order, keeping only those with a
 * merchant, bucketed by amount and folded merchant; `groups` pairs and groups them.
 */
export class DuplicateFinder<T extends DuplicateCandidate> {
  private readonly buckets = new Map<string, T[]>();

  add(expense: T): void {
    const merchant = expense.merchant === undefined ? '' : searchKey(expense.merchant);
    if (merchant === '') return;
    // Signed (spendingOf): a refund of 59.99 (-5999) is never alike a purchase of 59.99.
    const key = `${spendingOf(expense)} ${merchant}`;
    const bucket = this.buckets.get(key);
    if (bucket) bucket.push(expense);
    else this.buckets.set(key, [expense]);
  }

  /**
   * The groups, each oldest first (date, then id), newest group first (by its newest date, then
   * its newest expense's id, descending). `dismissed`: pair keys (pairKey) that are no pair.
   */
  groups(dismissed: ReadonlySet<string>): T[][] {
    const groups: T[][] = [];
    const dismissedIds = new Set([...dismissed].flatMap((pair) => pair.split('#')));
    for (const bucket of this.buckets.values()) {
      if (bucket.length < 2) continue;
      groups.push(...groupsOfBucket(bucket, bucket.some((e) => dismissedIds.has(e.id)) ? dismissed : undefined));
    }
    const newest = (g: T[]) => g[g.length - 1]!;
    return groups.sort((a, b) => compare(newest(b).occurredOn, newest(a).occurredOn) || compare(newest(b).id, newest(a).id));
  }
}

/**
 * One bucket's groups (same amount and merchant): the connected parts of the graph whose edges
 * are the pairs at most the window apart and not dismissed. Sorted by date, an expense's
 * partners are the next ones up to the window. Without a dismissal in the bucket, consecutive
 * pairs connect exactly what all pairs do (every expense between two partners is within the
 * window of its neighbours), so a bucket of many alike expenses costs linear time; `dismissed`
 * is given only for a bucket holding an expense of some dismissed pair.
 */
function groupsOfBucket<T extends DuplicateCandidate>(bucket: T[], dismissed: ReadonlySet<string> | undefined): T[][] {
  const sorted = [...bucket].sort((a, b) => compare(a.occurredOn, b.occurredOn) || compare(a.id, b.id));
  const days = sorted.map((e) => dayNumber(e.occurredOn));
  const parent = sorted.map((_, i) => i);
  const root = (i: number): number => {
    while (parent[i] !== i) i = parent[i] = parent[parent[i]!]!;
    return i;
  };
  const paired = new Set<number>();
  for (let i = 0; i < sorted.length; i += 1) {
    for (let j = i + 1; j < sorted.length && days[j]! - days[i]! <= DUPLICATE_WINDOW_DAYS; j += 1) {
      if (dismissed?.has(pairKey(sorted[i]!.id, sorted[j]!.id))) continue;
      parent[root(j)] = root(i);
      paired.add(i).add(j);
      if (!dismissed) break;
    }
  }
  const byRoot = new Map<number, T[]>();
  for (let i = 0; i < sorted.length; i += 1) {
    if (!paired.has(i)) continue;
    const r = root(i);
    const group = byRoot.get(r);
    if (group) group.push(sorted[i]!);
    else byRoot.set(r, [sorted[i]!]);
  }
  return [...byRoot.values()];
}

const compare = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
