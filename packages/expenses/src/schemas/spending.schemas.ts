import { ILL_FORMED_TEXT, isWellFormedText } from '@budgeting/platform';
import { queryInteger } from '@budgeting/platform/routes';
import { z } from '@hono/zod-openapi';
import { SPENDING_DEFAULT_LIMIT, SPENDING_GROUPINGS, SPENDING_MAX_DAYS, SPENDING_MAX_EXPENSES, SPENDING_MAX_LIMIT } from '../domain/spending-breakdown';
import { SPENDING_MONTHLY_DEFAULT_MONTHS, SPENDING_MONTHLY_MAX_MONTHS } from '../domain/spending-monthly';
import { MERCHANT_MAX } from '../domain/text-limits';
import { calendarDate, tag } from './expenses.schemas';
import { monthQuery } from './income.schemas';

/** Zod schemas of the spending breakdown (GET /v1/budgets/{budgetId}/spending). */

export const SpendingQuery = z
  .object({
    by: z
      .enum(SPENDING_GROUPINGS, { error: `Must be one of ${SPENDING_GROUPINGS.join(', ')}` })
      .openapi({
        param: { name: 'by', in: 'query' },
        example: 'merchant',
        description:
          '`merchant`: by merchant, ignoring spacing, case and accents (no merchant: `key` "", `label` null); ' +
          '`tag`: an expense counts in each of its tags, so the items can sum to more than `total` (untagged: `key` "", `label` null); ' +
          "`member`: by who recorded the expense (`createdBy`): `key` the user id, `label` the member's name (their email when they set none; the user id for a former member); " +
          '`category`: `key` the category id, `label` its current name; a split expense\'s parts count in their own categories (the expense counted once in each category it touches, so the counts can sum to more than `count`); ' +
          'spending without a category and in categories removed from the budget is one item, `key` `uncategorized` (as daily-spending\'s `categoryId=uncategorized`: the summary\'s `uncategorizedSpent`), `label` "Uncategorized"; ' +
          '`group`: the same by category group, `key` and `label` the group\'s name; ungrouped and removed categories and uncategorized spending: `key` "", `label` null.',
      }),
    from: calendarDate.optional().openapi({
      param: { name: 'from', in: 'query' },
      example: '2026-11-01',
      description: "First occurredOn counted (inclusive). With `to`, or neither: the budget's current period (today in its time zone).",
    }),
    to: calendarDate.optional().openapi({
      param: { name: 'to', in: 'query' },
      example: '2026-11-30',
      description: `Last occurredOn counted (inclusive): on or after \`from\`, at most ${SPENDING_MAX_DAYS} days with it.`,
    }),
    limit: queryInteger({ min: 1, max: SPENDING_MAX_LIMIT })
      .default(SPENDING_DEFAULT_LIMIT)
      .openapi({
        param: { name: 'limit', in: 'query' },
        default: SPENDING_DEFAULT_LIMIT,
        example: SPENDING_DEFAULT_LIMIT,
        description: `Groups listed at most, 1..${SPENDING_MAX_LIMIT}; the rest are summed in \`other\`.`,
      }),
  })
  .strict();

export type SpendingInput = z.infer<typeof SpendingQuery>;

const money = (example: number, description: string) => z.number().int().openapi({ example, description });

export const SpendingGroupSchema = z
  .object({
    key: z.string().openapi({
      example: 'corner market',
      description:
        'Stable id of the group: the merchant or tag folded (spacing, case, accents ignored; the key `?merchant=` and `?tag=` compare), the user id, the category id or the category group\'s name; ' +
        '"" for expenses without a merchant (by merchant), without tags (by tag) or in no category group (by group); `uncategorized` by category for spending without a category or in a removed one.',
    }),
    label: z.string().nullable().openapi({
      example: 'Corner Market',
      description:
        'What to show: the most frequent spelling in the range (a tie: the first by code units); by member the display name the members list shows ' +
        '(the name, else the email), or the user id for someone no longer a member; by category the category\'s current name ("Uncategorized" for `uncategorized`), by group the group\'s name; null for the "" group.',
    }),
    amount: money(
      48250,
      "The group's expenses' whole amounts (a split expense's too), minor units of the budget currency; by category and by group a split expense's parts in the group.",
    ),
    count: z.number().int().openapi({ example: 14, description: 'Expenses in the group (by category and by group a split expense counts once in each group its parts touch).' }),
    share: z.number().openapi({ example: 0.2413, description: '`amount` / `total`, rounded to 4 decimals (a half up); 0 when `total` is 0 or below (refunds outweigh the purchases: no share of a negative whole). A fraction, not money.' }),
  })
  .openapi('SpendingGroup');

/** A month by merchant: "" and null for the expenses without a merchant; the rest of the merchants summed in `other` (the schema's example and the route's `merchant` one). */
export const byMerchantExample = {
  by: 'merchant' as const,
  from: '2026-11-01',
  to: '2026-11-30',
  currency: 'USD',
  total: 199950,
  count: 57,
  items: [
    { key: 'corner market', label: 'Corner Market', amount: 48250, count: 14, share: 0.2413 },
    { key: '', label: null, amount: 12000, count: 3, share: 0.06 },
  ],
  other: { amount: 139700, count: 40 },
};

export const SpendingBreakdownSchema = z
  .object({
    by: z.enum(SPENDING_GROUPINGS).openapi({ example: 'merchant' }),
    from: z.string().openapi({ format: 'date', example: '2026-11-01' }),
    to: z.string().openapi({ format: 'date', example: '2026-11-30' }),
    currency: z.string().openapi({ example: 'USD', description: "The budget's currency: every amount is in its minor units." }),
    total: money(199950, 'Every expense of the range, each counted once.'),
    count: z.number().int().openapi({ example: 57, description: 'Expenses in the range.' }),
    items: z.array(SpendingGroupSchema).openapi({
      description:
        'The `limit` largest groups by `amount`, ties by `label` (null as ""), then `key`. By tag an expense is in each of its tags: the amounts can sum to more than `total`. ' +
        'By category and by group the amounts (with `other`) sum to `total` exactly, the counts can sum to more than `count` (a split expense in several).',
    }),
    other: z
      .object({
        amount: money(25200, 'The groups past `limit`, summed.'),
        count: z.number().int().openapi({ example: 9, description: "Those groups' `count`, summed (by tag, category or group an expense may count in several)." }),
      })
      .openapi('SpendingOther'),
  })
  .openapi('SpendingBreakdown', {
    description: `Computed on read from at most ${SPENDING_MAX_EXPENSES.toLocaleString('en-US')} expenses; a range holding more is a 422 naming \`from\`.`,
    example: byMerchantExample,
  });

/** Query of GET /v1/budgets/{budgetId}/spending/monthly: exactly one of `merchant` and `tag` (checked by the service, naming the field). */
export const SpendingMonthlyQuery = z
  .object({
    // Ill-formed text refused as every other merchant filter does; kept as sent otherwise (echoed back).
    merchant: z
      .string()
      .refine(isWellFormedText, { error: ILL_FORMED_TEXT, abort: true })
      .max(MERCHANT_MAX)
      .optional()
      .openapi({
        param: { name: 'merchant', in: 'query' },
        example: 'Amazon',
        description: "The merchant, matched as the breakdown's `by=merchant` groups (spacing, case and accents ignored). Exactly one of `merchant` and `tag` (else a 400 naming the field).",
      }),
    // The list's `?tag=` schema: a tag no expense can carry (too long, no visible character) is its 400.
    tag: tag
      .optional()
      .openapi({
        param: { name: 'tag', in: 'query' },
        example: 'vacation-2026',
        description:
          "The tag, matched as the breakdown's `by=tag` groups (case and accents ignored); an expense carrying it twice by folding counts once. " +
          "Validated as the list's `?tag=`: 1..32 characters with a visible one (else a 400 naming `query.tag`).",
      }),
    from: monthQuery(
      'from',
      `First month (inclusive). Default: ${SPENDING_MONTHLY_DEFAULT_MONTHS - 1} months before \`to\`. Not after \`to\`, and at most ${SPENDING_MONTHLY_MAX_MONTHS} months from it to \`to\` (else a 400 naming \`query.from\`).`,
    ),
    to: monthQuery('to', "Last month (inclusive). Default: the current month in the budget's time zone."),
  })
  .strict();

/** Amazon across a year's edge: a refund lowering January, an empty March, a split expense counted whole in February. */
export const spendingMonthlyExample = {
  merchant: 'amazon',
  label: 'Amazon',
  currency: 'USD',
  from: '2025-11',
  to: '2026-03',
  months: [
    { month: '2025-11', spent: 0, count: 0 },
    { month: '2025-12', spent: 4200, count: 2 },
    { month: '2026-01', spent: 300, count: 2 },
    { month: '2026-02', spent: 2501, count: 1 },
    { month: '2026-03', spent: 0, count: 0 },
  ],
  total: 7001,
  count: 5,
  averagePerMonth: 1400,
  firstOn: '2025-12-15',
  lastOn: '2026-02-10',
};

export const SpendingMonthlySchema = z
  .object({
    merchant: z.string().optional().openapi({ example: 'amazon', description: 'The merchant asked, as sent (absent when a `tag` was asked).' }),
    tag: z.string().optional().openapi({ example: 'vacation-2026', description: 'The tag asked, as sent (absent when a `merchant` was asked).' }),
    label: z.string().nullable().openapi({ example: 'Amazon', description: 'The most frequent spelling met in the range (a tie: the first by code units); null when nothing matched.' }),
    currency: z.string().openapi({ example: 'USD', description: "The budget's currency: every amount is in its minor units." }),
    from: z.string().openapi({ example: '2025-11', description: 'First month, YYYY-MM.' }),
    to: z.string().openapi({ example: '2026-03', description: 'Last month, YYYY-MM.' }),
    months: z
      .array(
        z
          .object({
            month: z.string().openapi({ example: '2025-12', description: 'YYYY-MM' }),
            spent: money(4200, "The month's matching expenses, refunds lowering it (so it may be negative); a split expense's whole amount."),
            count: z.number().int().openapi({ example: 2, description: 'Matching expenses of the month, refunds included.' }),
          })
          .openapi('SpendingMonthlyMonth'),
      )
      .openapi({ description: 'Every month from `from` to `to`, in order, zeros included.' }),
    total: money(7001, 'The months summed.'),
    count: z.number().int().openapi({ example: 5, description: 'Matching expenses in the range.' }),
    averagePerMonth: money(1400, '`total` / the number of months (empty ones included), rounded down to integer minor units.'),
    firstOn: z.string().nullable().openapi({ format: 'date', example: '2025-12-15', description: 'The earliest matching expense in the range; null when none.' }),
    lastOn: z.string().nullable().openapi({ format: 'date', example: '2026-02-10', description: 'The latest matching expense in the range; null when none.' }),
  })
  .openapi('SpendingMonthly', {
    description: `Computed on read from the range's expenses, at most ${SPENDING_MAX_EXPENSES.toLocaleString('en-US')} (the spending breakdown's bound); a range holding more is a 422 naming \`from\`.`,
    example: spendingMonthlyExample,
  });
