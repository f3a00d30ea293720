import { MAX_AMOUNT_MINOR, isCurrencyCode, searchKey } from '@budgeting/platform';
import { calendarDate as calendarDateSchema, freeText, paginationQuery, listSchema, queryInteger, visibleText as visibleFreeText } from '@budgeting/platform/routes';
import { z } from '@hono/zod-openapi';
import { DESCRIPTION_MAX, ID_MAX, MERCHANT_MAX } from '../domain/text-limits';
import { SPLITS_MAX, SPLITS_MIN } from '../domain/splits';
import { TAGS_MAX, TAG_MAX } from '../domain/tags';
import { SHARED_WITH_MAX, USER_ID_PATTERN } from '../domain/shared-with';
import { SHARED_AMOUNTS_MAX } from '../domain/shared-amounts';

/**
 * The expenses API's bodies, queries and responses. The same schemas validate requests
 * (unknown fields are refused and named: `.strict()`) and generate the OpenAPI document.
 */
export { DESCRIPTION_MAX, ID_MAX, MERCHANT_MAX };

export const calendarDate = calendarDateSchema();

export const amount = z
  .number({ error: 'Must be an integer amount in minor units (e.g. 1250 for 12.50 USD)' })
  .int({ error: 'Must be an integer amount in minor units (e.g. 1250 for 12.50 USD)' })
  .positive({ error: 'Must be greater than 0' })
  .max(MAX_AMOUNT_MINOR, { error: `Must be at most ${MAX_AMOUNT_MINOR}` })
  .openapi({ example: 1250, description: "Minor units of the budget's currency (cents for USD, yen for JPY)." });

export const categoryId = z
  .string()
  .min(1)
  .max(ID_MAX)
  .openapi({ example: '01JDCATGROCERIES000000000A', description: "One of the budget's category ids." });

export const currency = z
  .string()
  .regex(/^[A-Z]{3}$/, { error: 'Must be an ISO 4217 code such as USD' })
  .openapi({ example: 'USD', description: "Optional safety check: must equal the budget's currency." });

/**
 * Free text is trimmed and must be well-formed (the platform's freeText); an empty string
 * after trimming means "none".
 */
export const text = (max: number, example: string) => freeText(max).openapi({ example });

/** A merchant or an income's source: empty (none) or with a visible character (platform visibleText). */
export const visibleText = (max: number, example: string) => visibleFreeText(max).openapi({ example });

/**
 * A split expense's parts (domain/splits.ts). The count and each part's shape are checked
 * here; that they add up to `amount`, that `categoryId` is then null and that each category
 * is the budget's are checked by the service (a PATCH needs the stored amount), each a 400
 * naming its field (`splits`, `categoryId`, `splits.<n>.categoryId`).
 */
export const SplitPartSchema = z
  .object({
    categoryId: categoryId.nullable().openapi({ description: "One of the budget's category ids; null: this part is uncategorized." }),
    amount,
    description: text(DESCRIPTION_MAX, 'Cleaning supplies').optional(),
  })
  .strict()
  .openapi('SplitPart');

export const splits = z
  .array(SplitPartSchema)
  .min(SPLITS_MIN, { error: `A split needs at least ${SPLITS_MIN} parts` })
  .max(SPLITS_MAX, { error: `At most ${SPLITS_MAX} parts` })
  .openapi({
    description:
      `Spreads the expense over categories: ${SPLITS_MIN}..${SPLITS_MAX} parts whose amounts add up to \`amount\` exactly. ` +
      'The expense itself then has `categoryId: null`; each part counts in its own category in the summary, the alerts and the reports.',
  });

/**
 * One tag as sent (domain/tags.ts): trimmed, 1..TAG_MAX characters, not only invisible
 * characters. Stored name-normalized; compared ignoring case and accents.
 */
export const tag = freeText(TAG_MAX)
  // abort: an empty tag is one problem, not also "no visible character".
  .min(1, { error: 'Must not be empty', abort: true })
  .refine((v) => searchKey(v) !== '', { error: 'Must contain a visible character' })
  .openapi({ example: 'vacation-2026' });

/**
 * An expense's tags: at most TAGS_MAX (a longer list is a 400 naming `tags`, a bad tag one
 * naming `tags.<n>`). Tags equal ignoring case and accents are one: the first spelling stays.
 */
export const tags = z
  .array(tag)
  .max(TAGS_MAX, { error: `At most ${TAGS_MAX} tags` })
  .openapi({
    description:
      `Labels such as \`vacation-2026\` or \`reimbursable\`: at most ${TAGS_MAX}, each 1..${TAG_MAX} characters after trimming. ` +
      'Tags equal ignoring case and accents are one tag (the first spelling sent is kept); the order is kept. `[]` means none.',
  });

/** The example ids of `sharedWith` (two members' user ids, in user id order). */
const SHARED_WITH_EXAMPLE = ['01JDQ4T2W1R0P9N8M7K6J5H4G3', '01JDQ4W3E1B2C3D4E5F6G7H8J9'];

const SHARED_WITH_DESCRIPTION =
  `Who shares this expense in the settle-up balances (GET .../balances): 1..${SHARED_WITH_MAX} distinct user ids, split among them by their shares. ` +
  'Absent: every member, as by default. The payer alone is a personal expense nobody else owes anything for. ' +
  'Each must be a member of the budget when written (else a 400 naming `sharedWith.<n>`); someone who leaves later stays on it, ' +
  'and at balances time a listed id that is not a member counts with share 0 (none of them a member: split among every member). ' +
  'Stored and returned in user id order.';

/**
 * Who shares the expense in the balances (domain/shared-with.ts): 1..SHARED_WITH_MAX distinct
 * user ids (empty, longer or with an id twice: a 400 naming `sharedWith`; a bad id one naming
 * `sharedWith.<n>`).
 */
export const sharedWith = z
  .array(
    z
      .string({ error: 'Must be a user id (a ULID in upper case, 26 characters)' })
      .regex(USER_ID_PATTERN, { error: 'Must be a user id (a ULID in upper case, 26 characters)' })
      .openapi({ example: SHARED_WITH_EXAMPLE[0], pattern: USER_ID_PATTERN.source }),
    { error: 'Must be a list of user ids' },
  )
  .min(1, { error: 'Must list at least one user id (send null, or leave it out, for every member)' })
  .max(SHARED_WITH_MAX, { error: `At most ${SHARED_WITH_MAX} user ids` })
  .refine((ids) => new Set(ids).size === ids.length, { error: 'Must not list a user id twice' })
  .openapi({ example: SHARED_WITH_EXAMPLE, description: SHARED_WITH_DESCRIPTION });

export const SHARED_AMOUNTS_EXAMPLE = [
  { userId: SHARED_WITH_EXAMPLE[0], amount: 3000 },
  { userId: SHARED_WITH_EXAMPLE[1], amount: 6000 },
];

const SHARED_AMOUNTS_DESCRIPTION =
  `Who owes what of this expense in the settle-up balances (GET .../balances), by exact amounts: 1..${SHARED_AMOUNTS_MAX} entries, no user twice, ` +
  'each `amount` an integer >= 0 in minor units, the amounts adding up exactly to the expense\'s `amount` (else a 400 naming `sharedAmounts`). ' +
  'Each listed member owes exactly their amount (the payer\'s own entry is their part); not with `sharedWith` (a 400 naming `sharedAmounts`). ' +
  'Each user must be a member of the budget when written (else a 400 naming `sharedAmounts.<n>.userId`). On a refund the amounts count negative. ' +
  'Stored and returned in user id order.';

/**
 * Who owes what, by exact amounts (domain/shared-amounts.ts): each entry's shape here (a 400
 * naming `sharedAmounts.<n>.userId` / `.amount`), the count and no user twice (naming
 * `sharedAmounts`); that they add up to the expense's amount is the service's check (a PATCH
 * needs the stored amount).
 */
export const sharedAmounts = z
  .array(
    z
      .object({
        userId: z
          .string({ error: 'Must be a user id (a ULID in upper case, 26 characters)' })
          .regex(USER_ID_PATTERN, { error: 'Must be a user id (a ULID in upper case, 26 characters)' })
          .openapi({ example: SHARED_WITH_EXAMPLE[0], pattern: USER_ID_PATTERN.source }),
        amount: z
          .number({ error: 'Must be an integer amount in minor units, 0 or more' })
          .int({ error: 'Must be an integer amount in minor units, 0 or more' })
          .min(0, { error: 'Must be 0 or more' })
          .max(MAX_AMOUNT_MINOR, { error: `Must be at most ${MAX_AMOUNT_MINOR}` })
          .openapi({ example: 3000, description: "What this member owes of the expense, in minor units of the budget's currency." }),
      })
      .strict(),
    { error: 'Must be a list of {userId, amount}' },
  )
  .min(1, { error: 'Must list at least one {userId, amount} (send null, or leave it out, for none)' })
  .max(SHARED_AMOUNTS_MAX, { error: `At most ${SHARED_AMOUNTS_MAX} entries` })
  .refine((parts) => new Set(parts.map((p) => p.userId)).size === parts.length, { error: 'Must not list a user twice' })
  .openapi({ example: SHARED_AMOUNTS_EXAMPLE, description: SHARED_AMOUNTS_DESCRIPTION });

/**
 * What was actually paid in another currency (domain/foreign.ts): a record next to `amount`,
 * never converted and never counted. Unknown fields in it are refused (a 400 naming `foreign`);
 * that the currency is not the budget's own is checked by the service (naming `foreign.currency`).
 */
const foreignAmount = () =>
  z
    .object({
      amount: z
        .number({ error: 'Must be an integer amount in minor units of the foreign currency (e.g. 8000 for 8000 JPY, 1250 for 12.50 USD)' })
        .int({ error: 'Must be an integer amount in minor units of the foreign currency (e.g. 8000 for 8000 JPY, 1250 for 12.50 USD)' })
        .positive({ error: 'Must be greater than 0' })
        .max(MAX_AMOUNT_MINOR, { error: `Must be at most ${MAX_AMOUNT_MINOR}` })
        .openapi({ example: 8000, description: 'Minor units of `currency` as ISO 4217 defines them (yen for JPY, cents for USD, fils for BHD).' }),
      currency: z
        .string({ error: 'Must be an ISO 4217 currency code in capitals, such as "JPY"' })
        // The budget's currency rule (budgets schemas): a listed code, in capitals; `jpy` is refused, not guessed at.
        // A plain boolean check (isCurrencyCode is a type guard: the inferred type would narrow to the code union, which stored strings are not).
        .refine((code: string): boolean => isCurrencyCode(code), { error: 'Must be an ISO 4217 currency code in capitals, such as "JPY"' })
        .openapi({ example: 'JPY', pattern: '^[A-Z]{3}$', description: "ISO 4217 code, in capitals; not the budget's own currency." }),
    })
    .strict();

export const ForeignAmountSchema = foreignAmount().openapi('ForeignAmount', {
  description:
    'What was actually paid in another currency, kept as a record: `amount` (the expense\'s) stays what the budget was charged in its own currency, ' +
    'and only it counts in totals, summaries, alerts, reports and balances. Nothing is converted and no rate is kept. ' +
    'Optional on an expense (absent when none; a PATCH sends both fields to replace it, or null to remove it), also on a split one, whose whole it describes.',
});

/**
 * A PATCH's foreign amount: replaced whole, or null to remove it. Inline, not the component:
 * a nullable $ref is generated as `allOf: [$ref, {type: [object, null]}]`, which null fails.
 */
export const ForeignAmountPatch = foreignAmount()
  .nullable()
  .openapi({ description: 'Replaces the foreign amount (both fields, as in ForeignAmount); null removes it.' });

/**
 * A create's or PATCH's `refund` (domain/refunds.ts): a boolean, anything else a 400 naming
 * `refund`. `amount` stays positive; a refund spends `-amount`.
 */
const refundInput = z.boolean({ error: 'Must be true or false' }).openapi({
  description: '`true` records a refund (a returned purchase): `amount` stays positive and lowers its category\'s spending. Default false (a purchase); stored only when true.',
});

export const CreateExpenseBody = z
  .object({
    amount,
    categoryId: categoryId.nullable().optional(),
    splits: splits.optional(),
    occurredOn: calendarDate
      .optional()
      .openapi({ description: "Defaults to today in the budget's time zone." }),
    description: text(DESCRIPTION_MAX, 'Weekly groceries').optional(),
    merchant: visibleText(MERCHANT_MAX, 'Corner Market').optional(),
    tags: tags.optional(),
    foreign: ForeignAmountSchema.optional(),
    sharedWith: sharedWith.nullable().optional(),
    sharedAmounts: sharedAmounts.nullable().optional(),
    reviewed: z
      .boolean({ error: 'Must be true or false' })
      .optional()
      .openapi({ description: '`false` records it as needing review (as an imported row); default true. Stored only when false.' }),
    refund: refundInput.optional(),
    currency: currency.optional(),
  })
  .strict()
  .openapi('CreateExpense', {
    example: { amount: 1250, categoryId: '01JDCATGROCERIES000000000A', occurredOn: '2026-11-24', merchant: 'Corner Market' },
  });

export const UpdateExpenseBody = z
  .object({
    amount: amount.optional(),
    categoryId: categoryId.nullable().optional().openapi({ description: 'null makes the expense uncategorized.' }),
    splits: splits
      .nullable()
      .optional()
      .openapi({
        description:
          'Replaces the parts (they must add up to the new `amount`, or the stored one); null removes them (then `categoryId` may be sent). ' +
          'A split expense\'s `amount` can only change together with its `splits`.',
      }),
    occurredOn: calendarDate.optional(),
    description: text(DESCRIPTION_MAX, 'Groceries and snacks').nullable().optional(),
    merchant: visibleText(MERCHANT_MAX, 'Corner Market').nullable().optional(),
    tags: tags.nullable().optional().openapi({ description: 'Replaces the tags; `[]` or null removes them.' }),
    foreign: ForeignAmountPatch.optional(),
    sharedWith: sharedWith.nullable().optional().openapi({ description: `Replaces who shares it (1..${SHARED_WITH_MAX} distinct user ids; removes \`sharedAmounts\`); null: every member again.` }),
    sharedAmounts: sharedAmounts
      .nullable()
      .optional()
      .openapi({
        description:
          `Replaces who owes what (1..${SHARED_AMOUNTS_MAX} entries adding up to the new \`amount\`, or the stored one; removes \`sharedWith\`); null: every member again. ` +
          'An expense with sharedAmounts changes its `amount` only together with new ones (else a 400 naming `sharedAmounts`).',
      }),
    reviewed: z
      .boolean({ error: 'Must be true or false' })
      .optional()
      .openapi({ description: '`true` marks it reviewed (a member looked at it); `false` marks it as needing review again.' }),
    refund: refundInput
      .optional()
      .openapi({ description: '`true` makes it a refund (its amount then lowers spending), `false` a purchase again; `amount` stays positive either way.' }),
    currency: currency.optional(),
  })
  .strict()
  .openapi('UpdateExpense', { example: { amount: 1400, description: 'Groceries and snacks' } });

export const ExpenseSchema = z
  .object({
    id: z.string().openapi({ example: '01JDEXPENSE0000000000000001' }),
    budgetId: z.string().openapi({ example: '01JDBUDGET00000000000000001' }),
    amount: z.number().int().openapi({ example: 1250 }),
    categoryId: z.string().nullable().openapi({ example: '01JDCATGROCERIES000000000A', description: 'Always null for a split expense.' }),
    splits: z
      .array(SplitPartSchema)
      .optional()
      .openapi({ description: 'Only on a split expense: its parts, adding up to `amount`.' }),
    occurredOn: z.string().openapi({ format: 'date', example: '2026-11-24' }),
    description: z.string().optional().openapi({ example: 'Weekly groceries' }),
    merchant: z.string().optional().openapi({ example: 'Corner Market' }),
    tags: z
      .array(z.string())
      .optional()
      .openapi({ example: ['vacation-2026'], description: 'Only when it has some: its tags, as first spelled, in order.' }),
    // Only when it has one. No description here: a described $ref becomes `allOf` (see ForeignAmount's own).
    foreign: ForeignAmountSchema.optional(),
    sharedWith: z
      .array(z.string())
      .optional()
      .openapi({ example: SHARED_WITH_EXAMPLE, description: `Only when set: who shares it in the settle-up balances (user ids, in user id order); absent: every member.` }),
    sharedAmounts: z
      .array(z.object({ userId: z.string(), amount: z.number().int() }))
      .optional()
      .openapi({
        example: SHARED_AMOUNTS_EXAMPLE,
        description: 'Only when set: who owes what of it in the settle-up balances, by exact amounts adding up to `amount` (in user id order); never with `sharedWith`.',
      }),
    reviewed: z.boolean().openapi({
      example: true,
      description: 'false while it needs review: a row of a CSV or bank statement import, until a member marks it reviewed (PATCH `reviewed: true`, or the bulk edit\'s `markReviewed`).',
    }),
    refund: z.literal(true).optional().openapi({
      description:
        'Only on a refund (a returned purchase): `amount` stays positive and the expense SPENDS `-amount`, lowering its category\'s (or its parts\') ' +
        'spending in totals, summaries, reports, breakdowns and balances. Absent on a purchase.',
    }),
    recurringExpenseId: z.string().optional().openapi({
      example: '01JDRECURRING00000000000001',
      description:
        'Only on an expense a recurring expense recorded (the scheduled job or record-next): that definition\'s id ("from schedule X"). ' +
        'Read-only (a 400 naming it when sent), kept by every edit, and kept when the definition is deleted (it then names one that no longer exists). ' +
        'Absent on expenses recorded by hand or imported, including an imported one a recurring expense was matched with.',
    }),
    createdBy: z.string().openapi({ example: '01JDUSER0000000000000000001' }),
    version: z.number().int().openapi({ example: 1, description: 'Sent as the ETag; send it back in If-Match.' }),
    createdAt: z.string().openapi({ format: 'date-time', example: '2026-11-24T12:00:00.000Z' }),
    updatedAt: z.string().openapi({ format: 'date-time', example: '2026-11-24T12:00:00.000Z' }),
  })
  .openapi('Expense');

export const ExpenseListSchema = listSchema('ExpenseList', ExpenseSchema);

/** The longest `q` of a search. */
export const SEARCH_TEXT_MAX = 100;

/** Text a search compares: well-formed, trimmed, 1..max characters, and not only invisible characters (whose searchKey is empty). */
export const searchText = (max: number) =>
  freeText(max)
    .min(1, { error: 'Must not be empty' })
    .refine((v) => searchKey(v) !== '', { error: 'Must contain a visible character' });

const amountBound = (description: string) =>
  queryInteger({ min: 0, max: MAX_AMOUNT_MINOR, error: `Must be a whole amount in minor units, 0..${MAX_AMOUNT_MINOR}` })
    .optional()
    // The schema spelled out: for an optional coerced number the generator would also allow null.
    .openapi({ type: 'integer', minimum: 0, maximum: MAX_AMOUNT_MINOR, example: 1000, description });

/** A yes/no query filter in the import's dryRun spelling: a query is text, `true` or `false` exactly. */
const trueOrFalse = (name: string, example: 'true' | 'false', description: string) =>
  z
    .enum(['true', 'false'], { error: 'Must be true or false' })
    .optional()
    .openapi({ param: { name, in: 'query' }, example, description });

/**
 * The search filters of the expense list and the CSV export (domain/expense-search.ts), all
 * combined with AND and with the date and category filters. Text is matched ignoring case
 * and accents (platform searchKey): `q=cafe` finds "Café Zoë".
 */
export const searchQuery = {
  q: searchText(SEARCH_TEXT_MAX)
    .optional()
    .openapi({
      param: { name: 'q', in: 'query' },
      example: 'cafe',
      description: `Text (1..${SEARCH_TEXT_MAX} characters) found anywhere in \`merchant\` or \`description\`, ignoring case and accents.`,
    }),
  merchant: searchText(MERCHANT_MAX)
    .optional()
    .openapi({ param: { name: 'merchant', in: 'query' }, example: 'Corner Market', description: 'The whole merchant, ignoring case and accents.' }),
  minAmount: amountBound('Smallest amount (inclusive), minor units.').openapi({ param: { name: 'minAmount', in: 'query' } }),
  maxAmount: amountBound('Largest amount (inclusive), minor units; at least `minAmount`.').openapi({ param: { name: 'maxAmount', in: 'query' } }),
  createdBy: z
    .string()
    .min(1)
    .max(ID_MAX)
    .optional()
    .openapi({ param: { name: 'createdBy', in: 'query' }, example: '01JDUSER0000000000000000001', description: 'Only expenses recorded by this user.' }),
  recurringExpenseId: z
    .string()
    .min(1)
    .max(ID_MAX)
    .optional()
    .openapi({
      param: { name: 'recurringExpenseId', in: 'query' },
      example: '01JDRECURRING00000000000001',
      description:
        'Only expenses recorded from this recurring expense (by the scheduled job or record-next: their `recurringExpenseId`), the payments of one bill. ' +
        'Also after the definition was deleted (its expenses keep naming it). Read from the bill\'s own index, so a page holds `limit` payments whenever that many exist ' +
        '(other filters, `categoryId` included, apply to the bill\'s payments only; the examination bound then counts those). ' +
        'Payments recorded before this index existed are found once the operator\'s back-fill has run.',
    }),
  tag: tag
    .optional()
    .openapi({
      param: { name: 'tag', in: 'query' },
      example: 'reimbursable',
      description: 'Only expenses carrying this tag, ignoring case and accents. One tag per request (a repeated `tag` is a 400).',
    }),
  reviewed: trueOrFalse(
    'reviewed',
    'false',
    '`false`: only expenses that need review (rows of a CSV or bank statement import nobody marked reviewed yet), the review inbox: read from its own index, ' +
      'so a page costs one read however many reviewed expenses the budget holds (with `categoryId`, the category\'s expenses are searched instead); `true`: only reviewed ones.',
  ),
  refund: trueOrFalse(
    'refund',
    'true',
    '`true`: only refunds (`refund: true`); `false`: only purchases. Searched as the other filters: a page may be short, even empty, with a `nextCursor`.',
  ),
};

export const ListExpensesQuery = z
  .object({
    from: calendarDate.optional().openapi({ param: { name: 'from', in: 'query' }, description: 'Earliest occurredOn (inclusive).' }),
    to: calendarDate.optional().openapi({ param: { name: 'to', in: 'query' }, description: 'Latest occurredOn (inclusive).' }),
    categoryId: categoryId.optional().openapi({
      param: { name: 'categoryId', in: 'query' },
      description:
        "One of the budget's category ids: the expenses filed under it and the split expenses with a part in it. " +
        '`uncategorized` (the key of GET .../spending?by=category and GET .../daily-spending): the expenses behind the summary\'s `uncategorizedSpent`, ' +
        'those without a category, in a category the budget no longer has, and split expenses with a part of either kind (listed whole: their `amount` ' +
        'can be more than what they add to `uncategorizedSpent`). Found by reading the date range, so, as a search, one request examines a bounded number ' +
        'of expenses and a page may be short, even empty, with a `nextCursor`. Combines with from/to and the other filters.',
    }),
    ...searchQuery,
    ...paginationQuery,
  })
  .strict();

export const budgetId = z
  .string()
  .min(1)
  .max(ID_MAX)
  .openapi({ param: { name: 'budgetId', in: 'path' }, example: '01JDBUDGET00000000000000001' });

export const BudgetParams = z.object({ budgetId }).strict();
export const ExpenseParams = z
  .object({
    budgetId,
    expenseId: z
      .string()
      .min(1)
      .max(ID_MAX)
      .openapi({ param: { name: 'expenseId', in: 'path' }, example: '01JDEXPENSE0000000000000001' }),
  })
  .strict();

/** Documented request headers (not strict: every other header passes through). */
export const IdempotencyHeaders = z.object({
  'idempotency-key': z
    .string()
    .optional()
    .openapi({
      param: { in: 'header' },
      description:
        'Retry-safe creation: same key + same body replays the first response for 24 h. Prefer a ULID or a UUIDv7 (as the app sends): on POST /v1/budgets/{budgetId}/expenses such a key names the expense, whose id then carries the key\'s time, and the write is one item smaller.',
      example: '01JD8Q0Z4X7N2M5K8P3R6T9V1W',
    }),
});
export const IfMatchHeaders = z.object({
  'if-match': z
    .string()
    .optional()
    .openapi({ param: { in: 'header' }, description: 'The ETag of the version you read (or a comma-separated list, or *); strong comparison, so W/"3" never matches. 412 if none is the current version.', example: '"3"' }),
});

export type CreateExpenseInput = z.infer<typeof CreateExpenseBody>;
export type UpdateExpenseInput = z.infer<typeof UpdateExpenseBody>;
export type ListExpensesInput = z.infer<typeof ListExpensesQuery>;

/**
 * A failed import's or merchant rename's reason as a stable code (the record's `failureCode`,
 * its events' JOB_FAILURE_CODES), so an app can word it in the user's language. A string, not an
 * enum: codes may be added.
 */
export const jobFailureCode = (job: 'import' | 'rename') =>
  z
    .string()
    .optional()
    .openapi({
      example: 'budget-deleted',
      description:
        `Only when \`failed\`, beside \`${job === 'import' ? 'errors` (line 0)' : 'failure`'}: why, as a stable code an app can word in the user's language: ` +
        '`stalled` (nothing moved for 75 minutes), `budget-deleted` (the budget was deleted meanwhile), `budget-archived` (the budget was archived meanwhile), ' +
        `\`part-failed\` (${job === 'import' ? 'a part of the file' : 'a page of the budget\'s expenses'} failed every attempt), \`not-started\` (the job could not be queued or run). ` +
        'New codes may be added: read an unknown one as a failure without a code. Absent when none (also on ' + (job === 'import' ? 'imports' : 'renames') + ' that failed before codes were kept).',
    });
