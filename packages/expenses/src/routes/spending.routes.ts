import { bearerSecurity, problemResponses } from '@budgeting/platform/routes';
import { createRoute } from '@hono/zod-openapi';
import { SPENDING_MAX_DAYS, SPENDING_MAX_EXPENSES } from '../domain/spending-breakdown';
import { BudgetParams } from '../schemas/expenses.schemas';
import { SPENDING_MONTHLY_DEFAULT_MONTHS, SPENDING_MONTHLY_MAX_MONTHS } from '../domain/spending-monthly';
import { SpendingBreakdownSchema, SpendingMonthlyQuery, SpendingMonthlySchema, SpendingQuery, byMerchantExample, spendingMonthlyExample } from '../schemas/spending.schemas';

/**
 * The same month by category (`limit=3`; its range, `total` and `count` are the merchant example's): category ids as keys, the `uncategorized` item, the
 * amounts with `other` summing to `total`; the counts (49 + 10) more than `count` (57), split
 * expenses counting once in each category they touch.
 */
const byCategoryExample = {
  ...byMerchantExample,
  by: 'category',
  items: [
    { key: '01JDQ4V8M8A1B2C3D4E5F6G7H8', label: 'Groceries', amount: 92400, count: 31, share: 0.4621 },
    { key: '01JDQ4V8M8A1B2C3D4E5F6G7H9', label: 'Dining out', amount: 41200, count: 12, share: 0.2061 },
    { key: 'uncategorized', label: 'Uncategorized', amount: 18350, count: 6, share: 0.0918 },
  ],
  other: { amount: 48000, count: 10 },
};

/** Spending breakdown by merchant, tag, member, category or category group (service/spending-breakdown.service.ts). */
export const getSpendingBreakdown = createRoute({
  method: 'get',
  path: '/v1/budgets/{budgetId}/spending',
  operationId: 'getSpendingBreakdown',
  summary: 'Spending of a date range by merchant, tag, member, category or category group',
  description:
    "Any member, viewers included. The expenses dated in `from`..`to` (default: the budget's current period, today in its time zone; " +
    `at most ${SPENDING_MAX_DAYS} days) grouped by \`by\`, the \`limit\` largest groups first and the rest summed in \`other\`. ` +
    'By merchant, tag or member a split expense counts its whole amount in its group; by category (or group) its parts count in their own categories (or groups), ' +
    'the expense counted once in each. Spending without a category and in categories removed from the budget is the `uncategorized` item (the summary\'s `uncategorizedSpent`). ' +
    'By category `total` is the summary\'s `spent` for a range that is a period. By tag an expense counts in each of its tags, ' +
    "so the groups can sum to more than `total`. By member each group is labelled with the member's name as the members list shows it (the email when no name is set; " +
    'the user id for someone no longer a member). Money is integer minor units of the budget currency; `share` is a fraction rounded to 4 decimals. ' +
    `Computed on read from the range's expenses, at most ${SPENDING_MAX_EXPENSES.toLocaleString('en-US')}: a range holding more answers 422 naming \`from\` (narrow the range).`,
  tags: ['Expenses'],
  security: bearerSecurity,
  request: { params: BudgetParams, query: SpendingQuery },
  responses: {
    200: {
      description: 'The breakdown',
      content: {
        'application/json': {
          schema: SpendingBreakdownSchema,
          examples: {
            merchant: { summary: 'By merchant: "" (label null) for the expenses without a merchant', value: byMerchantExample },
            category: { summary: 'By category: category ids as keys, `uncategorized` for spending without a category or in a removed one', value: byCategoryExample },
          },
        },
      },
    },
    ...problemResponses(400, 401, 404, 422),
  },
});

/** One merchant's or tag's spending month by month (service/spending-monthly.service.ts). */
export const getSpendingMonthly = createRoute({
  method: 'get',
  path: '/v1/budgets/{budgetId}/spending/monthly',
  operationId: 'getSpendingMonthly',
  summary: "A merchant's or a tag's spending month by month",
  description:
    'Any member, viewers included; an archived budget answers too. Exactly one of `merchant` and `tag` (else a 400 naming the field), matched as the breakdown groups ' +
    '(spacing, case and accents ignored). Every month of `from`..`to` (months in the budget\'s time zone; default the ' +
    `${SPENDING_MONTHLY_DEFAULT_MONTHS} months through the current one; at most ${SPENDING_MONTHLY_MAX_MONTHS}, else a 400 naming \`query.from\`), zeros included, ` +
    'refunds lowering their month, a split expense counted once with its whole amount. `averagePerMonth`: `total` / the months, rounded down. ' +
    `Computed on read from the range's expenses with the spending breakdown's walk, at most ${SPENDING_MAX_EXPENSES.toLocaleString('en-US')} expenses (all of the range's, matching or not): ` +
    'a range holding more answers 422 naming `from` (narrow the range).',
  tags: ['Expenses'],
  security: bearerSecurity,
  request: { params: BudgetParams, query: SpendingMonthlyQuery },
  responses: {
    200: {
      description: 'The months',
      content: {
        'application/json': {
          schema: SpendingMonthlySchema,
          examples: { merchant: { summary: 'A merchant across a year edge: a refund, an empty month', value: spendingMonthlyExample } },
        },
      },
    },
    ...problemResponses(400, 401, 404, 422),
  },
});
