import { bearerSecurity, jsonContent, problemResponses } from '@budgeting/platform/routes';
import { createRoute } from '@hono/zod-openapi';
import { ImportPresetListSchema } from '../schemas/import-presets.schemas';
import { BudgetParams } from '../schemas/expenses.schemas';

/** The built-in import presets (domain/import-presets.ts), listed per budget so only members see them, as the saved profiles. */
export const listImportPresets = createRoute({
  method: 'get',
  path: '/v1/budgets/{budgetId}/import-presets',
  operationId: 'listImportPresets',
  summary: 'List the built-in import presets (YNAB, Monarch, Mint, Actual, Firefly III)',
  description:
    "Any member. The read-only mappings of other budgeting apps' CSV exports: import such a file as downloaded with `?profile=<id>` (or `?profile=auto`, which tries them after the budget's saved profiles). " +
    'A category name the budget does not have is imported as uncategorized with a preset (a row error otherwise). No database read beyond the membership check.',
  tags: ['Import profiles'],
  security: bearerSecurity,
  request: { params: BudgetParams },
  responses: {
    200: { description: 'Every built-in preset', content: jsonContent(ImportPresetListSchema) },
    ...problemResponses(401, 404),
  },
});
