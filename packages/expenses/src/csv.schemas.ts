import { z } from '@hono/zod-openapi';
import { calendarDate } from './schemas';

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
