import { z } from '@hono/zod-openapi';

/** What every budgets route shares: example ids, path parameters and request headers. */

export const EXAMPLE_BUDGET_ID = '01JDQ4V8M7ZK3X9A2B5C6D7E8F';
export const EXAMPLE_USER_ID = '01JDQ4T2W1R0P9N8M7K6J5H4G3';
export const EXAMPLE_CATEGORY_ID = '01JDQ4V8M8A1B2C3D4E5F6G7H8';

/** Which category a line of a period's figures is about, as the summary, the forecast and trends all show it. */
export const categoryLineFields = () => ({
  categoryId: z.string().openapi({ example: EXAMPLE_CATEGORY_ID }),
  name: z.string().openapi({ example: 'Groceries' }),
  limit: z.number().int().nullable().openapi({ example: 60000 }),
  group: z.string().nullable().openapi({ example: 'Everyday', description: 'Its category group; null when ungrouped.' }),
  hidden: z
    .boolean()
    .optional()
    .openapi({
      example: true,
      description:
        'Only on the line of a category hidden in the app (`hidden: true` on the budget; absent otherwise), as the line was made. ' +
        "A display hint: the line's figures count in every total, group, alert and report as any other line's.",
    }),
  emoji: z
    .string()
    .optional()
    .openapi({ example: '🛒', description: "Only on the line of a category with an emoji (the budget's `emoji`; absent otherwise), as the line was made." }),
  color: z
    .string()
    .optional()
    .openapi({ example: '#2E86C1', description: "Only on the line of a category with a color (`#RRGGBB`, upper-case; absent otherwise), as the line was made." }),
});

/**
 * What a line of a category with rollover carries on top (absent on the lines of other
 * categories): exactly the summary's figures for the category (packages/budgets/docs/periods-and-limits.md "Category rollover").
 */
export const categoryRolloverFields = () => ({
  carriedOver: z
    .number()
    .int()
    .optional()
    .openapi({
      example: 4000,
      description:
        "Category rollover only (absent otherwise): what the category's earlier periods since its `rolloverSince` left, " +
        '`limit - spent` each at the limit it had in that period (`limitHistory`, then `periodLimits`; negative when overspent); 0 in its first period.',
    }),
  available: z.number().int().optional().openapi({ example: 64000, description: 'Category rollover only (absent otherwise): limit + carriedOver.' }),
});

/** A target's figures on a category line (domain/category-target.ts; packages/budgets/docs/periods-and-limits.md "Category targets"). */
const TARGET_EXAMPLE = { amount: 120000, by: '2027-06-30', periodsLeft: 8, neededPerPeriod: 14000, status: 'on-track' as const };

/**
 * What a line of a category with a target carries (absent on other lines): the target and
 * where it stands in the line's period, from the line's own figures.
 */
export const categoryTargetField = () => ({
  target: z
    .object({
      amount: z.number().int().openapi({ example: 120000, description: 'What to have set aside, minor units.' }),
      by: z
        .string()
        .optional()
        .openapi({ format: 'date', example: '2027-06-30', description: 'The date it is needed by; absent for an undated target (a balance to reach, no date).' }),
      periodsLeft: z.number().int().nullable().openapi({
        example: 8,
        description:
          "Budget periods from this line's period through the one containing `by`, both included; 0 once `by` is past. " +
          'null for an undated target (no date to count to).',
      }),
      neededPerPeriod: z.number().int().nullable().openapi({
        example: 14000,
        description:
          'What each period from this one through `by` must add to reach `amount`: ceil((amount - (remaining - limit)) / periodsLeft); ' +
          '0 when funded; once `by` is past, the shortfall (amount - remaining). null for an undated target (no date, so no pace).',
      }),
      status: z.enum(['funded', 'on-track', 'behind']).openapi({
        example: 'on-track',
        description:
          'funded: remaining >= amount. on-track: remaining + limit x (periodsLeft - 1) >= amount (the limit of each later period ' +
          'up to `by` reaches it if nothing more is spent). behind: otherwise, and always once `by` is past unfunded. ' +
          'An undated target: funded when remaining >= amount; otherwise on-track when limit > 0 (each later period adds it), ' +
          'behind when limit is 0 (nothing moves it closer).',
      }),
    })
    .optional()
    .openapi({
      example: TARGET_EXAMPLE,
      description: "A rollover category's savings target (absent without one) and where it stands in this period, from this line's own `limit` and `remaining` (available - spent).",
    }),
});

/**
 * What a group's line carries when any of its categories rolls over (absent otherwise).
 */
export const groupRolloverFields = () => ({
  carriedOver: z
    .number()
    .int()
    .optional()
    .openapi({
      example: 4000,
      description: "Only when a category of the group rolls over (absent otherwise): its rollover categories' `carriedOver` summed.",
    }),
  available: z.number().int().optional().openapi({ example: 64000, description: 'Only when a category of the group rolls over (absent otherwise): limit + carriedOver.' }),
});

/**
 * Which category group a line is about, as the summary, the forecast and trends show it: the
 * fields a group's line shares with every line (`limit` and the amounts mean what they mean on
 * a category's line, summed over `categoryIds`).
 */
export const groupLineFields = () => ({
  name: z.string().openapi({ example: 'Everyday', description: "The group's label, as the categories carry it." }),
  categoryIds: z.array(z.string()).openapi({ example: [EXAMPLE_CATEGORY_ID], description: "Its categories, in the budget's order." }),
  limit: z
    .number()
    .int()
    .nullable()
    .openapi({ example: 60000, description: "Its categories' limits summed; null when none of them has one (a category without a limit adds nothing)." }),
});

/** What the `groups` of a figures answer say about themselves. */
export const GROUPS_DESCRIPTION =
  "The budget's category groups, in the order of each group's first category; each line sums its categories' lines. " +
  'Ungrouped categories, uncategorized spending and categories removed from the budget are in no group.';

/** "Required" for a missing field, `otherwise` for a value of the wrong type. */
export const requiredOr = (otherwise: string) => (issue: { input?: unknown }) => (issue.input === undefined ? 'Required' : otherwise);

export const BudgetIdParams = z.object({
  budgetId: z
    .string()
    .openapi({ param: { name: 'budgetId', in: 'path' }, example: EXAMPLE_BUDGET_ID }),
});

export const IfMatchHeaders = z.object({
  'if-match': z
    .string()
    .optional()
    // Hono hands header names to the validator in lower case, so the documented name is too
    // (HTTP header names are case-insensitive).
    .openapi({ param: { in: 'header' }, example: '"3"', description: 'The ETag of the version you read (or a comma-separated list, or *); strong comparison, so W/"3" never matches. 412 if none is the current version.' }),
});

export const IdempotencyHeaders = z.object({
  'idempotency-key': z.string().optional().openapi({
    param: { in: 'header' },
    example: '6f1c2f0e-2a47-4c1e-9d8a-3f3b1f1f2c10',
    description: 'Retry-safe creation: the same key and body within 24 h replays the first response.',
  }),
});
