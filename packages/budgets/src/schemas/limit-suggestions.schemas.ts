import { calendarDate, queryInteger } from '@budgeting/platform/routes';
import { z } from '@hono/zod-openapi';
import { EXAMPLE_CATEGORY_ID, categoryLineFields } from './common.schemas';

/**
 * Zod schemas of the quick budget route (GET /v1/budgets/{budgetId}/limit-suggestions). The
 * bases are spelled here (not imported from domain/limit-suggestions.ts, which the service loads
 * on first use: the routes' schemas are on every cold start); the service's types check that the
 * two lists agree.
 */
export const LIMIT_SUGGESTION_BASES = ['average-spent', 'last-period-spent', 'target'] as const;
export const DEFAULT_SUGGESTION_PERIODS = 3;

/** A suggestion line's emoji and color: the summary line's fields. */
const { emoji: lineEmoji, color: lineColor } = categoryLineFields();
export const MAX_SUGGESTION_PERIODS = 12;
export const MAX_ROUND_TO = 100_000;

export const LimitSuggestionsQuery = z.strictObject({
  basis: z
    .enum(LIMIT_SUGGESTION_BASES, { error: `Must be one of ${LIMIT_SUGGESTION_BASES.join(', ')}` })
    .default('average-spent')
    .openapi({
      param: { name: 'basis', in: 'query' },
      default: 'average-spent',
      example: 'average-spent',
      description:
        '`average-spent` (default): the mean spent per period over the `periods` complete periods before the one containing `date`, rounded up; ' +
        '`last-period-spent`: what the last of them (the period just before) spent; ' +
        "`target`: for a category with a dated savings target, the limit per period that reaches it from the period containing `date` on (its summary line's `neededPerPeriod` while neither funded nor past its date; a funded one keeps the pace that still reaches it, one past its date the limit that covers its shortfall now); every other category, one with an undated target too (no pace), keeps its limit (`unchanged: true`).",
    }),
  periods: queryInteger({ min: 1, max: MAX_SUGGESTION_PERIODS })
    .default(DEFAULT_SUGGESTION_PERIODS)
    .openapi({
      param: { name: 'periods', in: 'query' },
      default: DEFAULT_SUGGESTION_PERIODS,
      example: DEFAULT_SUGGESTION_PERIODS,
      description: `How many complete periods before the one containing \`date\` are listed in \`spent\` (and averaged by \`average-spent\`), 1..${MAX_SUGGESTION_PERIODS} (default ${DEFAULT_SUGGESTION_PERIODS}).`,
    }),
  date: calendarDate()
    .optional()
    .openapi({
      param: { name: 'date', in: 'query' },
      example: '2026-12-03',
      description: "Any day of the period the limits are for (the periods listed are those before it); default: today in the budget's time zone.",
    }),
  roundTo: queryInteger({ min: 1, max: MAX_ROUND_TO })
    .default(1)
    .openapi({
      param: { name: 'roundTo', in: 'query' },
      default: 1,
      example: 500,
      description: `Every suggestion is rounded UP to a multiple of this many minor units, 1..${MAX_ROUND_TO} (default 1: no rounding).`,
    }),
});

const money = (example: number, description?: string) => z.number().int().openapi({ example, ...(description ? { description } : {}) });

const SUGGESTION_EXAMPLE_CATEGORY = {
  categoryId: EXAMPLE_CATEGORY_ID,
  name: 'Groceries',
  groupName: 'Everyday',
  limit: 40000,
  suggested: 45500,
  change: 5500,
  unchanged: false,
  spent: [42000, 47350, 46920],
};

const PatchCategorySchema = z
  .object({
    id: z.string().openapi({ example: EXAMPLE_CATEGORY_ID }),
    name: z.string().openapi({ example: 'Groceries' }),
    limit: z.number().int().optional().openapi({ example: 45500, description: 'The suggested limit; absent when the category has none and keeps none.' }),
    group: z.string().optional().openapi({ example: 'Everyday' }),
    rollover: z.boolean().optional().openapi({ example: true }),
    target: z
      .object({
        amount: z.number().int().openapi({ example: 120000 }),
        by: z.string().optional().openapi({ format: 'date', example: '2027-06-30', description: 'Absent for an undated target.' }),
      })
      .optional(),
    note: z.string().optional().openapi({ example: 'Weekly shop' }),
    hidden: z.boolean().optional().openapi({ example: true }),
    emoji: z.string().optional().openapi({ example: '🛒' }),
    color: z.string().optional().openapi({ example: '#2E86C1' }),
  })
  .openapi('LimitSuggestionPatchCategory', {
    description: "A category exactly as PATCH /v1/budgets/{budgetId} takes it (`CategoryChange`): everything it carries unchanged (group, rollover, target, note, hidden, emoji, color), only `limit` replaced.",
  });

export const LimitSuggestionsSchema = z
  .object({
    basis: z.enum(LIMIT_SUGGESTION_BASES).openapi({ example: 'average-spent' }),
    periods: z.number().int().openapi({ example: 3, description: 'How many complete periods `spent` lists.' }),
    from: z.string().openapi({ format: 'date', example: '2026-09-01', description: 'First day of the first period listed.' }),
    to: z.string().openapi({ format: 'date', example: '2026-11-30', description: 'Last day of the last period listed (the one before the period containing `date`).' }),
    categories: z
      .array(
        z
          .object({
            categoryId: z.string().openapi({ example: EXAMPLE_CATEGORY_ID }),
            name: z.string().openapi({ example: 'Groceries' }),
            groupName: z.string().optional().openapi({ example: 'Everyday', description: 'Its category group; absent when ungrouped.' }),
            hidden: z
              .boolean()
              .optional()
              .openapi({ example: true, description: 'Only when the category is hidden in the app (absent otherwise): it gets no suggestion (`unchanged`, its limit kept).' }),
            emoji: lineEmoji,
            color: lineColor,
            limit: z.number().int().nullable().openapi({ example: 40000, description: 'The current limit; null when none.' }),
            suggested: money(45500, 'The suggested limit, rounded up to a multiple of `roundTo`, 0 or more. When `unchanged`: the current limit (0 when none).'),
            change: money(5500, 'suggested - (limit ?? 0).'),
            unchanged: z.boolean().openapi({ example: false, description: 'true when the basis does not apply to this category (basis `target`, a category without a target) or the category is hidden: it keeps its limit.' }),
            spent: z.array(z.number().int()).openapi({ example: [42000, 47350, 46920], description: "Its spending in each listed period, oldest first (the summary's `spent`)." }),
          })
          .openapi('LimitSuggestion'),
      )
      .openapi({ description: "The budget's categories, in its order." }),
    totals: z
      .object({
        limit: money(40000, "The current category limits summed (a category without one adds 0)."),
        suggested: money(45500, 'The suggestions summed.'),
      })
      .openapi({ description: 'Over the categories.' }),
    patch: z
      .object({ categories: z.array(PatchCategorySchema) })
      .openapi({
        description:
          "The body of PATCH /v1/budgets/{budgetId} that applies every suggestion: the budget's whole category list, each suggestion as its limit " +
          '(limit 0 included: PATCH accepts it, and a rollover category keeps a limit, so it stays valid), except a category without a limit whose ' +
          'suggestion is 0, which keeps none. Send it with `If-Match` set to this answer\'s ETag: 412 if the budget changed meanwhile.',
      }),
  })
  .openapi('LimitSuggestions', {
    example: {
      basis: 'average-spent',
      periods: 3,
      from: '2026-09-01',
      to: '2026-11-30',
      categories: [SUGGESTION_EXAMPLE_CATEGORY],
      totals: { limit: 40000, suggested: 45500 },
      patch: { categories: [{ id: EXAMPLE_CATEGORY_ID, name: 'Groceries', limit: 45500, group: 'Everyday', note: 'Weekly shop' }] },
    },
  });
