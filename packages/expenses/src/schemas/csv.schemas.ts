import { z } from '@hono/zod-openapi';
import { calendarDate } from './expenses.schemas';

/** Queries and responses of the CSV import and export routes (the bodies are CSV text, not JSON). */
export const ExportQuery = z
  .object({
    from: calendarDate.optional().openapi({ param: { name: 'from', in: 'query' }, description: 'Earliest date (inclusive).' }),
    to: calendarDate.optional().openapi({ param: { name: 'to', in: 'query' }, description: 'Latest date (inclusive).' }),
  })
  .strict();

export type ExportInput = z.infer<typeof ExportQuery>;

export const CsvText = z.string().openapi({
  description: 'RFC 4180 CSV, UTF-8: `date,amount,category,description,merchant`, amount in major units.',
  example: 'date,amount,category,description,merchant\r\n2026-11-20,12.50,Groceries,Weekly shop,Corner Market\r\n',
});

export const ImportResultSchema = z
  .object({
    imported: z.number().int().openapi({ example: 41, description: 'Rows recorded as new expenses.' }),
    duplicates: z.number().int().openapi({ example: 2, description: 'Rows imported before (the same file, or the same row in another file) and skipped.' }),
    errorCount: z.number().int().openapi({ example: 1, description: 'Rows not imported; `errors` lists the first 100.' }),
    errors: z
      .array(
        z.object({
          line: z.number().int().openapi({ example: 7, description: 'Physical line of the file (1-based) where the row starts.' }),
          message: z.string().openapi({ example: 'amount has at most 2 decimals in USD' }),
        }),
      )
      .openapi({ description: 'The first 100 rows not imported, by line.' }),
  })
  .openapi('ImportResult');
