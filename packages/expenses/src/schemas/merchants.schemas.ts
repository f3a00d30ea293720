import { queryInteger } from '@budgeting/platform/routes';
import { z } from '@hono/zod-openapi';
import { MERCHANT_WINDOW_DAYS, MERCHANT_WINDOW_MAX_EXPENSES } from '../domain/merchant-suggestions';
import { SEARCH_TEXT_MAX, searchText } from './expenses.schemas';

/** How many suggestions one answer holds (an autocomplete list, not a page: there is no cursor). */
export const MERCHANTS_MAX_LIMIT = 50;
export const MERCHANTS_DEFAULT_LIMIT = 20;

/** The query of a suggestion list (merchants, tags): `q` as typed, `limit` as here. */
function suggestionsQuery(q: { example: string; description: string }) {
  return z
    .object({
      q: searchText(SEARCH_TEXT_MAX)
        .optional()
        .openapi({ param: { name: 'q', in: 'query' }, ...q }),
      limit: queryInteger({ min: 1, max: MERCHANTS_MAX_LIMIT })
        .default(MERCHANTS_DEFAULT_LIMIT)
        .openapi({
          param: { name: 'limit', in: 'query' },
          default: MERCHANTS_DEFAULT_LIMIT,
          example: MERCHANTS_DEFAULT_LIMIT,
          description: `Suggestions at most, 1..${MERCHANTS_MAX_LIMIT}.`,
        }),
    })
    .strict();
}

export const MerchantsQuery = suggestionsQuery({
  example: 'cafe',
  description: `What the user typed (1..${SEARCH_TEXT_MAX} characters): the start of the merchant or of one of its words, ignoring case and accents (\`cafe\` and \`nero\` both find "Café Nero").`,
});

export const TagsQuery = suggestionsQuery({
  example: 'vaca',
  description: `What the user typed (1..${SEARCH_TEXT_MAX} characters): the start of the tag or of one of its words, ignoring case and accents as tags are matched (\`vaca\` and \`2026\` both find "Vacation-2026").`,
});

export type MerchantsInput = z.infer<typeof MerchantsQuery>;

export const MerchantSuggestionSchema = z
  .object({
    merchant: z.string().openapi({ example: 'Café Nero', description: 'As spelled in its most recent use.' }),
    count: z.number().int().openapi({ example: 12, description: 'Expenses with this merchant in the window (case, accents and spacing ignored).' }),
    lastUsedOn: z.string().openapi({ format: 'date', example: '2026-11-20', description: 'The `occurredOn` of its most recent use.' }),
    lastAmount: z
      .number()
      .int()
      .openapi({
        example: 450,
        description:
          'The amount of its most recent use that is not a refund, minor units of the budget currency (to pre-fill a purchase). When the window holds only refunds of this merchant: the most recent refund\'s amount.',
      }),
    categoryId: z
      .string()
      .nullable()
      .openapi({
        example: '01JDCATEGORY000000000000001',
        description:
          'The category most used with this merchant in the window (a tie: the one used last), to pre-fill a new expense; only a category the budget still has. Split and uncategorized expenses cast no vote; null when none did.',
      }),
  })
  .openapi('MerchantSuggestion');

const WindowSchema = z
  .object({
    from: z.string().openapi({
      format: 'date',
      example: '2026-05-29',
      description: `The earliest \`occurredOn\` counted: the first of the last ${MERCHANT_WINDOW_DAYS} days, or, when \`complete\` is false, the date of the oldest expense examined (that day may be counted in part).`,
    }),
    expensesExamined: z.number().int().openapi({ example: 240, description: `Expenses read to answer (at most ${MERCHANT_WINDOW_MAX_EXPENSES.toLocaleString('en-US')}).` }),
    complete: z.boolean().openapi({
      description: `false when the budget has more expenses in those days than the bound: only the newest ${MERCHANT_WINDOW_MAX_EXPENSES.toLocaleString('en-US')} were counted.`,
    }),
  })
  .openapi('MerchantWindow');

export const MerchantSuggestionsSchema = z
  .object({
    items: z.array(MerchantSuggestionSchema).openapi({ description: 'Most used first, then most recently used.' }),
    window: WindowSchema,
  })
  .openapi('MerchantSuggestions');

export const TagSuggestionSchema = z
  .object({
    tag: z.string().openapi({ example: 'Vacation-2026', description: 'As spelled in its most recent use.' }),
    count: z.number().int().openapi({ example: 7, description: 'Expenses carrying this tag in the window (case and accents ignored, as the list\'s `tag` filter).' }),
    lastUsedOn: z.string().openapi({ format: 'date', example: '2026-11-20', description: 'The `occurredOn` of its most recent use.' }),
  })
  .openapi('TagSuggestion');

export const TagSuggestionsSchema = z
  .object({
    items: z.array(TagSuggestionSchema).openapi({ description: 'Most used first, then most recently used.' }),
    window: WindowSchema,
  })
  .openapi('TagSuggestions');
