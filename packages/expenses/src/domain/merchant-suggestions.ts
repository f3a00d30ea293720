import { searchKey } from '@budgeting/platform';

/**
 * Payee autocomplete (GET /v1/budgets/{budgetId}/merchants, as YNAB's and Actual's payee
 * fields): the merchants of a budget's recent expenses, most used first, each with the
 * category it was filed under most often, so the app can pre-fill it. Computed on read from
 * a bounded window of the budget's newest expenses (service/merchants.service.ts), never
 * stored: the write path is unchanged.
 */

/** The newest expenses examined: at most this many (the window's hard bound on items read)... */
export const MERCHANT_WINDOW_MAX_EXPENSES = 1000;
/** ...and only those dated within this many days up to today (today included), whichever is fewer. */
export const MERCHANT_WINDOW_DAYS = 180;

/** What the window reads of one expense (the Query's projection). */
export interface MerchantUse {
  merchant?: string;
  /** null: uncategorized, or a split expense (its parts name the categories; see suggestMerchants). */
  categoryId: string | null;
  amount: number;
  occurredOn: string;
  /** Only on a refund (domain/refunds.ts): the bill finder leaves it out. */
  refund?: true;
}

export interface MerchantSuggestion {
  /** The spelling of its most recent use. */
  merchant: string;
  /** Expenses with this merchant in the window. */
  count: number;
  lastUsedOn: string;
  /**
   * The amount of its most recent use that is not a refund, minor units (what a new purchase
   * there is pre-filled with). Only refunds in the window: the most recent refund's amount.
   */
  lastAmount: number;
  /** The category most used with it in the window (still one of the budget's), null when none. */
  categoryId: string | null;
}

interface Group {
  suggestion: MerchantSuggestion;
  key: string;
  /** Per category: uses, and the date of the latest (the tie-break). */
  votes: Map<string, { count: number; lastOn: string }>;
  /** The use `lastAmount` was taken from: its date, and whether it was a refund (a purchase then replaces it). */
  amountFrom: { on: string; refund: boolean };
}

/**
 * Groups expenses by merchant: `searchKey` of the merchant (whitespace trimmed and
 * collapsed, case, accents, ß/ss ignored: the key `?merchant=` on the expense list compares,
 * so a suggestion's count is what that filter finds in the window). Expenses without a
 * merchant are skipped.
 *
 * `uses` newest first, as the date index returns them: the most recent use of a group (the
 * latest `occurredOn`; on equal dates the first met) gives its spelling and `lastUsedOn`;
 * `lastAmount` is that of the most recent use that is not a refund (a refund's amount would
 * pre-fill a purchase with what came back), the most recent refund's only when the window
 * holds nothing else of the merchant (the field is always there: a fallback, not a guess).
 *
 * `categoryId`: each use filed under ONE category that `isCategory` accepts (one of the
 * budget's: a removed category would be refused by the create the suggestion pre-fills)
 * is a vote; the most votes win, a tie goes to the category used most recently (then the
 * first met). A split expense counts as a use (count, last use) but casts no vote: it has
 * no single category, and a suggestion pre-fills one; an uncategorized expense casts none
 * either. No vote: null.
 */
export function groupMerchants(uses: readonly MerchantUse[], isCategory: (categoryId: string) => boolean = () => true): MerchantSuggestion[] {
  const groups = new Map<string, Group>();
  for (const use of uses) {
    if (use.merchant === undefined) continue;
    const key = searchKey(use.merchant);
    if (key === '') continue;
    let group = groups.get(key);
    if (!group) {
      group = {
        key,
        suggestion: { merchant: use.merchant, count: 0, lastUsedOn: use.occurredOn, lastAmount: use.amount, categoryId: null },
        votes: new Map(),
        amountFrom: { on: use.occurredOn, refund: use.refund === true },
      };
      groups.set(key, group);
    } else {
      if (use.occurredOn > group.suggestion.lastUsedOn) Object.assign(group.suggestion, { merchant: use.merchant, lastUsedOn: use.occurredOn });
      if (givesAmount(use, group.amountFrom)) {
        group.suggestion.lastAmount = use.amount;
        group.amountFrom = { on: use.occurredOn, refund: use.refund === true };
      }
    }
    group.suggestion.count += 1;
    if (use.categoryId !== null && isCategory(use.categoryId)) {
      const vote = group.votes.get(use.categoryId) ?? { count: 0, lastOn: use.occurredOn };
      vote.count += 1;
      if (use.occurredOn > vote.lastOn) vote.lastOn = use.occurredOn;
      group.votes.set(use.categoryId, vote);
    }
  }
  return [...groups.values()].map((group) => ({ ...group.suggestion, categoryId: mostVoted(group.votes) }));
}

/**
 * Whether `use` gives the amount instead of the use it came `from`: a purchase over a refund
 * whatever their dates, else (both purchases, or both refunds) a later date; on equal dates
 * the first met keeps it.
 */
function givesAmount(use: MerchantUse, from: { on: string; refund: boolean }): boolean {
  const refund = use.refund === true;
  if (refund !== from.refund) return from.refund;
  return use.occurredOn > from.on;
}

/** Most votes; on a tie the latest use; then the first met (Map order). */
function mostVoted(votes: Map<string, { count: number; lastOn: string }>): string | null {
  let best: { id: string; count: number; lastOn: string } | undefined;
  for (const [id, vote] of votes) {
    if (!best || vote.count > best.count || (vote.count === best.count && vote.lastOn > best.lastOn)) best = { id, ...vote };
  }
  return best?.id ?? null;
}

/**
 * The suggestions for a request: grouped (groupMerchants), those matching the prefix `q`
 * (matchesPrefix), ordered by count, then last use (newest first), then their key (so equal
 * ones come in a stable order), the first `limit`.
 */
export function suggestMerchants(
  uses: readonly MerchantUse[],
  request: { q?: string; limit: number; isCategory?: (categoryId: string) => boolean },
): MerchantSuggestion[] {
  return rankSuggestions(groupMerchants(uses, request.isCategory), (s) => s.merchant, request);
}

/**
 * The ranking the suggestion lists share (merchants, tags): those whose name matches the
 * prefix `q` (matchesPrefix), ordered by count, then last use (newest first), then their
 * key (so equal ones come in a stable order), the first `limit`.
 */
export function rankSuggestions<S extends { count: number; lastUsedOn: string }>(
  suggestions: readonly S[],
  nameOf: (suggestion: S) => string,
  request: { q?: string; limit: number },
): S[] {
  const prefix = request.q === undefined ? undefined : searchKey(request.q);
  return suggestions
    .filter((s) => prefix === undefined || matchesPrefix(nameOf(s), prefix))
    .map((s) => ({ s, key: searchKey(nameOf(s)) }))
    .sort((a, b) => b.s.count - a.s.count || compare(b.s.lastUsedOn, a.s.lastUsedOn) || compare(a.key, b.key))
    .slice(0, request.limit)
    .map(({ s }) => s);
}

const compare = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/**
 * Does the merchant start with `prefix` (a searchKey), or does one of its words? Both sides
 * compared by searchKey, so case and accents are ignored: "cafe" and "nero" both find "Café
 * Nero", "cafe ne" too, "afe" does not. A word starts after any character that is not a
 * letter, a digit or an apostrophe: "eleven" finds "7-Eleven", "spencer" finds "Marks &
 * Spencer", but "s" does not find "McDonald's".
 */
export function matchesPrefix(merchant: string, prefix: string): boolean {
  if (prefix === '') return true;
  const key = searchKey(merchant);
  for (let at = key.indexOf(prefix); at !== -1; at = key.indexOf(prefix, at + 1)) {
    if (at === 0 || !WORD_CHARACTER.test(codePointBefore(key, at))) return true;
  }
  return false;
}

const WORD_CHARACTER = /^[\p{L}\p{N}\p{M}'\u2019]$/u;

/** The whole character (a surrogate pair too) ending right before `at`. */
function codePointBefore(text: string, at: number): string {
  const low = text.charCodeAt(at - 1);
  const start = low >= 0xdc00 && low <= 0xdfff && at >= 2 ? at - 2 : at - 1;
  return String.fromCodePoint(text.codePointAt(start)!);
}
