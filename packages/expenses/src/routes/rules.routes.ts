import { bearerSecurity, jsonResponse, problemResponses } from '@budgeting/platform/routes';
import { createRoute } from '@hono/zod-openapi';
import { SPENDING_MAX_EXPENSES } from '../domain/spending-breakdown';
import { IdempotencyHeaders } from '../schemas/expenses.schemas';
import {
  APPLY_MAX_WRITES,
  ApplyRuleBody,
  CreateRuleBody,
  ListRulesQuery,
  PREVIEW_DEFAULT_DAYS,
  PREVIEW_MAX_DAYS,
  PREVIEW_MAX_MATCHES,
  PreviewRuleBody,
  RuleApplicationSchema,
  RuleListSchema,
  RuleParams,
  RulePreviewParams,
  RulePreviewSchema,
  RuleSchema,
  UpdateRuleBody,
} from '../schemas/rules.schemas';
import { MAX_RULES_PER_BUDGET } from '../domain/categorization';
import { budgetResourceRoutes } from './budget-resource';

/**
 * The categorization-rule routes: paths, validation and OpenAPI in one place. Their contract is
 * the one every versioned resource in a budget keeps (budget-resource.ts).
 */
export const ruleRoutes = budgetResourceRoutes({
  tag: 'Categorization rules',
  collection: '/v1/budgets/{budgetId}/rules',
  item: '/v1/budgets/{budgetId}/rules/{ruleId}',
  schemas: { params: RuleParams, query: ListRulesQuery, item: RuleSchema, list: RuleListSchema, create: CreateRuleBody, update: UpdateRuleBody },
  create: {
    operationId: 'createCategorizationRule',
    summary: 'Add a categorization rule',
    description:
      "The owner (whoever may edit the budget's categories). A new expense recorded WITHOUT a `categoryId` field (an explicit null stays uncategorized) and without `splits`, whose `merchant` matches `merchant` (`equals`: the whole merchant; `contains`: text found in it; both ignoring case and accents) and, when the rule has them, whose amount is within `amount` (`min`/`max`, minor units, inclusive) and whose description contains `description.contains` (all the rule's conditions must hold), is filed under `categoryId` and gets `tags` after its own: POST /expenses, offline push creates and CSV rows with an empty category. Not applied to changes, to expenses recorded before (unless asked: POST .../rules/{ruleId}/apply), or to recurring occurrences. Rules are tried by `position` (default 0), then in creation order; the first matching rule whose category the budget still has wins. A rule may instead (or also) carry `renameTo` (payee renaming): on the same new expenses, whether or not they name a category, the first matching rule with a `renameTo` replaces the merchant FIRST, and categorization then matches the renamed merchant (a rename-only rule adds no tags; the event says `renamedBy`). At least one of `categoryId` and `renameTo` (else 400 naming `categoryId`). At most 100 rules per budget (409 past that: delete one first). Send an `Idempotency-Key` so a retry never adds it twice.",
    created: 'Added (or replayed, with `Idempotent-Replayed: true`)',
    full: { collection: 'rules', limit: MAX_RULES_PER_BUDGET, detail: `A budget can have at most ${MAX_RULES_PER_BUDGET} categorization rules; delete one first.` },
    location: 'URL of the new rule.',
  },
  list: {
    operationId: 'listCategorizationRules',
    summary: "List a budget's categorization rules, in the order they are tried",
    description: 'Any member. The rules by `position`, then creation, a page at a time as every list (`limit`, `cursor`); `limit` defaults to 100, the cap, so one page holds every rule unless asked for fewer.',
    page: 'Every rule of the budget',
  },
  get: { operationId: 'getCategorizationRule', summary: 'Get a categorization rule', description: 'Any member.', found: 'The rule' },
  update: {
    operationId: 'updateCategorizationRule',
    summary: 'Change a categorization rule',
    description:
      'The owner. Send only the fields to change (`tags: null` or `[]` removes them; `categoryId: null` or `renameTo: null` removes that one, but not both: 400 naming `categoryId`; `amount: null` or `description: null` removes that condition; `merchant` cannot be removed). Expenses recorded before are not changed. With `If-Match`, the change applies only to that version (412 otherwise).',
    changed: 'The changed rule',
  },
  remove: {
    operationId: 'deleteCategorizationRule',
    summary: 'Delete a categorization rule',
    description: 'The owner. Expenses it categorized keep their category. With `If-Match`, deletes only that version (412 otherwise).',
  },
});

/** Firefly III's "test rule": what a rule would catch among the range's expenses (RulesService.preview). */
export const previewCategorizationRule = createRoute({
  method: 'post',
  path: '/v1/budgets/{budgetId}/rules/preview',
  operationId: 'previewCategorizationRule',
  tags: ['Categorization rules'],
  summary: 'Test a categorization rule against the expenses recorded',
  description:
    'Whoever may create the rule (the owner; an editor or viewer gets 403). `rule` is a rule body exactly as POST .../rules takes it (the same checks: its `categoryId` one of the budget\'s, a 400 naming `rule.categoryId` otherwise); ' +
    `\`from\`/\`to\` a range of at most ${PREVIEW_MAX_DAYS} days (default: the last ${PREVIEW_DEFAULT_DAYS} days, today in the budget's time zone included). ` +
    "The answer lists the range's expenses with a merchant that ALL the rule's conditions (merchant, amount, description) match, newest first, whatever their category now (a rule itself applies only to new expenses without a category), " +
    `at most ${PREVIEW_MAX_MATCHES}, and \`more\` when others match too. Nothing is written, so an archived budget answers too. The range's expenses are read as the spending breakdown reads them, at most ${SPENDING_MAX_EXPENSES.toLocaleString('en-US')}: a range holding more answers 422 naming \`from\`.`,
  security: bearerSecurity,
  request: {
    params: RulePreviewParams,
    body: { required: true, content: { 'application/json': { schema: PreviewRuleBody } } },
  },
  responses: {
    200: jsonResponse(RulePreviewSchema, 'The expenses the rule matches'),
    ...problemResponses(400, 401, 403, 404, 415, 422),
  },
});

/** Firefly III's "apply rule", Actual's "apply to all": the saved rule written to the range's matching expenses, bounded per call (RulesService.apply). */
export const applyCategorizationRule = createRoute({
  method: 'post',
  path: '/v1/budgets/{budgetId}/rules/{ruleId}/apply',
  operationId: 'applyCategorizationRule',
  tags: ['Categorization rules'],
  summary: 'Apply a saved categorization rule to the expenses recorded',
  description:
    'The owner (an editor or viewer gets 403, a stranger 404; an unknown rule 404). ' +
    `\`from\`/\`to\` a range as the preview's (at most ${PREVIEW_MAX_DAYS} days, both or neither, errors naming \`from\`/\`to\`; \`{}\`: the last ${PREVIEW_DEFAULT_DAYS} days, today in the budget's time zone included). ` +
    "The range's expenses are matched exactly as the preview matches them, with the saved rule's conditions (merchant, amount, description). Among the matches, only those the rule would CHANGE are written: " +
    "a rule with a `categoryId` moves an expense of another category (or none) and adds its `tags` after the expense's own (deduplicated, at most 10 in all, as on a new expense); a `renameTo` sets the merchant when it differs. " +
    'A split expense is left as it is by a rule with a `categoryId` or a `split` (counted in `skipped`: a rule sets one category), except one split exactly as a split rule splits it, which is as the rule files it (`unchanged`, or only its tags and rename written); a rename-only rule renames it. A rule whose category the budget no longer has is a 409. ' +
    `At most ${APPLY_MAX_WRITES} expenses are written per call, newest first, each exactly as its own PATCH (its version, the summary's totals, delta sync, events, alerts); \`applied\` lists them with the fields changed, \`unchanged\` counts the matches already as the rule makes them, and \`more\` says others still need the change: call again, and each call continues with the rest until \`applied\` is empty and \`more\` false. ` +
    `The range is read as the preview reads it (at most ${SPENDING_MAX_EXPENSES.toLocaleString('en-US')} expenses: more is a 422 naming \`from\`). A write that fails (409 changed by others too often, 503 throttled) is that expense's alone, as in the bulk edit: it is listed in \`failed\` with its problem and left as it was, the others are still written, and \`more\` is true: calling again retries it (with a new \`Idempotency-Key\`: the same key replays this answer). ` +
    '`undo`: when this call wrote anything, the id to undo THIS call with for 24 hours (POST .../expenses/bulk/{bulkId}/undo, the bulk edit\'s undo: each expense put back unless changed since), else null; a client following `more`/`cursor` gets one per call. ' +
    'Send an `Idempotency-Key`: the same request retried with it replays the first answer and writes nothing.',
  security: bearerSecurity,
  request: {
    params: RuleParams,
    headers: IdempotencyHeaders,
    body: { required: true, content: { 'application/json': { schema: ApplyRuleBody } } },
  },
  responses: {
    200: jsonResponse(RuleApplicationSchema, 'The expenses written by this call, and what is left'),
    ...problemResponses(400, 401, 403, 404, 409, 415, 422),
  },
});
