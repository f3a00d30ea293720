import { createRouter } from '@budgeting/platform';
import type { CsvExportService } from '../service/csv-export.service';
import { csvRoutes } from './csv.routes';

export function csvRouter(routes: ReturnType<typeof csvRoutes>, exports: CsvExportService) {
  const router = createRouter();

  router.openapi(routes.exportExpenses, async (c) => {
    const { budgetId } = c.req.valid('param');
    const file = await exports.export(budgetId, c.get('userId'), c.req.valid('query'));
    return c.body(file.body, 200, {
      'Content-Type': 'text/csv; charset=utf-8',
      'Content-Disposition': `attachment; filename="${file.filename}"`,
    });
  });

  return router;
}
