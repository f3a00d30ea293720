import { bearerSecurity, problemResponses, requireAuth, type PlatformDeps } from '@budgeting/platform';
import { createRoute } from '@hono/zod-openapi';
import { CsvText, ExportQuery } from '../csv.schemas';
import { BudgetParams } from '../schemas';

/** CSV export (and import) of a budget's expenses. Registered before /expenses/{expenseId}. */
const TAG = 'Expenses';

export function csvRoutes(deps: PlatformDeps) {
  const auth = requireAuth(deps.tokens);

  const exportExpenses = createRoute({
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
    middleware: [auth] as const,
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

  return { exportExpenses };
}
