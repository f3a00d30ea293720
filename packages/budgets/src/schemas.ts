import { MAX_AMOUNT_MINOR, calendarDate, isCurrencyCode, isTimeZone, listSchema } from '@budgeting/platform';
import { z } from '@hono/zod-openapi';
import { DEFAULT_ALERT_THRESHOLDS, MAX_CATEGORIES } from './model';

/**
 * Zod schemas of the budgets module's HTTP bodies and responses. They validate requests
 * (unknown fields are refused by `.strict()`, each bad field is named) and generate the
 * OpenAPI document, so the docs cannot drift from what the API accepts.
 */

// ---- building blocks -------------------------------------------------------------------

const EXAMPLE_BUDGET_ID = '01JDQ4V8M7ZK3X9A2B5C6D7E8F';
const EXAMPLE_USER_ID = '01JDQ4T2W1R0P9N8M7K6J5H4G3';
const EXAMPLE_CATEGORY_ID = '01JDQ4V8M8A1B2C3D4E5F6G7H8';

/** "Required" for a missing field, `otherwise` for a value of the wrong type. */
const requiredOr = (otherwise: string) => (issue: { input?: unknown }) => (issue.input === undefined ? 'Required' : otherwise);

const Amount = z
  .number({ error: requiredOr('Must be an integer amount in minor units (cents for USD)') })
  .int('Must be an integer amount in minor units (cents for USD)')
  .min(0, 'Must be 0 or more')
  .max(MAX_AMOUNT_MINOR, `Must be at most ${MAX_AMOUNT_MINOR}`);

const BudgetName = z
  .string({ error: requiredOr('Must be a string') })
  .trim()
  .min(1, 'Must not be empty')
  .max(100, 'Must be at most 100 characters')
  .openapi({ example: 'Household' });

const CategoryName = z
  .string({ error: requiredOr('Must be a string') })
  .trim()
  .min(1, 'Must not be empty')
  .max(100, 'Must be at most 100 characters')
  .openapi({ example: 'Groceries' });

const Currency = z
  .string({ error: requiredOr('Must be an ISO 4217 currency code such as "USD"') })
  .refine(isCurrencyCode, 'Must be an ISO 4217 currency code in capitals, such as "USD"')
  .openapi({ example: 'EUR', description: 'ISO 4217 code; amounts are in its minor unit.' });

const Timezone = z
  .string()
  .refine(isTimeZone, 'Must be an IANA time zone such as "Europe/Paris" or "UTC"')
  .openapi({ example: 'Europe/Paris', description: 'IANA time zone in which periods start and end.' });

const Period = z
  .enum(['weekly', 'monthly', 'yearly'])
  .openapi({ description: 'weekly = ISO weeks (Monday..Sunday); monthly = calendar month; yearly = calendar year.' });

const Thresholds = z
  .array(z.number().int('Must be an integer percent').min(1, 'Must be at least 1').max(1000, 'Must be at most 1000'))
  .max(20, 'At most 20 thresholds')
  .superRefine((values, ctx) => {
    values.forEach((v, i) => {
      if (values.indexOf(v) !== i) ctx.addIssue({ code: 'custom', path: [i], message: `Duplicate threshold ${v}` });
    });
  })
  .openapi({ example: [80, 100], description: 'Percents of the limit (1..1000) at which alerts fire.' });

/** Category names are unique within a budget, ignoring case and surrounding spaces. */
function uniqueCategoryNames(categories: { name: string }[], ctx: z.RefinementCtx) {
  const seen = new Set<string>();
  categories.forEach((c, i) => {
    const key = c.name.normalize('NFC').toLowerCase();
    if (seen.has(key)) ctx.addIssue({ code: 'custom', path: [i, 'name'], message: `Duplicate category name "${c.name}"` });
    seen.add(key);
  });
}

const CategoryLimit = Amount.nullish().openapi({
  example: 40000,
  description: "The category's own limit per period in minor units; omit or null for none.",
});

const NewCategory = z.object({ name: CategoryName, limit: CategoryLimit }).strict().openapi('NewCategory');

const CategoryChange = z
  .object({
    id: z
      .string()
      .min(1)
      .max(64)
      .optional()
      .openapi({ example: EXAMPLE_CATEGORY_ID, description: 'Keep an existing category (its id); omit to add a new one.' }),
    name: CategoryName,
    limit: CategoryLimit,
  })
  .strict()
  .openapi('CategoryChange');

// ---- requests --------------------------------------------------------------------------

export const CreateBudgetBody = z
  .object({
    name: BudgetName,
    currency: Currency.optional().openapi({ description: "ISO 4217 code; amounts are in its minor unit. Default: the caller's currency (GET /v1/me)." }),
    period: Period.default('monthly'),
    timezone: Timezone.optional().openapi({ description: "IANA time zone in which periods start and end. Default: the caller's time zone (GET /v1/me)." }),
    limit: Amount.openapi({ example: 250000, description: 'Amount available each period, in minor units.' }),
    categories: z
      .array(NewCategory)
      .max(MAX_CATEGORIES, `At most ${MAX_CATEGORIES} categories`)
      .superRefine(uniqueCategoryNames)
      .default([]),
    rollover: z.boolean().default(false),
    alertThresholds: Thresholds.default(DEFAULT_ALERT_THRESHOLDS),
  })
  .strict()
  .openapi('CreateBudget', {
    example: {
      name: 'Household',
      currency: 'EUR',
      period: 'monthly',
      timezone: 'Europe/Paris',
      limit: 250000,
      categories: [{ name: 'Groceries', limit: 60000 }, { name: 'Transport' }],
      rollover: true,
      alertThresholds: [80, 100],
    },
  });

export const UpdateBudgetBody = z
  .object({
    name: BudgetName.optional(),
    currency: Currency.optional().openapi({
      description: 'Cannot change once created; sending the current value is accepted.',
    }),
    period: Period.optional(),
    timezone: Timezone.optional(),
    limit: Amount.optional(),
    categories: z
      .array(CategoryChange)
      .max(MAX_CATEGORIES, `At most ${MAX_CATEGORIES} categories`)
      .superRefine(uniqueCategoryNames)
      .optional()
      .openapi({
        description:
          'The complete new list. Entries with an `id` keep that category (renamed / new limit); entries without ' +
          'one are new; categories left out are removed - their expenses then count as uncategorized.',
      }),
    rollover: z.boolean().optional(),
    alertThresholds: Thresholds.optional(),
  })
  .strict()
  .openapi('UpdateBudget', {
    description: 'Only the fields sent change; an empty object changes nothing.',
    example: {
      limit: 300000,
      categories: [{ id: EXAMPLE_CATEGORY_ID, name: 'Food', limit: 70000 }, { name: 'Leisure' }],
    },
  });

export const AddMemberBody = z
  .object({
    // Trimmed like at signup, so a pasted address with spaces finds its account.
    email: z
      .string({ error: requiredOr('Must be an email address') })
      .trim()
      .pipe(z.email('Must be an email address').max(254))
      .openapi({ format: 'email', example: 'sam@example.com', description: 'Case-insensitive.' }),
    role: z.enum(['editor', 'viewer']).openapi({ description: 'editor: records expenses; viewer: read only.' }),
  })
  .strict()
  .openapi('AddMember', { example: { email: 'sam@example.com', role: 'editor' } });

export const ChangeMemberBody = z
  .object({ role: z.enum(['editor', 'viewer']) })
  .strict()
  .openapi('ChangeMember', { example: { role: 'viewer' } });

export const BudgetIdParams = z.object({
  budgetId: z
    .string()
    .openapi({ param: { name: 'budgetId', in: 'path' }, example: EXAMPLE_BUDGET_ID }),
});

export const MemberParams = BudgetIdParams.extend({
  userId: z.string().openapi({ param: { name: 'userId', in: 'path' }, example: EXAMPLE_USER_ID }),
});

export const SummaryQuery = z.strictObject({
  date: calendarDate()
    .optional()
    .openapi({
      param: { name: 'date', in: 'query' },
      example: '2026-11-24',
      description: "Any day of the wanted period; default: today in the budget's time zone.",
    }),
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

// ---- responses -------------------------------------------------------------------------

export const CategorySchema = z
  .object({
    id: z.string().openapi({ example: EXAMPLE_CATEGORY_ID }),
    name: z.string().openapi({ example: 'Groceries' }),
    limit: z.number().int().optional().openapi({ example: 60000 }),
  })
  .openapi('Category');

export const BudgetSchema = z
  .object({
    id: z.string().openapi({ example: EXAMPLE_BUDGET_ID }),
    name: z.string().openapi({ example: 'Household' }),
    currency: z.string().openapi({ example: 'EUR' }),
    period: z.enum(['weekly', 'monthly', 'yearly']),
    timezone: z.string().openapi({ example: 'Europe/Paris' }),
    limit: z.number().int().openapi({ example: 250000 }),
    categories: z.array(CategorySchema),
    rollover: z.boolean(),
    alertThresholds: z.array(z.number().int()).openapi({ example: [80, 100] }),
    role: z.enum(['owner', 'editor', 'viewer']).openapi({ description: "The caller's role in this budget." }),
    version: z.number().int().openapi({ example: 1, description: 'Also sent as the ETag.' }),
    createdAt: z.string().openapi({ example: '2026-11-24T12:00:00.000Z' }),
    updatedAt: z.string().openapi({ example: '2026-11-24T12:00:00.000Z' }),
  })
  .openapi('Budget');

export const BudgetListSchema = listSchema('BudgetList', BudgetSchema);

export const MemberSchema = z
  .object({
    userId: z.string().openapi({ example: EXAMPLE_USER_ID }),
    email: z.string().nullable().openapi({ example: 'sam@example.com' }),
    name: z.string().nullable().openapi({ example: 'Sam' }),
    role: z.enum(['owner', 'editor', 'viewer']),
    addedAt: z.string().openapi({ example: '2026-11-24T12:00:00.000Z' }),
  })
  .openapi('Member');

export const MemberListSchema = listSchema('MemberList', MemberSchema);

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
        categoryId: z.string().openapi({ example: EXAMPLE_CATEGORY_ID }),
        name: z.string().openapi({ example: 'Groceries' }),
        limit: z.number().int().nullable().openapi({ example: 60000 }),
        spent: z.number().int().openapi({ example: 51000 }),
        remaining: z.number().int().nullable().openapi({ example: 9000 }),
      }),
    ),
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
  })
  .openapi('BudgetSummary');

export const CreateReportBody = z
  .object({
    date: calendarDate().openapi({
      example: '2026-10-15',
      description: "Any day of the wanted period (in the budget's time zone); the period must have ended.",
    }),
  })
  .strict()
  .openapi('CreateReport', { example: { date: '2026-10-15' } });

export const ReportParams = BudgetIdParams.extend({
  reportId: z.string().openapi({ param: { name: 'reportId', in: 'path' }, example: '20261001-20261031' }),
});

const EXAMPLE_REPORT_DAYS = [
  { date: '2026-10-01', spent: 4200 },
  { date: '2026-10-02', spent: 0 },
];

export const ReportSchema = z
  .object({
    id: z.string().openapi({ example: '20261001-20261031', description: "The period's first and last day: one report per budget and period." }),
    budgetId: z.string().openapi({ example: EXAMPLE_BUDGET_ID }),
    budgetName: z.string().openapi({ example: 'Household', description: 'As it was when the report was generated.' }),
    periodStart: z.string().openapi({ example: '2026-10-01' }),
    periodEnd: z.string().openapi({ example: '2026-10-31' }),
    currency: z.string().openapi({ example: 'EUR' }),
    limit: z.number().int().openapi({ example: 250000 }),
    carriedOver: z.number().int().openapi({ example: 12000, description: 'As in the summary: with rollover, what earlier periods carried in.' }),
    available: z.number().int().openapi({ example: 262000, description: 'limit + carriedOver' }),
    spent: z.number().int().openapi({ example: 203500 }),
    remaining: z.number().int().openapi({ example: 58500, description: 'available - spent' }),
    byCategory: z.array(
      z.object({
        categoryId: z.string().openapi({ example: EXAMPLE_CATEGORY_ID }),
        name: z.string().openapi({ example: 'Groceries' }),
        limit: z.number().int().nullable().openapi({ example: 60000 }),
        spent: z.number().int().openapi({ example: 51000 }),
      }),
    ),
    uncategorizedSpent: z.number().int().openapi({ example: 1500, description: 'Spending without a category (or in a removed one).' }),
    byDay: z
      .array(z.object({ date: z.string(), spent: z.number().int() }))
      .openapi({ example: EXAMPLE_REPORT_DAYS, description: 'Every day of the period, in order (0 when nothing was spent).' }),
    topMerchants: z
      .array(z.object({ merchant: z.string(), spent: z.number().int(), count: z.number().int() }))
      .openapi({
        example: [{ merchant: 'Corner Market', spent: 38200, count: 9 }],
        description: 'Up to 5 merchants with the most spending (names compared ignoring case); `count` = expenses.',
      }),
    previousPeriod: z
      .object({ periodStart: z.string(), periodEnd: z.string(), spent: z.number().int() })
      .nullable()
      .openapi({
        example: { periodStart: '2026-09-01', periodEnd: '2026-09-30', spent: 187000 },
        description: 'Spending of the period before; null when that period ended before the budget was created.',
      }),
    generatedAt: z.string().openapi({ example: '2026-11-01T00:05:00.000Z' }),
  })
  .openapi('Report');

export const ReportListSchema = listSchema('ReportList', ReportSchema);

export type CreateBudgetInput = z.infer<typeof CreateBudgetBody>;
export type UpdateBudgetInput = z.infer<typeof UpdateBudgetBody>;
export type AddMemberInput = z.infer<typeof AddMemberBody>;
