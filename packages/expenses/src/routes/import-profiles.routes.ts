import {
  CreateImportProfileBody,
  ImportProfileListSchema,
  ImportProfileParams,
  ImportProfileSchema,
  ListImportProfilesQuery,
  UpdateImportProfileBody,
} from '../schemas/import-profiles.schemas';
import { MAX_IMPORT_PROFILES_PER_BUDGET } from '../domain/import-profiles';
import { budgetResourceRoutes } from './budget-resource';

/**
 * The import profile routes (saved column mappings for bank CSV imports): paths, validation and
 * OpenAPI in one place. Their contract is the one every versioned resource in a budget keeps
 * (budget-resource.ts).
 */
export const importProfileRoutes = budgetResourceRoutes({
  tag: 'Import profiles',
  collection: '/v1/budgets/{budgetId}/import-profiles',
  item: '/v1/budgets/{budgetId}/import-profiles/{profileId}',
  schemas: {
    params: ImportProfileParams,
    query: ListImportProfilesQuery,
    item: ImportProfileSchema,
    list: ImportProfileListSchema,
    create: CreateImportProfileBody,
    update: UpdateImportProfileBody,
  },
  create: {
    operationId: 'createImportProfile',
    summary: "Save a bank CSV file's column mapping as an import profile",
    description:
      'Owners and editors. `mapping` holds the mapping query parameters of POST .../expenses/import (`dateColumn`, `amountColumn` or `debitColumn` and `creditColumn`, `categoryColumn`, ' +
      '`descriptionColumn`, `merchantColumn`, `tagsColumn`, `tagsSeparator`, `delimiter`, `dateFormat`, `decimalSeparator`, `currencySymbol`, `amountSign`, `skipLines`) with the same rules (400 naming `mapping.<field>`). ' +
      '`credits` (optional, `skip`, `refunds` or `income`): what the credits of its files become when the import\'s query has no `credits` (another value: 400 naming `credits`). ' +
      'Import a file with it by `?profile=<id>`. Names are unique in the budget ignoring case and compatibility forms such as fullwidth letters (409 naming `name`). At most 20 profiles per budget (409 past that: delete one first). ' +
      'Send an `Idempotency-Key` so a retry never adds it twice.',
    created: 'Saved (or replayed, with `Idempotent-Replayed: true`)',
    full: { collection: 'importProfiles', limit: MAX_IMPORT_PROFILES_PER_BUDGET, detail: `A budget can have at most ${MAX_IMPORT_PROFILES_PER_BUDGET} import profiles; delete one first.` },
    location: 'URL of the new import profile.',
  },
  list: {
    operationId: 'listImportProfiles',
    summary: "List a budget's import profiles",
    description: 'Any member. The profiles oldest first, a page at a time as every list (`limit`, `cursor`); at most 20, so the default page (50) holds them all.',
    page: 'Every import profile of the budget',
  },
  get: { operationId: 'getImportProfile', summary: 'Get an import profile', description: 'Any member.', found: 'The import profile' },
  update: {
    operationId: 'updateImportProfile',
    summary: 'Change an import profile',
    description:
      'Owners and editors. Send only what changes: `name`, `mapping`, which replaces the whole mapping, or `credits` (null removes it). Imports made before are not changed. With `If-Match`, the change applies only to that version (412 otherwise).',
    changed: 'The changed import profile',
  },
  remove: {
    operationId: 'deleteImportProfile',
    summary: 'Delete an import profile',
    description: 'Owners and editors. Imports made with it stay. With `If-Match`, deletes only that version (412 otherwise).',
  },
});
