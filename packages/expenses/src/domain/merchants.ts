import type { MerchantSpending } from '@budgeting/budgets';

/**
 * Groups expenses by merchant and ranks them: most spent first, then most expenses, then
 * name. Names are compared trimmed and case-insensitively ("Lidl " and "LIDL" are one
 * merchant), shown as first met; expenses without a merchant are not ranked.
 */
export function rankMerchants(expenses: { amount: number; merchant?: string }[], limit: number): MerchantSpending[] {
  const groups = new Map<string, MerchantSpending>();
  for (const { amount, merchant } of expenses) {
    const name = merchant?.trim();
    if (!name) continue;
    const key = name.normalize('NFC').toLowerCase();
    const group = groups.get(key) ?? { merchant: name, spent: 0, count: 0 };
    group.spent += amount;
    group.count += 1;
    groups.set(key, group);
  }
  return [...groups.values()]
    .sort((a, b) => b.spent - a.spent || b.count - a.count || a.merchant.localeCompare(b.merchant))
    .slice(0, limit);
}
