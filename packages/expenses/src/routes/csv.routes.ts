import { bearerSecurity, problemResponses } from '@budgeting/platform';
import { createRoute } from '@hono/zod-openapi';
import { CsvText, ExportQuery, ImportResultSchema } from '../schemas/csv.schemas';
import { BudgetParams, IdempotencyHeaders } from '../schemas/expenses.schemas';

/** CSV export (and import) of a budget's expenses. Registered before /expenses/{expenseId}. */
const TAG = 'Expenses';

export const exportExpenses = createRoute({
  method: 'get',
  path: '/v1/budgets/{budgetId}/expenses/export',
  tags: [TAG],
  summary: 'Export expenses as CSV',
  description:
    'Any member. `date,amount,category,description,merchant` with a header row, newest date first, optionally within `from`..`to` (inclusive). ' +
    "Amounts in major units of the budget's currency (`12.50`), the category's name (empty when uncategorized). " +
    'Text cells starting with `=`, `+`, `-` or `@` get a leading apostrophe so spreadsheets do not run them as formulas (imported back without it). ' +
    'An export larger than 4 MB is refused (400): export a shorter range.',
  security: bearerSecurity,
  request: { params: BudgetParams, query: ExportQuery },
  responses: {
    200: {
      description: 'The CSV file (RFC 4180, UTF-8, CRLF line ends)',
      headers: {
        'Content-Disposition': { description: 'attachment; filename="expenses-<budgetId>-<from>-<to>.csv"', schema: { type: 'string' } },
      },
      content: { 'text/csv': { schema: CsvText } },
    },
    ...problemResponses(400, 401, 404, 503),
  },
});

export const importExpenses = createRoute({
  method: 'post',
  path: '/v1/budgets/{budgetId}/expenses/import',
  tags: [TAG],
  summary: 'Import expenses from CSV',
  description:
    'Owners and editors. `Content-Type: text/csv` (UTF-8), at most 5 MB and 2,000 rows: `date,amount,category,description,merchant`, ' +
    "header row optional, amount in major units of the budget's currency (`12.50`; at most the currency's decimals, no thousands separators), " +
    "category by name (any case; empty = uncategorized). Valid rows are recorded as expenses, invalid ones reported by line in `errors` (the first 100). " +
    'A row imported before is a duplicate: importing the same file again adds nothing. A file that is not valid CSV (broken quoting) is refused whole (400).',
  security: bearerSecurity,
  request: {
    params: BudgetParams,
    headers: IdempotencyHeaders,
    body: { required: true, content: { 'text/csv': { schema: CsvText } } },
  },
  responses: {
    200: { description: 'What was imported (or replayed, with `Idempotent-Replayed: true`)', content: { 'application/json': { schema: ImportResultSchema } } },
    ...problemResponses(400, 401, 403, 404, 409, 413, 415, 422, 503),
  },
});

