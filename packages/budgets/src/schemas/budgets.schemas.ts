import { MAX_AMOUNT_MINOR, isCurrencyCode, isIanaTimeZone, nameKey } from '@budgeting/platform';
import { calendarDate, listSchema, nameText, visibleText } from '@budgeting/platform/routes';
import { z } from '@hono/zod-openapi';
import { MAX_CATEGORY_EMOJI_LENGTH, colorProblem, emojiProblem } from '../domain/category-style';
import { DEFAULT_ALERT_THRESHOLDS, MAX_CATEGORIES } from '../model';
import { EXAMPLE_BUDGET_ID, EXAMPLE_CATEGORY_ID, requiredOr } from './common.schemas';

/**
 * Zod schemas of the budget resource's HTTP bodies and responses (members, summary and
 * reports have files of their own). They validate requests
 * (unknown fields are refused by `.strict()`, each bad field is named) and generate the
 * OpenAPI document, so the docs cannot drift from what the API accepts.
 */

// ---- building blocks -------------------------------------------------------------------

const Amount = z
  .number({ error: requiredOr('Must be an integer amount in minor units (cents for USD)') })
  .int('Must be an integer amount in minor units (cents for USD)')
  .min(0, 'Must be 0 or more')
  .max(MAX_AMOUNT_MINOR, `Must be at most ${MAX_AMOUNT_MINOR}`);

/** Names are normalized (NFC, trimmed, spaces collapsed, zero-width dropped) before any check: see the platform's text.ts. */
export const BudgetName = nameText(100, { error: requiredOr('Must be a string') }).openapi({ example: 'Household' });

const CategoryName = nameText(100, { error: requiredOr('Must be a string') }).openapi({ example: 'Groceries' });

/** The most characters of a category group's label. */
export const MAX_GROUP_LENGTH = 50;

const CategoryGroup = nameText(MAX_GROUP_LENGTH, { error: 'Must be a string' })
  .nullish()
  .openapi({
    example: 'Everyday',
    description:
      `The category group ("Bills", "Everyday"), 1..${MAX_GROUP_LENGTH} characters, normalized like a name; omit or null for none. ` +
      'Categories with the same label form a group; labels are exact (case included), and two spellings that differ only in case are refused.',
  });

const Currency = z
  .string({ error: requiredOr('Must be an ISO 4217 currency code such as "USD"') })
  .refine(isCurrencyCode, 'Must be an ISO 4217 currency code in capitals, such as "USD"')
  .openapi({ example: 'EUR', description: 'ISO 4217 code; amounts are in its minor unit.' });

const Timezone = z
  .string()
  .refine(isIanaTimeZone, 'Must be an IANA time zone such as "Europe/Paris" or "UTC"')
  .openapi({ example: 'Europe/Paris', description: 'IANA time zone in which periods start and end (legacy three-letter ids such as BST or IST, and SystemV/..., are no IANA names and refused).' });

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

/** Category names are unique within a budget, compared normalized, ignoring case and compatibility forms (nameKey: "Ｆｏｏｄ" is "food"). */
function uniqueCategoryNames(categories: { name: string }[], ctx: z.RefinementCtx) {
  const seen = new Set<string>();
  categories.forEach((c, i) => {
    const key = nameKey(c.name);
    if (seen.has(key)) ctx.addIssue({ code: 'custom', path: [i, 'name'], message: `Duplicate category name "${c.name}"` });
    seen.add(key);
  });
}

/**
 * Groups are exact labels (a phone app shows what it sent), so "Bills" and "bills" would be two
 * groups side by side: such a near-duplicate is refused instead, naming the later one. Then
 * grouping exactly and grouping ignoring case agree.
 */
function consistentGroupLabels(categories: { group?: string | null }[], ctx: z.RefinementCtx) {
  const first = new Map<string, { label: string; index: number }>();
  categories.forEach((c, i) => {
    if (c.group === undefined || c.group === null) return;
    const key = nameKey(c.group);
    const seen = first.get(key);
    if (!seen) first.set(key, { label: c.group, index: i });
    else if (seen.label !== c.group) {
      ctx.addIssue({ code: 'custom', path: [i, 'group'], message: `Spelled differently from "${seen.label}" (categories.${seen.index}.group): write the group the same way` });
    }
  });
}

const CategoryLimit = Amount.nullish().openapi({
  example: 40000,
  description: "The category's own limit per period in minor units; omit or null for none.",
});

const CategoryRollover = z
  .boolean({ error: 'Must be true or false' })
  .nullish()
  .openapi({
    example: true,
    description:
      "Category rollover: what the category's limit leaves unspent (or overspends) in a period carries into the next " +
      '(`carriedOver` and `available` on its summary lines), from the period in which it was turned on. Only for a category ' +
      'with a `limit`; omit, false or null for none (a PATCH entry without it turns it off).',
  });

/** Rollover carries what a category's limit leaves: a category without a limit has nothing to carry. */
function rolloverNeedsLimit(categories: { limit?: number | null; rollover?: boolean | null }[], ctx: z.RefinementCtx) {
  categories.forEach((c, i) => {
    if (c.rollover === true && (c.limit === undefined || c.limit === null)) {
      ctx.addIssue({ code: 'custom', path: [i, 'rollover'], message: 'Rollover needs a category limit: set `limit` too, or leave rollover off' });
    }
  });
}

const TARGET_DESCRIPTION =
  'A savings target (sinking fund, as YNAB\'s "needed for spending by date"): `amount` (minor units, more than 0) set aside by ' +
  '`by` (YYYY-MM-DD), saved for by the limit that rolls over. Without `by` (omitted or null) it is a balance to reach with no ' +
  'date (YNAB\'s "have a balance of"): no pace, only whether it is reached. Only on a category with `rollover: true` (and so a `limit`); ' +
  'omit or null for none (a PATCH entry without it removes it; an entry whose target leaves out `by` makes it undated). ' +
  'Its figures are on the summary lines (`target`).';

const TargetAmount = z
  .number({ error: requiredOr('Must be an integer amount in minor units (cents for USD)') })
  .int('Must be an integer amount in minor units (cents for USD)')
  .min(1, 'Must be more than 0')
  .max(MAX_AMOUNT_MINOR, `Must be at most ${MAX_AMOUNT_MINOR}`)
  .openapi({ example: 120000 });

const CategoryTargetInput = z
  .object(
    {
      amount: TargetAmount,
      by: calendarDate()
        .nullish()
        .openapi({ example: '2027-06-30', description: 'The date it is needed by; omit or null for a balance to reach with no date.' }),
    },
    { error: 'Must be an object {amount, by?}' },
  )
  .strict()
  .nullish()
  .openapi({ description: TARGET_DESCRIPTION });

/**
 * A target is saved for by the limit that rolls over: on a category without rollover (or
 * without a limit, which rollover needs) it would have nothing to count, so it is refused, as
 * rollover without a limit is. Turning rollover off while the entry keeps its target is the
 * same 400: the client drops the target itself (nothing disappears silently).
 */
function targetNeedsRollover(categories: { limit?: number | null; rollover?: boolean | null; target?: unknown }[], ctx: z.RefinementCtx) {
  categories.forEach((c, i) => {
    if (c.target === undefined || c.target === null) return;
    if (c.rollover !== true || c.limit === undefined || c.limit === null) {
      ctx.addIssue({
        code: 'custom',
        path: [i, 'target'],
        message: 'A target needs category rollover: set `limit` and `rollover: true` too, or leave the target out',
      });
    }
  });
}

/** The most characters of a category's note. */
export const MAX_CATEGORY_NOTE_LENGTH = 200;

// Empty is none; otherwise a visible character (one of only zero-width spaces would show nothing).
const CategoryNote = visibleText(MAX_CATEGORY_NOTE_LENGTH, { error: 'Must be a string' })
  .nullish()
  .openapi({
    example: 'Weekly shop; the market on Saturdays',
    description:
      `A note about the category (YNAB's and Actual's category notes), free text of at most ${MAX_CATEGORY_NOTE_LENGTH} characters with a visible one, trimmed ` +
      '(line breaks kept); omit, null or empty for none (a PATCH entry without it removes it).',
  });

const CategoryHidden = z
  .boolean({ error: 'Must be true or false' })
  .nullish()
  .openapi({
    example: true,
    description:
      'true hides the category in the app (YNAB\'s "hide"); omit, false or null for a shown one (a PATCH entry without it shows it again). ' +
      'A hidden category stays a real category: its spending counts in every total, summary line, alert and report, expenses may still be ' +
      'recorded in it and rules may still target it. The quick budget (GET .../limit-suggestions) suggests no limit for it.',
  });

/** One string check with the domain's own message (category-style.ts says what is valid). */
const checked = (problem: (value: string) => string | null, message: string) =>
  z.string({ error: message }).superRefine((value, ctx) => {
    const why = problem(value);
    if (why !== null) ctx.addIssue({ code: 'custom', message: why });
  });

const CategoryEmoji = checked(emojiProblem, 'Must be a string: one emoji')
  .nullish()
  .openapi({
    example: '🛒',
    description:
      `One emoji shown before the category's name (as YNAB's, Monarch's and Copilot's categories have): exactly one user-perceived ` +
      `character (grapheme) of at most ${MAX_CATEGORY_EMOJI_LENGTH} UTF-16 code units that contains an Extended_Pictographic code point, ` +
      'or is a flag (two regional indicators) or a keycap. "🍕", "🇩🇪", "👨‍👩‍👧" are one; "a", "🍕🍕", "" are not (400). ' +
      'Omit or null for none (a PATCH entry without it removes it).',
  });

const CategoryColor = checked(colorProblem, 'Must be a string: a color #RRGGBB')
  .nullish()
  .openapi({
    example: '#2E86C1',
    description:
      "The category's color, `#RRGGBB` (either case; stored and shown upper-case). The report page's bar chart draws the category's bar in it. " +
      'Omit or null for none (a PATCH entry without it removes it).',
  });

const NewCategory = z
  .object({
    name: CategoryName,
    limit: CategoryLimit,
    group: CategoryGroup,
    rollover: CategoryRollover,
    target: CategoryTargetInput,
    note: CategoryNote,
    hidden: CategoryHidden,
    emoji: CategoryEmoji,
    color: CategoryColor,
  })
  .strict()
  .openapi('NewCategory');

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
    group: CategoryGroup,
    rollover: CategoryRollover,
    rolloverSince: calendarDate()
      .optional()
      .openapi({
        example: '2026-08-01',
        description:
          "Read-only, the server's: accepted only as the budget has it for this category (so a client may send back the category " +
          'as GET shows it), and then ignored; any other value, or one on a new category or a category without it, is a 400 naming it.',
      }),
    target: CategoryTargetInput,
    note: CategoryNote,
    hidden: CategoryHidden,
    emoji: CategoryEmoji,
    color: CategoryColor,
  })
  .strict()
  .openapi('CategoryChange');

// ---- requests --------------------------------------------------------------------------

const PACE_ALERTS_DESCRIPTION =
  'Opt-in "on pace to overspend" alerts (`budget.overspend_projected`): from a quarter of the current period on, once per period per line (the budget, each category with a limit), when spending at its pace so far would pass the limit by the period\'s end before it is reached. Default false.';

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
      .superRefine(consistentGroupLabels)
      .superRefine(rolloverNeedsLimit)
      .superRefine(targetNeedsRollover)
      .default([]),
    rollover: z.boolean().default(false),
    alertThresholds: Thresholds.default(DEFAULT_ALERT_THRESHOLDS),
    paceAlerts: z.boolean().default(false).openapi({ description: PACE_ALERTS_DESCRIPTION }),
  })
  .strict()
  // Deliberately not a named component: generators (openapi-typescript) make a property with a
  // `default` REQUIRED in a component schema, as they must for responses, but keep it optional
  // in a request body's own schema. Inline, only name and limit are required in clients.
  .openapi({
    description: 'A new budget: only `name` and `limit` are required; the other fields have defaults.',
    example: {
      name: 'Household',
      currency: 'EUR',
      period: 'monthly',
      timezone: 'Europe/Paris',
      limit: 250000,
      categories: [
        { name: 'Groceries', limit: 60000, group: 'Everyday', rollover: true, note: 'Weekly shop; the market on Saturdays', emoji: '🛒', color: '#2E86C1' },
        { name: 'Transport', group: 'Everyday' },
        { name: 'Old car', group: 'Everyday', hidden: true },
        { name: 'Rent', limit: 90000, group: 'Bills' },
        { name: 'Car insurance', limit: 20000, group: 'Bills', rollover: true, target: { amount: 120000, by: '2027-06-30' } },
        { name: 'Emergency fund', limit: 10000, rollover: true, target: { amount: 500000 } },
      ],
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
      .superRefine(consistentGroupLabels)
      .superRefine(rolloverNeedsLimit)
      .superRefine(targetNeedsRollover)
      .optional()
      .openapi({
        description:
          'The complete new list. Entries with an `id` keep that category (renamed / new limit); entries without ' +
          'one are new; categories left out are removed - their expenses then count as uncategorized. Each entry is the ' +
          "category's whole new state: a field left out (`limit`, `group`, `rollover`, `target`, `note`, `hidden`, `emoji`, `color`) is removed. The list's order is the stored order (summary, trends, forecast and report lines follow it): send the same entries in another order to reorder. `rolloverSince` is " +
          "the server's: leave it out, or send it back unchanged (a category echoed from GET); any other value is a 400.",
      }),
    rollover: z.boolean().optional(),
    alertThresholds: Thresholds.optional(),
    paceAlerts: z.boolean().optional().openapi({ description: PACE_ALERTS_DESCRIPTION }),
    limitChangesApplyTo: z
      .enum(['currentPeriod', 'allPeriods'], { error: 'Must be "currentPeriod" or "allPeriods"' })
      .optional()
      .openapi({
        example: 'currentPeriod',
        description:
          'How the `limit` changes of this PATCH (the budget\'s and its categories\') apply. "currentPeriod" (the default): from ' +
          "the current period (the one containing today in the budget's time zone) on; earlier periods keep theirs (`limitHistory`). " +
          '"allPeriods": in every period, earlier ones too (fixing a typo): the changed limits\' history is dropped.',
      }),
  })
  .strict()
  .openapi('UpdateBudget', {
    description: 'Only the fields sent change; an empty object changes nothing.',
    example: {
      limit: 300000,
      categories: [
        { id: EXAMPLE_CATEGORY_ID, name: 'Food', limit: 70000, rollover: true, note: 'Groceries and the market' },
        { name: 'Leisure', hidden: true },
        { name: 'Car insurance', limit: 20000, rollover: true, target: { amount: 120000, by: '2027-06-30' } },
      ],
    },
  });

export const MoveMoneyBody = z
  .object({
    from: z.string({ error: requiredOr('Must be a category id') }).min(1, 'Must be a category id').max(64, 'Must be a category id').openapi({ example: EXAMPLE_CATEGORY_ID, description: 'The category whose limit goes down.' }),
    to: z.string({ error: requiredOr('Must be a category id') }).min(1, 'Must be a category id').max(64, 'Must be a category id').openapi({ example: '01JD7Y9Q3ZT1V0B6W8N4C2K5XR', description: 'The category whose limit goes up.' }),
    amount: z
      .number({ error: requiredOr('Must be an integer amount in minor units (cents for USD)') })
      .int('Must be an integer amount in minor units (cents for USD)')
      .min(1, 'Must be more than 0')
      .max(MAX_AMOUNT_MINOR, `Must be at most ${MAX_AMOUNT_MINOR}`)
      .openapi({ example: 5000 }),
    date: calendarDate()
      .optional()
      .openapi({ example: '2026-11-20', description: "A day of the period whose limits change (YYYY-MM-DD); default today in the budget's time zone." }),
  })
  .strict()
  .superRefine((v, ctx) => {
    if (v.from === v.to) ctx.addIssue({ code: 'custom', path: ['to'], message: 'Must differ from `from`: money moves between two categories' });
  })
  .openapi('MoveMoney', {
    description: "Moves `amount` of limit from one category to another in one period (YNAB's \"Move money\").",
    example: { from: EXAMPLE_CATEGORY_ID, to: '01JD7Y9Q3ZT1V0B6W8N4C2K5XR', amount: 5000, date: '2026-11-20' },
  });

const CategoryRef = z.string({ error: requiredOr('Must be a category id') }).min(1, 'Must be a category id').max(64, 'Must be a category id');

export const SetPeriodLimitBody = z
  .object({
    categoryId: CategoryRef.openapi({ example: EXAMPLE_CATEGORY_ID, description: 'The category (one with a limit) whose limit in the period is set.' }),
    limit: Amount.openapi({ example: 65000, description: "Its limit in that period (minor units); equal to the category's own limit removes the period's override." }),
    date: calendarDate()
      .optional()
      .openapi({ example: '2026-11-20', description: "A day of the period whose limit is set (YYYY-MM-DD); default today in the budget's time zone." }),
  })
  .strict()
  .openapi('SetPeriodLimit', {
    description: "Sets one category's limit for one period (YNAB's assigned amount of a month).",
    example: { categoryId: EXAMPLE_CATEGORY_ID, limit: 65000, date: '2026-11-20' },
  });

export const ClearPeriodLimitsQuery = z.strictObject({
  before: calendarDate()
    .optional()
    .openapi({
      param: { name: 'before', in: 'query' },
      example: '2026-01-01',
      description: 'Clears the per-period limits of periods starting before this day (YYYY-MM-DD); all of them when absent.',
    }),
  categoryId: CategoryRef.optional().openapi({
    param: { name: 'categoryId', in: 'query' },
    example: EXAMPLE_CATEGORY_ID,
    description: 'Only those of this category; of every category when absent.',
  }),
});

// ---- responses -------------------------------------------------------------------------

export const CategorySchema = z
  .object({
    id: z.string().openapi({ example: EXAMPLE_CATEGORY_ID }),
    name: z.string().openapi({ example: 'Groceries' }),
    limit: z.number().int().optional().openapi({ example: 60000 }),
    group: z.string().optional().openapi({ example: 'Everyday', description: 'Its category group; absent when ungrouped.' }),
    rollover: z
      .boolean()
      .optional()
      .openapi({ example: true, description: 'true when category rollover is on (its summary lines carry `carriedOver` and `available`); absent when off.' }),
    rolloverSince: z.string().optional().openapi({
      format: 'date',
      example: '2026-11-01',
      description:
        "Read-only (the server's; a PATCH may send it back unchanged, any other value in a request is a 400 naming it): the first day of the period, in the budget's time zone " +
        'and period kind, in which rollover was turned on for this category; carrying starts with that period. Present exactly when `rollover` is.',
    }),
    target: z
      .object({
        amount: z.number().int().openapi({ example: 120000 }),
        by: z
          .string()
          .optional()
          .openapi({ format: 'date', example: '2027-06-30', description: 'The date it is needed by; absent for a balance to reach with no date.' }),
      })
      .optional()
      .openapi({
        description:
          'A savings target of a rollover category (absent when none): `amount` set aside by `by`, or, without `by`, a balance to reach with no date. Figures on the summary lines.',
      }),
    note: z.string().optional().openapi({ example: 'Weekly shop; the market on Saturdays', description: "The category's note (trimmed); absent when none." }),
    hidden: z
      .boolean()
      .optional()
      .openapi({
        example: true,
        description:
          'true when the category is hidden in the app; absent when shown. Its spending still counts everywhere (totals, summary lines, alerts, reports).',
      }),
    emoji: z.string().optional().openapi({ example: '🛒', description: 'One emoji shown before the name; absent when none.' }),
    color: z.string().optional().openapi({ example: '#2E86C1', description: '`#RRGGBB`, upper-case; absent when none.' }),
  })
  .openapi('Category');

export const PeriodLimitSchema = z
  .object({
    periodStart: z.string().openapi({ format: 'date', example: '2026-11-01', description: "The first day of the period (the budget's kind, in its time zone)." }),
    categoryId: z.string().openapi({ example: EXAMPLE_CATEGORY_ID }),
    limit: z.number().int().openapi({ example: 55000, description: "The category's limit in that period, minor units." }),
  })
  .openapi('PeriodLimit');

export const LimitChangeSchema = z
  .object({
    before: z.string().openapi({ format: 'date', example: '2026-11-01', description: 'The first day of the period from which the next value applied.' }),
    categoryId: z.string().optional().openapi({ example: EXAMPLE_CATEGORY_ID, description: "The category; absent: the budget's own limit." }),
    limit: z
      .number()
      .int()
      .nullable()
      .openapi({ example: 50000, description: 'The limit in the periods before `before` (minor units); null: the category had no limit then.' }),
  })
  .openapi('LimitChange');

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
    paceAlerts: z.boolean().openapi({ example: false, description: PACE_ALERTS_DESCRIPTION }),
    periodLimits: z.array(PeriodLimitSchema).openapi({
      description:
        'Per-period category limits, written by POST /v1/budgets/{budgetId}/move-money ("Move money") and PUT ' +
        '/v1/budgets/{budgetId}/period-limits, cleared by DELETE /v1/budgets/{budgetId}/period-limits: in the period starting ' +
        "`periodStart`, the category's limit is `limit` instead of its own (summary, trends, forecast, reports, alerts and rollover " +
        'use it for that period only). Empty when none; sorted by `periodStart`, then `categoryId`; at most 240. Read-only in PATCH: ' +
        "an override equal to the category's limit is removed, and one of a removed category is dropped, as are those of a " +
        'category whose limit was removed from the period of the removal on (earlier periods keep the limits they had: ' +
        '`limitHistory`; with limitChangesApplyTo "allPeriods" none stays); a change of period kind drops them all.',
      example: [
        { periodStart: '2026-11-01', categoryId: '01JD7Y9Q3ZT1V0B6W8N4C2K5XR', limit: 25000 },
        { periodStart: '2026-11-01', categoryId: EXAMPLE_CATEGORY_ID, limit: 55000 },
      ],
    }),
    limitHistory: z
      .array(LimitChangeSchema)
      .optional()
      .openapi({
        description:
          "The limits that applied before a PATCH changed them (limit history): a PATCH of `limit` or of a category's `limit` " +
          'applies from the current period on, and earlier periods keep theirs (summary, trends, forecast, reports, alerts and ' +
          'rollover). An entry means: in the periods starting before `before` (and not before the same target\'s previous entry), ' +
          "the target's limit was `limit`. Absent when no limit ever changed; sorted by `before`, then the budget's own entry " +
          'first, then `categoryId`; at most 240. Read-only: a category removed takes its entries with it, a change of period kind ' +
          'drops them all, and PATCH `limitChangesApplyTo: "allPeriods"` drops those of the limits it changes.',
        example: [
          { before: '2026-11-01', limit: 240000 },
          { before: '2026-11-01', categoryId: EXAMPLE_CATEGORY_ID, limit: 50000 },
        ],
      }),
    role: z.enum(['owner', 'editor', 'viewer']).openapi({ description: "The caller's role in this budget." }),
    version: z.number().int().openapi({ example: 1, description: 'Also sent as the ETag.' }),
    createdAt: z.string().openapi({ format: 'date-time', example: '2026-11-24T12:00:00.000Z' }),
    updatedAt: z.string().openapi({ format: 'date-time', example: '2026-11-24T12:00:00.000Z' }),
    archivedAt: z.string().optional().openapi({
      format: 'date-time',
      example: '2026-12-03T12:00:00.000Z',
      description:
        'When the owner archived the budget (POST /v1/budgets/{budgetId}/archive); absent while it is active. An archived budget is ' +
        'read-only: every write to it or its contents is a 409 `budget-archived` until POST /v1/budgets/{budgetId}/unarchive.',
    }),
  })
  .openapi('Budget');

export const BudgetListSchema = listSchema('BudgetList', BudgetSchema);

/** GET /v1/budgets's filter (the expenses list's `reviewed` spelling: a query is text, `true` or `false` exactly). */
export const ListBudgetsArchivedQuery = z
  .enum(['true', 'false'], { error: 'Must be true or false' })
  .optional()
  .transform((v) => v === 'true')
  .openapi({
    param: { name: 'archived', in: 'query' },
    example: 'true',
    description: '`true`: only the archived budgets (POST /v1/budgets/{budgetId}/archive); `false` or absent: only the active ones.',
  });

export type CreateBudgetInput = z.infer<typeof CreateBudgetBody>;
export type UpdateBudgetInput = z.infer<typeof UpdateBudgetBody>;
export type MoveMoneyInput = z.infer<typeof MoveMoneyBody>;
export type SetPeriodLimitInput = z.infer<typeof SetPeriodLimitBody>;
export type ClearPeriodLimitsQuery = z.infer<typeof ClearPeriodLimitsQuery>;
