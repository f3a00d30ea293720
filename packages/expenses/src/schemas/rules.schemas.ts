import { dayNumber, searchKey } from '@budgeting/platform';
import { freeText, listSchema, pagingQuery } from '@budgeting/platform/routes';
import { BulkUndoHandle, ExpenseWriteFailureSchema } from './bulk.schemas';
import { z } from '@hono/zod-openapi';
import { MAX_RULES_PER_BUDGET, POSITION_MAX, POSITION_MIN } from '../domain/categorization';
import { RULE_SPLIT_MAX_PARTS, RULE_SPLIT_MIN_PARTS } from '../domain/rule-split';
import { DESCRIPTION_MAX, ID_MAX, MERCHANT_MAX, amount, budgetId, calendarDate, categoryId, tags } from './expenses.schemas';

/**
 * The categorization rules API's bodies and responses (domain/categorization.ts). Unknown
 * fields are refused and named, inside `merchant` too; `merchant` must hold exactly one of
 * `equals` and `contains` (else a 400 naming `merchant`). That `categoryId` is one of the
 * budget's is checked by the service (a 400 naming `categoryId`, as for an expense). The
 * optional conditions: `amount` holds `min`, `max` or both (else a 400 naming `amount`), each
 * an expense's amount, `min <= max` (else a 400 naming `amount.max`); `description` holds
 * `contains` (1..DESCRIPTION_MAX characters, a visible one). PATCH's null removes one.
 */
const conditionText = (max: number, example: string) =>
  freeText(max)
    // abort: an empty text is one problem, not also "no visible character".
    .min(1, { error: 'Must not be empty', abort: true })
    .refine((v) => searchKey(v) !== '', { error: 'Must contain a visible character' })
    .openapi({ example });

const merchantText = (example: string) => conditionText(MERCHANT_MAX, example);

const AmountRangeBody = z
  .object({
    min: amount.optional().openapi({ example: 1000, description: 'The smallest amount that matches (minor units, inclusive).' }),
    max: amount.optional().openapi({ example: 5000, description: 'The largest amount that matches (minor units, inclusive).' }),
  })
  .strict()
  .superRefine((a, ctx) => {
    if (a.min === undefined && a.max === undefined) ctx.addIssue({ code: 'custom', path: [], message: 'Send min, max or both' });
    else if (a.min !== undefined && a.max !== undefined && a.min > a.max) ctx.addIssue({ code: 'custom', path: ['max'], message: 'Must be at least min' });
  })
  .openapi('RuleAmountRange', {
    example: { min: 1000, max: 5000 },
    description: "Also required: the expense's amount is within these bounds (minor units, both inclusive; at least one of them, min <= max).",
  });

const DescriptionMatchBody = z
  .object({
    contains: conditionText(DESCRIPTION_MAX, 'subscription').openapi({
      description: `Text (1..${DESCRIPTION_MAX} characters) found anywhere in the expense's description, ignoring case and accents. An expense without a description does not match.`,
    }),
  })
  .strict()
  .openapi('RuleDescriptionMatch', { example: { contains: 'subscription' }, description: "Also required: the expense's description contains this text." });

const MerchantMatchBody = z
  .object({
    equals: merchantText('Corner Market')
      .optional()
      .openapi({ description: `The whole merchant (1..${MERCHANT_MAX} characters), ignoring case, accents and spacing.` }),
    contains: merchantText('cafe').optional().openapi({ description: `Text (1..${MERCHANT_MAX} characters) found anywhere in the merchant, ignoring case and accents.` }),
  })
  .strict()
  .refine((m) => (m.equals === undefined) !== (m.contains === undefined), { error: 'Send exactly one of equals and contains' })
  .openapi('RuleMerchantMatch', { example: { contains: 'cafe' } });

const position = z
  .number({ error: `Must be an integer from ${POSITION_MIN} to ${POSITION_MAX}` })
  .int({ error: `Must be an integer from ${POSITION_MIN} to ${POSITION_MAX}` })
  .min(POSITION_MIN, { error: `Must be an integer from ${POSITION_MIN} to ${POSITION_MAX}` })
  .max(POSITION_MAX, { error: `Must be an integer from ${POSITION_MIN} to ${POSITION_MAX}` })
  .openapi({
    example: 0,
    description: `Rules are tried from the lowest position (${POSITION_MIN}..${POSITION_MAX}, default 0), equal positions in creation order; the first that matches wins.`,
  });

/** As an expense's merchant (the same rules: up to MERCHANT_MAX characters, trimmed), and not empty. */
const renameTo = merchantText('Amazon').openapi({
  description: `The merchant a matching imported row, or a new expense created without a category (no \`categoryId\` field, no splits), gets instead of the one sent (1..${MERCHANT_MAX} characters, as an expense's merchant): payee renaming, applied before categorization, which then matches the renamed merchant.`,
});

const NEEDS_AN_ACTION = 'Send a categoryId (or a split), a renameTo, or both';

/** A split rule's parts (domain/rule-split.ts): 2..10, distinct categories, integer percents 1..100 adding up to exactly 100. */
const RuleSplitBody = z
  .array(
    z
      .object({
        categoryId: categoryId.openapi({ description: "One of the budget's category ids, once per split." }),
        percent: z
          .number({ error: 'Must be an integer from 1 to 100' })
          .int({ error: 'Must be an integer from 1 to 100' })
          .min(1, { error: 'Must be an integer from 1 to 100' })
          .max(100, { error: 'Must be an integer from 1 to 100' })
          .openapi({ example: 70, description: "This part's share of the expense's amount, in whole percent." }),
      })
      .strict()
      .openapi('RuleSplitPart'),
  )
  .min(RULE_SPLIT_MIN_PARTS, { error: `Send ${RULE_SPLIT_MIN_PARTS} to ${RULE_SPLIT_MAX_PARTS} parts` })
  .max(RULE_SPLIT_MAX_PARTS, { error: `Send ${RULE_SPLIT_MIN_PARTS} to ${RULE_SPLIT_MAX_PARTS} parts` })
  .superRefine((parts, ctx) => {
    const seen = new Set<string>();
    for (const [n, part] of parts.entries()) {
      if (seen.has(part.categoryId)) ctx.addIssue({ code: 'custom', path: [n, 'categoryId'], message: 'Each category at most once in a split' });
      seen.add(part.categoryId);
    }
    const sum = parts.reduce((s, p) => s + p.percent, 0);
    if (sum !== 100) ctx.addIssue({ code: 'custom', path: [], message: `The percents add up to ${sum}, not 100` });
  })
  .openapi({
    example: [
      { categoryId: '01JDCATGROCERIES00000000A', percent: 70 },
      { categoryId: '01JDCATHOUSEHOLD00000000A', percent: 30 },
    ],
    description:
      `Instead of \`categoryId\` (never both): a matching new expense without a category becomes a split expense, its amount divided by these percents ` +
      `in minor units by the largest remainder method (each part floor(amount x percent / 100), the units left one each to the largest remainders, ties to the earlier part), ` +
      `so the parts add up to the amount. A part that comes out 0 is left out; if one part is left, the expense is filed under its category. ` +
      `${RULE_SPLIT_MIN_PARTS}..${RULE_SPLIT_MAX_PARTS} parts, distinct categories of the budget, integer percents 1..100 adding up to 100.`,
  });

const SPLIT_WITH_CATEGORY = 'Send either categoryId or split, not both';

/** The create's fields (the preview's `rule` is the create's body itself). */
const ruleFields = {
  merchant: MerchantMatchBody,
  amount: AmountRangeBody.optional(),
  description: DescriptionMatchBody.optional(),
  categoryId: categoryId
    .optional()
    .openapi({ description: "One of the budget's category ids: what a matching new expense without a category is filed under. Optional when `renameTo` is given." }),
  split: RuleSplitBody.optional(),
  renameTo: renameTo.optional(),
  tags: tags.optional().openapi({ description: "As an expense's tags: added after the expense's own (deduplicated, at most 10 in all), with the rule's category (or split) only." }),
  position: position.optional(),
};

const needsAnAction = (b: { categoryId?: string; split?: unknown; renameTo?: string }, ctx: z.RefinementCtx) => {
  if (b.categoryId !== undefined && b.split !== undefined) ctx.addIssue({ code: 'custom', path: ['split'], message: SPLIT_WITH_CATEGORY });
  else if (b.categoryId === undefined && b.split === undefined && b.renameTo === undefined) ctx.addIssue({ code: 'custom', path: ['categoryId'], message: NEEDS_AN_ACTION });
};

export const CreateRuleBody = z
  .object(ruleFields)
  .strict()
  .superRefine(needsAnAction)
  .openapi('CreateCategorizationRule', { example: { merchant: { contains: 'cafe' }, categoryId: '01JDCATEATINGOUT000000000A', tags: ['coffee'] } });

export const UpdateRuleBody = z
  .object({
    merchant: MerchantMatchBody.optional().openapi({ description: 'Replaces the pattern (exactly one of equals and contains).' }),
    amount: AmountRangeBody.nullable().optional().openapi({ description: 'Replaces the amount condition (both bounds, as sent); null removes it.' }),
    description: DescriptionMatchBody.nullable().optional().openapi({ description: 'Replaces the description condition; null removes it.' }),
    categoryId: categoryId
      .nullable()
      .optional()
      .openapi({ description: 'Replaces the category (and removes a `split`); null removes it (the rule must keep a `split` or a `renameTo`).' }),
    split: RuleSplitBody.nullable()
      .optional()
      .openapi({ description: 'Replaces the split (and removes a `categoryId`); null removes it (the rule must keep a `categoryId` or a `renameTo`). Not with a `categoryId` in the same body.' }),
    renameTo: renameTo.nullable().optional().openapi({ description: 'Replaces the rename; null removes it (the rule must keep a `categoryId`).' }),
    tags: tags.nullable().optional().openapi({ description: 'Replaces the tags; `[]` or null removes them.' }),
    position: position.optional(),
  })
  .strict()
  .superRefine((b, ctx) => {
    if (b.split != null && b.categoryId != null) ctx.addIssue({ code: 'custom', path: ['split'], message: SPLIT_WITH_CATEGORY });
  })
  .openapi('UpdateCategorizationRule', { example: { position: -1 } });

export const RuleSchema = z
  .object({
    id: z.string().openapi({ example: '01JDRULE0000000000000000001' }),
    budgetId: z.string().openapi({ example: '01JDBUDGET00000000000000001' }),
    merchant: z
      .object({ equals: z.string().optional(), contains: z.string().optional() })
      .openapi('RuleMerchantMatchView', { example: { contains: 'cafe' }, description: 'Exactly one of `equals` and `contains`, as sent.' }),
    amount: z
      .object({ min: z.number().int().optional(), max: z.number().int().optional() })
      .optional()
      .openapi('RuleAmountRangeView', { example: { min: 1000, max: 5000 }, description: 'Only on a rule with an amount condition: its bounds as sent (minor units, inclusive).' }),
    description: z
      .object({ contains: z.string() })
      .optional()
      .openapi('RuleDescriptionMatchView', { example: { contains: 'subscription' }, description: 'Only on a rule with a description condition.' }),
    categoryId: z.string().optional().openapi({
      example: '01JDCATEATINGOUT000000000A',
      description:
        'Absent on a rename-only rule. A category removed from the budget since stays here, but the rule is then passed over for categorization (the next matching rule applies) until it is changed.',
    }),
    split: z
      .array(z.object({ categoryId: z.string(), percent: z.number().int() }).openapi('RuleSplitPartView'))
      .optional()
      .openapi({ description: 'Only on a split rule (then no `categoryId`): its parts as sent. A part whose category was removed from the budget makes the rule passed over, as a removed `categoryId` does.' }),
    renameTo: z.string().optional().openapi({ example: 'Amazon', description: 'Only on a rule that renames: the merchant a matching new expense gets.' }),
    tags: z.array(z.string()).optional().openapi({ example: ['coffee'], description: 'Only when it has some.' }),
    position: z.number().int().openapi({ example: 0 }),
    createdBy: z.string().openapi({ example: '01JDUSER0000000000000000001' }),
    version: z.number().int().openapi({ example: 1, description: 'Sent as the ETag; send it back in If-Match.' }),
    createdAt: z.string().openapi({ format: 'date-time', example: '2026-11-24T12:00:00.000Z' }),
    updatedAt: z.string().openapi({ format: 'date-time', example: '2026-11-24T12:00:00.000Z' }),
  })
  .openapi('CategorizationRule');

export const RuleListSchema = listSchema('CategorizationRuleList', RuleSchema).openapi({
  description: `The budget's rules (at most ${MAX_RULES_PER_BUDGET}) in the order they are tried, a page at a time; by default every one in one page.`,
});

/** `limit` and `cursor` as on every list; the default is the cap, so a client that does not page gets every rule, as before it could page. */
export const ListRulesQuery = z
  .object({ ...pagingQuery({ byDefault: MAX_RULES_PER_BUDGET, max: MAX_RULES_PER_BUDGET, description: `Page size, 1..${MAX_RULES_PER_BUDGET} (default ${MAX_RULES_PER_BUDGET}: every rule).` }) })
  .strict();

export const RuleParams = z
  .object({
    budgetId,
    ruleId: z.string().min(1).max(ID_MAX).openapi({ param: { name: 'ruleId', in: 'path' }, example: '01JDRULE0000000000000000001' }),
  })
  .strict();

/** The longest preview range, both ends included (about a quarter); the default is the last 30 days. */
export const PREVIEW_MAX_DAYS = 92;
export const PREVIEW_DEFAULT_DAYS = 30;
/** The most matches a preview lists (`more` says whether there were others). */
export const PREVIEW_MAX_MATCHES = 100;

/** The range of a preview and of an apply: both or neither, from <= to, at most PREVIEW_MAX_DAYS (errors name `from` / `to`). */
const rangeFields = {
  from: calendarDate.optional().openapi({ description: 'First day of the range (with `to`). Neither: the last 30 days, today included.' }),
  to: calendarDate.optional().openapi({ description: `Last day of the range (with \`from\`); the range covers at most ${PREVIEW_MAX_DAYS} days, both ends included.` }),
};

const checkRange = (b: { from?: string; to?: string }, ctx: z.RefinementCtx) => {
  if ((b.from === undefined) !== (b.to === undefined)) {
    ctx.addIssue({ code: 'custom', path: [b.from === undefined ? 'from' : 'to'], message: 'Give both `from` and `to`, or neither for the last 30 days' });
  } else if (b.from !== undefined && b.to !== undefined) {
    if (b.from > b.to) ctx.addIssue({ code: 'custom', path: ['from'], message: 'Must be on or before `to`' });
    else if (dayNumber(b.to) - dayNumber(b.from) + 1 > PREVIEW_MAX_DAYS) {
      const message = `The range may cover at most ${PREVIEW_MAX_DAYS} days, both ends included`;
      ctx.addIssue({ code: 'custom', path: ['from'], message });
      ctx.addIssue({ code: 'custom', path: ['to'], message });
    }
  }
};

export const PreviewRuleBody = z
  .object({
    // A rule exactly as POST .../rules takes it (the same component; nothing is stored).
    rule: CreateRuleBody,
    ...rangeFields,
  })
  .strict()
  .superRefine(checkRange)
  .openapi('PreviewCategorizationRule', {
    example: { rule: { merchant: { contains: 'netflix' }, amount: { max: 2000 }, categoryId: '01JDCATEATINGOUT000000000A' }, from: '2026-09-01', to: '2026-11-30' },
  });

export const RulePreviewSchema = z
  .object({
    from: z.string().openapi({ format: 'date', example: '2026-09-01' }),
    to: z.string().openapi({ format: 'date', example: '2026-11-30' }),
    matches: z
      .array(
        z
          .object({
            id: z.string().openapi({ example: '01JDEXPENSE000000000000001' }),
            occurredOn: z.string().openapi({ format: 'date', example: '2026-11-03' }),
            merchant: z.string().openapi({ example: 'NETFLIX.COM' }),
            amount: z.number().int().openapi({ example: 1599 }),
            categoryId: z.string().nullable().openapi({ example: null, description: 'The expense\'s category now (null: uncategorized or split).' }),
          })
          .openapi('RulePreviewMatch'),
      )
      .openapi({ description: `The range's expenses whose merchant, amount and description the rule's conditions match, newest first, at most ${PREVIEW_MAX_MATCHES}.` }),
    more: z.boolean().openapi({ example: false, description: `Whether more expenses of the range match than listed (past ${PREVIEW_MAX_MATCHES}).` }),
  })
  .openapi('CategorizationRulePreview', {
    example: { from: '2026-09-01', to: '2026-11-30', matches: [{ id: '01JDEXPENSE000000000000001', occurredOn: '2026-11-03', merchant: 'NETFLIX.COM', amount: 1599, categoryId: null }], more: false },
  });

export const RulePreviewParams = z.object({ budgetId }).strict();

/** The most expenses one apply writes (`more` says whether others still need the change: call again). */
export const APPLY_MAX_WRITES = 100;

/** POST .../rules/{ruleId}/apply: the range only (the rule is the saved one). `{}`: the last 30 days. */
export const ApplyRuleBody = z
  .object({
    ...rangeFields,
    cursor: z
      .string()
      .min(1)
      .max(2048)
      .optional()
      .openapi({
        description:
          "The `cursor` of the previous call's answer (same rule, not edited since, same `from` and `to`; else a 400 naming `cursor`): go on past what it wrote and past the expenses whose write failed for good, retrying a `retryable` one. Without it a call starts from the newest match.",
      }),
  })
  .strict()
  .superRefine(checkRange)
  .openapi('ApplyCategorizationRule', { example: { from: '2026-09-01', to: '2026-11-30' } });

export const RuleApplicationSchema = z
  .object({
    from: z.string().openapi({ format: 'date', example: '2026-09-01' }),
    to: z.string().openapi({ format: 'date', example: '2026-11-30' }),
    applied: z
      .array(
        z
          .object({
            id: z.string().openapi({ example: '01JDEXPENSE000000000000001' }),
            categoryId: z.string().optional().openapi({ example: '01JDCATEATINGOUT000000000A', description: 'Only when the rule moved the expense: its new category.' }),
            merchant: z.string().optional().openapi({ example: 'Netflix', description: "Only when the rule's `renameTo` renamed it: its new merchant." }),
            splits: z
              .array(z.object({ categoryId: z.string().nullable(), amount: z.number().int() }))
              .optional()
              .openapi({ description: "Only when a split rule split the expense: its parts now (minor units, adding up to its amount)." }),
            tags: z.array(z.string()).optional().openapi({ example: ['streaming'], description: "Only when the rule added tags: the expense's tags now." }),
          })
          .openapi('RuleApplicationChange'),
      )
      .openapi({ description: `The expenses written by this call (at most ${APPLY_MAX_WRITES}), newest first, each with only the fields the rule changed, as they are now.` }),
    unchanged: z.number().int().openapi({ example: 12, description: 'Matches of the range already as the rule makes them (nothing written).' }),
    skipped: z.number().int().openapi({ example: 1, description: 'Split expenses the rule matches but does not change, since a rule with a category or a split does not re-file a split expense (one already split exactly as a split rule splits it counts in `unchanged`).' }),
    failed: z
      .array(ExpenseWriteFailureSchema)
      .openapi({ description: 'The expenses whose write failed in this call, newest first; empty when none did. The next call retries a `retryable` one; one that is not stays as it is until changed (each call lists it again).' }),
    more: z.boolean().openapi({
      example: true,
      description: `Whether matches still need the change (past the ${APPLY_MAX_WRITES} written, or a \`retryable\` one \`failed\`): call again with \`cursor\`.`,
    }),
    cursor: z
      .string()
      .nullable()
      .openapi({
        example: null,
        description:
          'With `more`: send it back as `cursor` to go on after the last expense written (right before the newest `retryable` `failed` one, if any), passing over those that failed for good. Null when nothing is left, or with `more` when a call from the newest must retry its newest expense: call again without `cursor`.',
      }),
    undo: BulkUndoHandle.nullable().openapi({
      description:
        'How to undo THIS call for 24 hours (`POST .../expenses/bulk/{id}/undo`: each expense it wrote gets its category, split parts, merchant and tags back, unless changed since); null when it wrote nothing, or when the budget was deleted meanwhile (nothing left to undo). A client following `more`/`cursor` gets one undo per call: undo each to undo them all.',
    }),
  })
  .openapi('CategorizationRuleApplication', {
    example: {
      from: '2026-09-01',
      to: '2026-11-30',
      applied: [{ id: '01JDEXPENSE000000000000001', categoryId: '01JDCATEATINGOUT000000000A', merchant: 'Netflix', tags: ['streaming'] }],
      unchanged: 12,
      skipped: 1,
      failed: [
        {
          id: '01JDEXPENSE000000000000002',
          problem: { type: 'https://budgeting.dev/problems/service-unavailable', title: 'Service unavailable', status: 503, detail: 'The service is busy; retry later.' },
          retryable: true,
        },
      ],
      more: true,
      cursor: null,
      undo: { id: '01JDBULK0000000000000000001', expiresAt: '2026-12-01T12:00:00.000Z' },
    },
  });

export type PreviewRuleInput = z.infer<typeof PreviewRuleBody>;
export type ApplyRuleInput = z.infer<typeof ApplyRuleBody>;
export type CreateRuleInput = z.infer<typeof CreateRuleBody>;
export type UpdateRuleInput = z.infer<typeof UpdateRuleBody>;
export type ListRulesInput = z.infer<typeof ListRulesQuery>;
