import type { ModuleStore } from '@budgeting/platform';
import type { MerchantUse } from '../domain/merchant-suggestions';
import type { TagUse } from '../domain/tag-suggestions';
import { walkDateIndex } from './date-index-walk';
import { REFUND_ATTRIBUTE, refundField } from '../domain/refunds';

/** What the window read: the uses, newest first, and whether it reached the start of its date range. */
export interface WindowRead<Use> {
  uses: Use[];
  /** false: more than `maxExpenses` expenses are dated in the range; only the newest `maxExpenses` are in `uses`. */
  complete: boolean;
}

export type MerchantWindowRead = WindowRead<MerchantUse>;

/** What a window examined, as every window-based answer reports it (`window` in the OpenAPI document). */
export interface WindowSummary {
  /** The earliest occurredOn examined: the window's first day, or when cut short the oldest expense examined's. */
  from: string;
  expensesExamined: number;
  /** false: the budget has more expenses in the days than the bound; the oldest of them are not examined. */
  complete: boolean;
}

/** The summary of a window read from `firstDay` (its uses newest first). */
export function windowSummary(firstDay: string, { uses, complete }: WindowRead<{ occurredOn: string }>): WindowSummary {
  return { from: complete || uses.length === 0 ? firstDay : uses[uses.length - 1]!.occurredOn, expensesExamined: uses.length, complete };
}

/**
 * The size of a window over a budget's newest expenses, for the services that read one (the
 * merchant suggestions, the bill finder and the rule suggestions): at most `maxExpenses` of those dated in the last
 * `days` days. Tests lower it; production passes nothing and each service takes its domain's
 * constants.
 */
export interface WindowOptions {
  maxExpenses?: number;
  days?: number;
}

/**
 * The newest expenses of a budget dated on or after `from` (future dates included), at most
 * `maxExpenses`, for the merchant and tag suggestions (domain/merchant-suggestions.ts, tag-suggestions.ts) and the bill
 * finder (domain/bill-detection.ts, a larger window): the expense list's own Query (gsi1,
 * the budget's date index, descending, walkDateIndex), only merchant, category, amount, date
 * and the refund flag (the bill finder leaves refunds out) projected; at most `maxExpenses` + 1 items read, whatever the budget holds. In AWS an
 * expense just written may take a moment to appear, as in the lists.
 */
export class MerchantWindow {
  constructor(private readonly store: ModuleStore) {}

  async read(budgetId: string, from: string, maxExpenses: number): Promise<MerchantWindowRead> {
    return this.walk(budgetId, from, maxExpenses, ['merchant', 'categoryId', 'amount', 'occurredOn', REFUND_ATTRIBUTE], toUse);
  }

  /** The same window for the tag suggestions (domain/tag-suggestions.ts): only tags and date projected. */
  async readTags(budgetId: string, from: string, maxExpenses: number): Promise<WindowRead<TagUse>> {
    return this.walk(budgetId, from, maxExpenses, ['tags', 'occurredOn'], toTagUse);
  }

  private async walk<Use>(
    budgetId: string,
    from: string,
    maxExpenses: number,
    attributes: readonly string[],
    toUse: (item: Record<string, unknown>) => Use,
  ): Promise<WindowRead<Use>> {
    const uses: Use[] = [];
    const walk = { budgetId, from, to: undefined, attributes, maxExpenses, newestFirst: true };
    const { tooMany } = await walkDateIndex(this.store, walk, (items) => uses.push(...items.map(toUse)));
    return { uses, complete: !tooMany };
  }
}

/** A projected item's tags (none: absent) and date. */
function toTagUse(item: Record<string, unknown>): TagUse {
  const tags = Array.isArray(item.tags) ? item.tags.filter((t): t is string => typeof t === 'string') : [];
  return { ...(tags.length > 0 ? { tags } : {}), occurredOn: String(item.occurredOn) };
}

/** A projected item as a use: a split expense's (and an uncategorized one's) categoryId is null or absent. */
function toUse(item: Record<string, unknown>): MerchantUse {
  return {
    ...(typeof item.merchant === 'string' ? { merchant: item.merchant } : {}),
    categoryId: typeof item.categoryId === 'string' ? item.categoryId : null,
    amount: Number(item.amount),
    occurredOn: String(item.occurredOn),
    ...refundField(item[REFUND_ATTRIBUTE] === true),
  };
}
