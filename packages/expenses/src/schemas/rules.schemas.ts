import { searchKey } from '@budgeting/platform';
import { freeText, listSchema } from '@budgeting/platform/routes';
import { z } from '@hono/zod-openapi';
import { MAX_RULES_PER_BUDGET, POSITION_MAX, POSITION_MIN } from '../domain/categorization';
import { ID_MAX, MERCHANT_MAX, budgetId, categoryId, tags } from './expenses.schemas';

/**
 * The categorization rules API's bodies and responses (domain/categorization.ts). Unknown
 * fields are refused and named, inside `merchant` too; `merchant` must hold exactly one of
 * `equals` and `contains` (else a 400 naming `merchant`). That `categoryId` is one of the
 * budget's is checked by the service (a 400 naming `categoryId`, as for an expense).
 */
const merchantText = (example: string) =>
  freeText(MERCHANT_MAX)
    // abort: an empty text is one problem, not also "no visible character".
    .min(1, { error: 'Must not be empty', abort: true })
    .refine((v) => searchKey(v) !== '', { error: 'Must contain a visible character' })
    .openapi({ example });

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

const NEEDS_AN_ACTION = 'Send a categoryId, a renameTo, or both';

export const CreateRuleBody = z
  .object({
    merchant: MerchantMatchBody,
    categoryId: categoryId
      .optional()
      .openapi({ description: "One of the budget's category ids: what a matching new expense without a category is filed under. Optional when `renameTo` is given." }),
    renameTo: renameTo.optional(),
    tags: tags.optional().openapi({ description: "As an expense's tags: added after the expense's own (deduplicated, at most 10 in all), with the rule's category only." }),
    position: position.optional(),
  })
  .strict()
  .superRefine((b, ctx) => {
    if (b.categoryId === undefined && b.renameTo === undefined) ctx.addIssue({ code: 'custom', path: ['categoryId'], message: NEEDS_AN_ACTION });
  })
  .openapi('CreateCategorizationRule', { example: { merchant: { contains: 'cafe' }, categoryId: '01JDCATEATINGOUT000000000A', tags: ['coffee'] } });

export const UpdateRuleBody = z
  .object({
    merchant: MerchantMatchBody.optional().openapi({ description: 'Replaces the pattern (exactly one of equals and contains).' }),
    categoryId: categoryId.nullable().optional().openapi({ description: 'Replaces the category; null removes it (the rule must keep a `renameTo`).' }),
    renameTo: renameTo.nullable().optional().openapi({ description: 'Replaces the rename; null removes it (the rule must keep a `categoryId`).' }),
    tags: tags.nullable().optional().openapi({ description: 'Replaces the tags; `[]` or null removes them.' }),
    position: position.optional(),
  })
  .strict()
  .openapi('UpdateCategorizationRule', { example: { position: -1 } });

export const RuleSchema = z
  .object({
    id: z.string().openapi({ example: '01JDRULE0000000000000000001' }),
    budgetId: z.string().openapi({ example: '01JDBUDGET00000000000000001' }),
    merchant: z
      .object({ equals: z.string().optional(), contains: z.string().optional() })
      .openapi('RuleMerchantMatchView', { example: { contains: 'cafe' }, description: 'Exactly one of `equals` and `contains`, as sent.' }),
    categoryId: z.string().optional().openapi({
      example: '01JDCATEATINGOUT000000000A',
      description:
        'Absent on a rename-only rule. A category removed from the budget since stays here, but the rule is then passed over for categorization (the next matching rule applies) until it is changed.',
    }),
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
  description: `Every rule of the budget (at most ${MAX_RULES_PER_BUDGET}) in the order they are tried; \`nextCursor\` is always null.`,
});

/** The list takes no parameters: it is every rule, in one page. */
export const ListRulesQuery = z.object({}).strict();

export const RuleParams = z
  .object({
    budgetId,
    ruleId: z.string().min(1).max(ID_MAX).openapi({ param: { name: 'ruleId', in: 'path' }, example: '01JDRULE0000000000000000001' }),
  })
  .strict();

export type CreateRuleInput = z.infer<typeof CreateRuleBody>;
export type UpdateRuleInput = z.infer<typeof UpdateRuleBody>;
export type ListRulesInput = z.infer<typeof ListRulesQuery>;
