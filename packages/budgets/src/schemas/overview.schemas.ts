import { pagingQuery } from '@budgeting/platform/routes';
import { z } from '@hono/zod-openapi';
import { EXAMPLE_BUDGET_ID } from './common.schemas';
import { PaceSchema } from './summary.schemas';

/** Zod schemas of the home overview route (GET /v1/me/overview). */

/** Budgets per page: each costs three requests (its summary's two and its review count), so fewer than a list's 50. */
export const DEFAULT_OVERVIEW_PAGE = 10;
export const MAX_OVERVIEW_PAGE = 25;

export const OverviewQuery = z.strictObject(
  pagingQuery({ byDefault: DEFAULT_OVERVIEW_PAGE, max: MAX_OVERVIEW_PAGE, description: `Budgets per page, 1..${MAX_OVERVIEW_PAGE}.` }),
);

const money = (example: number, description: string) => z.number().int().openapi({ example, description });

const BudgetOverviewSchema = z
  .object({
    budgetId: z.string().openapi({ example: EXAMPLE_BUDGET_ID }),
    name: z.string().openapi({ example: 'Household' }),
    currency: z.string().openapi({ example: 'EUR', description: 'ISO 4217; every amount of the item is in its minor units.' }),
    role: z.enum(['owner', 'editor', 'viewer']).openapi({ description: "The caller's role in this budget." }),
    toReview: z.number().int().openapi({
      example: 12,
      description:
        'Expenses that need review (rows of a CSV or bank statement import nobody marked reviewed: GET .../expenses?reviewed=false), at most 99.',
    }),
    toReviewMore: z.boolean().openapi({ example: false, description: 'More than 99 expenses need review: show "99+".' }),
    period: z
      .object({ start: z.string().openapi({ example: '2026-11-01' }), end: z.string().openapi({ example: '2026-11-30' }) })
      .openapi({ description: "The current period, in the budget's time zone (the summary's periodStart and periodEnd)." }),
    limit: money(250000, "The budget's limit per period (the summary's `limit`)."),
    carriedOver: money(12000, "With rollover, what earlier periods carry into this one (the summary's `carriedOver`); 0 otherwise."),
    spent: money(203500, "Spent in the period (the summary's `spent`)."),
    remaining: money(58500, "limit + carriedOver - spent (the summary's `remaining`)."),
    percentUsed: z.number().int().nullable().openapi({
      example: 81,
      description:
        'spent as a whole percent of `limit`, rounded down (it passes 100 when overspent); null when the limit is 0. ' +
        'A threshold T is reached exactly when percentUsed >= T.',
    }),
    alertLevel: z.number().int().nullable().openapi({
      example: 80,
      description: "The highest budget-wide alert threshold reached in the period (the summary's `thresholdsCrossed`, scope `budget`); null when none.",
    }),
    categoriesOver: z.number().int().openapi({ example: 1, description: 'How many categories with a limit have spent more than it in the period (with category rollover: more than their `available`), i.e. whose summary line has a negative `remaining`.' }),
    targetsBehind: z.number().int().openapi({
      example: 0,
      description: "How many categories with a savings target are `behind` in the period (the summary line's `target.status`); 0 without targets.",
    }),
    // The component as is (a description here would wrap the $ref in allOf); BudgetPace says what it is.
    pace: PaceSchema,
  })
  .openapi('BudgetOverview');

export const OverviewSchema = z
  .object({
    items: z.array(BudgetOverviewSchema),
    nextCursor: z.string().nullable().openapi({ description: 'Pass as `cursor` for the next page; null on the last.' }),
    unreadNotifications: z
      .object({
        count: z.number().int().openapi({ example: 3, description: 'Unread notifications among the newest 100, at most 99.' }),
        more: z.boolean().openapi({ example: false, description: 'More than 99 unread among the newest 100: show "99+".' }),
      })
      .openapi({ description: 'Unread notifications (GET /v1/notifications), the same on every page.' }),
    generatedAt: z.string().openapi({ example: '2026-11-24T12:00:00.000Z', description: 'When the figures were read (RFC 3339, UTC).' }),
  })
  .openapi('Overview', {
    example: {
      items: [
        {
          budgetId: EXAMPLE_BUDGET_ID,
          name: 'Household',
          currency: 'EUR',
          role: 'owner',
          toReview: 12,
          toReviewMore: false,
          period: { start: '2026-11-01', end: '2026-11-30' },
          limit: 250000,
          carriedOver: 12000,
          spent: 203500,
          remaining: 58500,
          percentUsed: 81,
          alertLevel: 80,
          categoriesOver: 1,
          targetsBehind: 0,
          pace: { daysInPeriod: 30, daysElapsed: 24, daysLeft: 7, expectedSpent: 209600, status: 'on-track', dailyAllowance: 8357 },
        },
      ],
      nextCursor: null,
      unreadNotifications: { count: 3, more: false },
      generatedAt: '2026-11-24T12:00:00.000Z',
    },
  });

/** Conditional GET (the answer's weak ETag). Hono hands header names to the validator in lower case. */
export const OverviewHeaders = z.object({
  'if-none-match': z.string().optional().openapi({
    param: { in: 'header' },
    example: 'W/"kq3yJ0mU0n2t0Kk7mC2Xb1v9QeZ"',
    description: 'The ETag of the page you hold: 304 Not Modified, without a body, while its figures are unchanged.',
  }),
});
