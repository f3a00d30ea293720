import type { ModuleStore } from '@budgeting/platform';
import type { MerchantUse } from '../domain/merchant-suggestions';
import { expenseKeys } from './keys';

/** What the window read: the uses, newest first, and whether it reached the start of its date range. */
export interface MerchantWindowRead {
  uses: MerchantUse[];
  /** false: more than `maxExpenses` expenses are dated in the range; only the newest `maxExpenses` are in `uses`. */
  complete: boolean;
}

/**
 * The size of a window over a budget's newest expenses, for the services that read one (the
 * merchant suggestions and the bill finder): at most `maxExpenses` of those dated in the last
 * `days` days. Tests lower it; production passes nothing and each service takes its domain's
 * constants.
 */
export interface WindowOptions {
  maxExpenses?: number;
  days?: number;
}

/**
 * The newest expenses of a budget dated on or after `from` (future dates included), at most
 * `maxExpenses`, for the merchant suggestions (domain/merchant-suggestions.ts) and the bill
 * finder (domain/bill-detection.ts, a larger window): the expense list's own Query (gsi1,
 * the budget's date index, descending), with a ProjectionExpression so only merchant,
 * category, amount and date come back. Each Query's Limit is what is left to reach
 * `maxExpenses` + 1 (the one more tells "cut short" from "the range ended there"), so at most
 * `maxExpenses` + 1 items are ever read, whatever the budget holds. A projection
 * saves transfer, not capacity: DynamoDB bills the whole items read (0.5 RCU per 4 KB,
 * eventually consistent, as every index read). In AWS an expense just written may take a
 * moment to appear, as in the lists.
 */
export class MerchantWindow {
  private readonly keys: ReturnType<typeof expenseKeys>;

  constructor(private readonly store: ModuleStore) {
    this.keys = expenseKeys(store);
  }

  async read(budgetId: string, from: string, maxExpenses: number): Promise<MerchantWindowRead> {
    const { lo, hi } = this.keys.dateRange(from, undefined);
    const uses: MerchantUse[] = [];
    let startKey: Record<string, unknown> | undefined;
    do {
      const page = await this.store.query<Record<string, unknown>>({
        IndexName: 'gsi1',
        KeyConditionExpression: 'gsi1pk = :pk AND gsi1sk BETWEEN :lo AND :hi',
        ExpressionAttributeValues: { ':pk': this.keys.budgetPk(budgetId), ':lo': lo, ':hi': hi },
        ProjectionExpression: '#merchant, #categoryId, #amount, #occurredOn',
        ExpressionAttributeNames: { '#merchant': 'merchant', '#categoryId': 'categoryId', '#amount': 'amount', '#occurredOn': 'occurredOn' },
        ScanIndexForward: false,
        Limit: maxExpenses + 1 - uses.length,
        ExclusiveStartKey: startKey,
      });
      uses.push(...page.items.map(toUse));
      if (uses.length > maxExpenses) return { uses: uses.slice(0, maxExpenses), complete: false };
      startKey = page.lastKey;
    } while (startKey);
    return { uses, complete: true };
  }
}

/** A projected item as a use: a split expense's (and an uncategorized one's) categoryId is null or absent. */
function toUse(item: Record<string, unknown>): MerchantUse {
  return {
    ...(typeof item.merchant === 'string' ? { merchant: item.merchant } : {}),
    categoryId: typeof item.categoryId === 'string' ? item.categoryId : null,
    amount: Number(item.amount),
    occurredOn: String(item.occurredOn),
  };
}
