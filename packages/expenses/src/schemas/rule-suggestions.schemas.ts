import { queryInteger } from '@budgeting/platform/routes';
import { z } from '@hono/zod-openapi';
import { RULE_MIN_EXPENSES, RULE_MIN_SHARE_PERCENT, RULE_WINDOW_DAYS, RULE_WINDOW_MAX_EXPENSES } from '../domain/rule-suggestions';
import { CreateRuleBody } from './rules.schemas';

const max = RULE_WINDOW_MAX_EXPENSES.toLocaleString('en-US');

/** How many suggestions one answer holds (a short list to act on, not a page: there is no cursor). */
export const RULE_SUGGESTIONS_MAX_LIMIT = 50;
export const RULE_SUGGESTIONS_DEFAULT_LIMIT = 20;

export const RuleSuggestionsQuery = z
  .object({
    limit: queryInteger({ min: 1, max: RULE_SUGGESTIONS_MAX_LIMIT })
      .default(RULE_SUGGESTIONS_DEFAULT_LIMIT)
      .openapi({
        param: { name: 'limit', in: 'query' },
        default: RULE_SUGGESTIONS_DEFAULT_LIMIT,
        example: RULE_SUGGESTIONS_DEFAULT_LIMIT,
        description: `Suggestions at most, 1..${RULE_SUGGESTIONS_MAX_LIMIT}.`,
      }),
  })
  .strict();

export type RuleSuggestionsInput = z.infer<typeof RuleSuggestionsQuery>;

export const RuleSuggestionSchema = z
  .object({
    merchant: z.string().openapi({ example: 'Tesco', description: 'Its most frequent spelling among the expenses counted (ties: the most recent).' }),
    categoryId: z.string().openapi({ example: '01JDCATGROCERIES00000000A', description: "The category most of them are filed under: one of the budget's." }),
    expenses: z.number().int().openapi({
      example: 5,
      description: `Its expenses counted in the window (at least ${RULE_MIN_EXPENSES}): filed under one of the budget's categories; split expenses, uncategorized ones and refunds are not counted.`,
    }),
    share: z.number().int().openapi({ example: 80, description: `The percent of those filed under \`categoryId\`, rounded down (${RULE_MIN_SHARE_PERCENT}..100).` }),
    lastOn: z.string().openapi({ format: 'date', example: '2026-11-20', description: 'The latest `occurredOn` among them.' }),
    rule: CreateRuleBody.openapi({
      description: 'A body to send as is to `POST /v1/budgets/{budgetId}/rules` ("Create a rule"; the owner): new expenses at this merchant (any spelling: `equals` ignores case, accents and spacing) recorded without a category are filed under `categoryId`.',
      example: { merchant: { equals: 'Tesco' }, categoryId: '01JDCATGROCERIES00000000A' },
    }),
  })
  .openapi('CategorizationRuleSuggestion');

export const RuleSuggestionsSchema = z
  .object({
    items: z.array(RuleSuggestionSchema).openapi({ description: 'Most expenses first, then by merchant (ignoring case and accents).' }),
    window: z
      .object({
        from: z.string().openapi({
          format: 'date',
          example: '2026-05-29',
          description: `The earliest \`occurredOn\` examined: the first of the last ${RULE_WINDOW_DAYS} days, or, when \`complete\` is false, the date of the oldest expense examined (that day may be examined in part).`,
        }),
        expensesExamined: z.number().int().openapi({ example: 412, description: `Expenses read to answer (at most ${max}).` }),
        complete: z.boolean().openapi({ description: `false when the budget has more expenses in those days than the bound: only the newest ${max} were examined.` }),
      })
      .openapi('RuleSuggestionsWindow'),
  })
  .openapi('CategorizationRuleSuggestions', {
    example: {
      items: [
        {
          merchant: 'Tesco',
          categoryId: '01JDCATGROCERIES00000000A',
          expenses: 5,
          share: 80,
          lastOn: '2026-11-20',
          rule: { merchant: { equals: 'Tesco' }, categoryId: '01JDCATGROCERIES00000000A' },
        },
      ],
      window: { from: '2026-05-29', expensesExamined: 412, complete: true },
    },
  });

/** Why the route's description names these: the rules a client can show ("suggested because..."). */
export const RULE_SUGGESTION_RULES_TEXT =
  `A merchant (grouped ignoring case, accents and spacing) is suggested when at least ${RULE_MIN_EXPENSES} of its expenses are counted ` +
  "(filed under one of the budget's categories; split expenses, uncategorized ones and refunds are not) " +
  `and at least ${RULE_MIN_SHARE_PERCENT}% of those are filed under one category, ` +
  "and the budget's rules do not already handle it: no rule files a new expense at that merchant (without an amount or description: a rule with such a condition does not count) under a category the budget has (or splits it among such categories), and none renames it to another merchant.";
