import { problems, type AppEnv } from '@budgeting/platform';
import type { RouteHandler } from '@hono/zod-openapi';
import type { CsvExportService } from '../service/csv-export.service';
import type { CsvImportService } from '../service/csv-import.service';
import type * as routes from './csv.routes';

export function csvHandlers(exports: CsvExportService, imports: CsvImportService) {
  const importExpenses: RouteHandler<typeof routes.importExpenses, AppEnv> = async (c) => {
    const { budgetId } = c.req.valid('param');
    // The app already refused other media types (415) and bodies over 5 MB (413); the text is
    // read as UTF-8, so a file declared in another charset is refused rather than misread.
    const charset = /;\s*charset="?([^";]+)/i.exec(c.req.header('content-type') ?? '')?.[1]?.toLowerCase();
    if (charset !== undefined && charset !== 'utf-8' && charset !== 'utf8' && charset !== 'us-ascii') {
      throw problems.unsupportedMediaType(['text/csv; charset=utf-8']);
    }
    const result = await imports.import(budgetId, c.get('userId'), await c.req.text());
    return c.json(result, 200);
  };

  const exportExpenses: RouteHandler<typeof routes.exportExpenses, AppEnv> = async (c) => {
    const { budgetId } = c.req.valid('param');
    const file = await exports.export(budgetId, c.get('userId'), c.req.valid('query'));
    return c.body(file.body, 200, {
      'Content-Type': 'text/csv; charset=utf-8',
      'Content-Disposition': `attachment; filename="${file.filename}"`,
    });
  };

  return { importExpenses, exportExpenses };
}
