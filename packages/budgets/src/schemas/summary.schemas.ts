import { calendarDate } from '@budgeting/platform/routes';
import { z } from '@hono/zod-openapi';
import { EXAMPLE_CATEGORY_ID, GROUPS_DESCRIPTION, categoryLineFields, categoryRolloverFields, categoryTargetField, groupLineFields, groupRolloverFields } from './common.schemas';

/** Zod schemas of the budget summary route. */

export const SummaryQuery = z.strictObject({
  date: calendarDate()
    .optional()
    .openapi({
      param: { name: 'date', in: 'query' },
      example: '2026-11-24',
      description: "Any day of the wanted period; default: today in the budget's time zone.",
    }),
});

// The example summary's: 262000 available, 203500 spent, on 24 November.
const PACE_EXAMPLE = { daysInPeriod: 30, daysElapsed: 24, daysLeft: 7, expectedSpent: 209600, status: 'on-track', dailyAllowance: 8357 } as const;

/** The fields of a pace (domain/pace-math.ts); a function, as the category's nullable one is inline (below). */
const paceObject = () =>
  z.object({
    daysInPeriod: z.number().int().openapi({ example: 30 }),
    daysElapsed: z.number().int().openapi({
      example: 24,
      description: "Days from the period's first day to the pace day, both included (daysInPeriod once the period has ended).",
    }),
    daysLeft: z.number().int().openapi({
      example: 7,
      description: "Days from the pace day to the period's last day, both included, so daysElapsed + daysLeft = daysInPeriod + 1; 0 once the period has ended.",
    }),
    expectedSpent: z.number().int().openapi({
      example: 209600,
      description: 'What an even pace would have spent by now: max(0, available) x daysElapsed / daysInPeriod, rounded down.',
    }),
    status: z.enum(['under', 'on-track', 'over']).openapi({
      example: 'on-track',
      description:
        '`over` when spent > available, whatever the day. Otherwise spent is compared with the exact expected amount ' +
        '(max(0, available) x daysElapsed / daysInPeriod, before rounding): within 5% of max(0, available) either way is ' +
        '`on-track`, less is `under`, more is `over` (spending ahead of time).',
    }),
    dailyAllowance: z.number().int().openapi({
      example: 8357,
      description: 'What can still be spent each day left: max(0, remaining) / daysLeft, rounded down, so spending it every day never passes available; 0 when no day is left.',
    }),
  });

/** The budget's pace, a component: the summary's and the home overview items'. */
export const PaceSchema = paceObject().openapi('BudgetPace', {
  description:
    "How spending stands against time in the period, on the pace day: the summary's `date` (default today in the budget's " +
    "time zone), counted as elapsed and as left. A period that ended before today (in the budget's time zone) is judged " +
    'as a whole: daysElapsed = daysInPeriod, daysLeft 0, expectedSpent = max(0, available), dailyAllowance 0, status from ' +
    'the final spent. A future period is paced on `date` like the current one, against what is recorded in it so far. ' +
    "The budget's pace uses `available` (rollover included; a negative one counts as 0 to spend) and `remaining`; a " +
    "category's uses its own limit, or with category rollover its `available`. Integer minor units.",
  example: PACE_EXAMPLE,
});

export const SummarySchema = z
  .object({
    periodStart: z.string().openapi({ example: '2026-11-01' }),
    periodEnd: z.string().openapi({ example: '2026-11-30' }),
    limit: z.number().int().openapi({ example: 250000 }),
    carriedOver: z.number().int().openapi({
      example: 12000,
      description: 'With rollover: unspent (negative when overspent) amount of all earlier periods since the budget was created.',
    }),
    available: z.number().int().openapi({ example: 262000, description: 'limit + carriedOver' }),
    spent: z.number().int().openapi({ example: 203500 }),
    remaining: z.number().int().openapi({ example: 58500, description: 'available - spent' }),
    categories: z.array(
      z.object({
        ...categoryLineFields(),
        ...categoryRolloverFields(),
        spent: z.number().int().openapi({ example: 51000 }),
        remaining: z
          .number()
          .int()
          .nullable()
          .openapi({ example: 13000, description: 'limit - spent (with category rollover: available - spent); null without a limit.' }),
        ...categoryTargetField(),
        // Inline, not the component: a nullable $ref is generated as allOf [$ref, {type: [object, null]}], which null fails.
        pace: paceObject()
          .nullable()
          .openapi({
            description: "The category's pace against its own limit (with category rollover: its `available`; see BudgetPace); null without a limit.",
            // 60000 limit, 51000 spent on 24 November: 48000 expected, 3000 ahead = 5% of the limit.
            example: { ...PACE_EXAMPLE, expectedSpent: 48000, status: 'on-track', dailyAllowance: 1285 },
          }),
      }),
    ),
    groups: z
      .array(
        z
          .object({
            ...groupLineFields(),
            ...groupRolloverFields(),
            spent: z.number().int().openapi({ example: 51000 }),
            remaining: z
              .number()
              .int()
              .nullable()
              .openapi({ example: 9000, description: "limit - spent (all its categories' spending; with a rollover category: available - spent); null without a limit." }),
          })
          .openapi('SummaryGroup'),
      )
      .openapi({ description: GROUPS_DESCRIPTION }),
    uncategorizedSpent: z.number().int().openapi({ example: 1500 }),
    thresholdsCrossed: z
      .array(
        z.object({
          scope: z.enum(['budget', 'category']),
          categoryId: z.string().nullable(),
          threshold: z.number().int(),
        }),
      )
      .openapi({
        description:
          'Alert thresholds reached in this period: budget-wide (percent of `limit`) or for a category (percent of its own ' +
          'limit). Once reached, a threshold stays listed for the period even if spending drops back below it: ' +
          '`budget.threshold_crossed` is published once per period, scope and threshold, the first time it is reached.',
        example: [
          { scope: 'budget', categoryId: null, threshold: 80 },
          { scope: 'category', categoryId: EXAMPLE_CATEGORY_ID, threshold: 80 },
        ],
      }),
    pace: PaceSchema,
  })
  .openapi('BudgetSummary');
