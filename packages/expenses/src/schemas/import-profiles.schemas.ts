import { listSchema, nameText, paginationQuery } from '@budgeting/platform/routes';
import { z } from '@hono/zod-openapi';
import { MAX_IMPORT_PROFILES_PER_BUDGET, PROFILE_NAME_MAX } from '../domain/import-profiles';
import { CREDITS_AS } from '../domain/import-file';
import { ImportMapping } from './csv.schemas';
import { ID_MAX, budgetId } from './expenses.schemas';

/**
 * The import profiles API's bodies and responses (domain/import-profiles.ts). `mapping` is the
 * import's own mapping schema (csv.schemas.ts ImportMapping: the query parameters' definitions
 * and the same whole-mapping rules), so a profile holds exactly what the query may say.
 */
const name = nameText(PROFILE_NAME_MAX, { error: 'Must be a string' }).openapi({
  example: 'Barclays current account',
  description: `1..${PROFILE_NAME_MAX} characters (trimmed, spaces collapsed); unique in the budget ignoring case and compatibility forms, fullwidth letters, ligatures (409 naming \`name\`).`,
});

const credits = z
  .enum(CREDITS_AS, { error: `Must be one of ${CREDITS_AS.join(', ')}` })
  .openapi({
    example: 'refunds',
    description:
      "What the credits (money in) of a file read with this profile become, when the import's query has no `credits` (which overrides it, as any mapping parameter its field): " +
      '`skip` (the default when absent), `refunds` or `income` (each credit an income entry, counted in the cash flow), as the import\'s `credits` parameter. It applies with `amountSign=negativeIsSpending` or debit and credit columns; without a sign convention a negative amount is a refund anyway.',
  });

export const CreateImportProfileBody = z
  .object({ name, mapping: ImportMapping, credits: credits.optional() })
  .strict()
  .openapi('CreateImportProfile', {
    example: {
      name: 'Barclays current account',
      mapping: { dateColumn: 'Date', merchantColumn: 'Description', debitColumn: 'Paid out', creditColumn: 'Paid in', dateFormat: 'DD/MM/YYYY', decimalSeparator: '.' },
      credits: 'refunds',
    },
  });

export const UpdateImportProfileBody = z
  .object({
    name: name.optional(),
    mapping: ImportMapping.optional().openapi({ description: 'Replaces the whole mapping (fields left out are no longer set).' }),
    credits: credits.nullable().optional().openapi({ description: 'Replaces `credits`; null removes it (the import then skips credits unless its query says otherwise).' }),
  })
  .strict()
  .openapi('UpdateImportProfile', { example: { name: 'Barclays (joint)' } });

export const ImportProfileSchema = z
  .object({
    id: z.string().openapi({ example: '01JDPROFILE0000000000000001' }),
    name: z.string().openapi({ example: 'Barclays current account' }),
    mapping: ImportMapping,
    credits: credits.optional(),
    version: z.number().int().openapi({ example: 1, description: 'Sent as the ETag; send it back in If-Match.' }),
    createdAt: z.string().openapi({ format: 'date-time', example: '2026-11-24T12:00:00.000Z' }),
    updatedAt: z.string().openapi({ format: 'date-time', example: '2026-11-24T12:00:00.000Z' }),
  })
  .openapi('ImportProfile');

export const ImportProfileListSchema = listSchema('ImportProfileList', ImportProfileSchema).openapi({
  description: `The budget's import profiles (at most ${MAX_IMPORT_PROFILES_PER_BUDGET}), oldest first, a page at a time (by default all of them fit one page).`,
});

/** `limit` and `cursor` as on every list. */
export const ListImportProfilesQuery = z.object({ ...paginationQuery }).strict();

export const ImportProfileParams = z
  .object({
    budgetId,
    profileId: z.string().min(1).max(ID_MAX).openapi({ param: { name: 'profileId', in: 'path' }, example: '01JDPROFILE0000000000000001' }),
  })
  .strict();

export type CreateImportProfileInput = z.infer<typeof CreateImportProfileBody>;
export type UpdateImportProfileInput = z.infer<typeof UpdateImportProfileBody>;
export type ListImportProfilesInput = z.infer<typeof ListImportProfilesQuery>;
